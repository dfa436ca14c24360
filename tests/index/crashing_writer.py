"""Run by the tests as a subprocess: upsert a pickled document into an index and die by SIGKILL
(kill -9: no cleanup, no exception handler) right after a given step of the write.

    python -m tests.index.crashing_writer SETTINGS_JSON JOB_PICKLE STEP
"""

import os
import pickle
import signal
import sys
from pathlib import Path

from rag.index import MinutesIndex
from rag.settings import Settings


def main(settings_json: str, job: str, step: str) -> None:
    index = MinutesIndex(Settings.model_validate_json(settings_json))
    target, name = {
        "first window batch": (index.vectors.collection, "add"),
        "contents": (index.catalog.contents_store, "upsert"),
        "commit": (index.catalog.state_store, "upsert"),  # the generation bump follows the document record
    }[step]
    real = getattr(target, name)

    def then_die(*args, **kwargs):
        real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)

    setattr(target, name, then_die)
    index.upsert(*pickle.loads(Path(job).read_bytes()))
    sys.exit("the write finished: the kill never came")


if __name__ == "__main__":
    main(*sys.argv[1:])
