"""`minutes-rag serve`: check the binding, load the pipeline once, print the URL, serve."""

from __future__ import annotations

import sys

from rag.pipeline import Pipeline, PipelineError
from rag.settings import Settings
from ui.auth import AuthError, users_for


def backends_for(settings: Settings) -> list[str]:
    """The configured backend first, then the no-LLM mode."""
    return list(dict.fromkeys([settings.llm, "extractive"]))


def serve(settings: Settings) -> int:
    import uvicorn

    from ui.app import create_app

    try:
        users = users_for(settings.host, settings.auth_users, settings.auth_file)
    except AuthError as exc:
        raise PipelineError(str(exc)) from None
    pipeline = Pipeline(settings)
    if pipeline.index.is_empty():
        raise PipelineError("the index is empty: run `minutes-rag ingest` first")
    app = create_app(pipeline, backends_for(settings), users)
    print(f"minutes-rag is serving at http://{settings.host}:{settings.port}/", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(serve(Settings.load()))
