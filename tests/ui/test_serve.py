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
