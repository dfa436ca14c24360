"""Both corpus minutes split on blank lines (no segmenter), a handful of paragraphs attributed
by hand, ingested once for the session."""

import pytest

from rag.index import MinutesIndex
from tests.helpers import HIPPO, SYMPOSIUM, make_settings
from tests.index.handmade import corpus_minutes, ingest

OSHIMA = ("Kenzo Oshima", "Executive Director, Africa Association")
CAMMAERT = ("Patrick Cammaert", "Major General (Ret.), Royal Netherlands Marine Corps")
KLAFFUS = ("Werner Klaffus", "Colonel, Commander, Bundeswehr UN Training Centre")

HIPPO_SPEAKERS = {
    "Mr. Kenzo Oshima referred": OSHIMA,
    "10.8": OSHIMA,
}
SYMPOSIUM_SPEAKERS = {
    "309 names": CAMMAERT,
    "As a contingent commander in UNTAC": CAMMAERT,
    "The last 15 years the nature of conflict": CAMMAERT,
    "Now, I want to switch to the picture of Afghanistan": KLAFFUS,
    "What do I take from this? What is my lesson?": KLAFFUS,
    "The interesting thing is, when NATO entered Afghanistan": KLAFFUS,
    "This is the key issue in Afghanistan": KLAFFUS,
}


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, embedder):
    """Tests read this index; none may change it."""
    index = MinutesIndex(make_settings(tmp_path_factory.mktemp("corpus-index")))
    for path, title, date, speakers in (
        (HIPPO, "Informal Meeting with Members of the HIPPO", "2015-01-28", HIPPO_SPEAKERS),
        (SYMPOSIUM, "International Peace & Security Symposium 2023", "2023-12-07", SYMPOSIUM_SPEAKERS),
    ):
        ingest(index, embedder, *corpus_minutes(path, title, date, speakers))
    return index
