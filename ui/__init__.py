"""The chat UI (Gradio) and the minutes viewer, served together by `minutes-rag serve`."""
