"""`minutes-rag serve` started as users start it: what it does before anyone asks."""

import shutil
import time

from tests.ui.conftest import running_server


def test_serve_builds_the_keyword_index_before_the_first_question(corpus_pipeline, tmp_path):
    # an index whose keyword counts are gone (written by an older minutes-rag, or deleted):
    # the server counts them in the background at start, not when the first trainee asks
    data = tmp_path / "data"
    shutil.copytree(corpus_pipeline.settings.data_dir, data, ignore=shutil.ignore_patterns("keywords"))
    documents = len(corpus_pipeline.index.documents())
    with running_server({"MINUTES_RAG_DATA_DIR": str(data)}):
        deadline = time.monotonic() + 120  # a bound on waiting, not a speed target
        while len(list((data / "keywords").glob("*.npz"))) < documents and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(list((data / "keywords").glob("*.npz"))) == documents


def test_a_model_that_cannot_load_at_start_leaves_the_server_answering(corpus_pipeline, tmp_path):
    # the warm-up meets the broken model first: it logs that, and the server keeps answering
    from tests.ui.test_api import call

    env = {
        "MINUTES_RAG_DATA_DIR": str(corpus_pipeline.settings.data_dir),
        "MINUTES_RAG_LLM": "local",
        "MINUTES_RAG_LLM_MODEL_PATH": str(tmp_path / "missing.gguf"),
    }
    question = "What share of the UN peacekeeping budget does Japan pay?"  # one the minutes answer
    with running_server(env) as url:
        status, body = call(url + "/api/ask", "POST", {"question": question, "llm": "extractive"})
        assert status == 200 and body["citations"]
        status, body = call(url + "/api/ask", "POST", {"question": question, "llm": "local"})
        assert status == 200 and body["fallback"] == "extractive" and body["citations"]
