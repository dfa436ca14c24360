import pytest

from rag.index import MinutesIndex
from tests.conftest import make_settings
from tests.index.handmade import build_minutes

MARTIN = ("Ian Martin", "Member of the Panel")
DOE = ("Jane Doe", "Professor, UNU")

V1 = [
    ("Attendance: see Annex A.", "", "", ""),
    ("Mr. Ian Martin said the review covers all peace operations, including special political missions.", *MARTIN, "Discussion"),
    ("Ms. Jane Doe said that prevention of conflict matters most and is cheaper than any mission.", *DOE, "Discussion"),
    ("Mr. Ian Martin added that quality information and analysis are critical for the panel.", *MARTIN, "Discussion"),
    ("Ms. Jane Doe closed by thanking the hosts for the meeting in Tokyo.", *DOE, "Closing"),
]
V2 = [
    ("Attendance: see Annex A.", "", "", ""),
    ("Mr. Ian Martin said the review covers all peace operations, including special political missions.", *MARTIN, "Discussion"),
    ("Ms. Jane Doe said budgets for peacekeeping are shrinking fast.", *DOE, "Discussion"),
]
OTHER = [
    ("Ms. Jane Doe opened the symposium on peacekeeping training in Entebbe.", *DOE, "Opening"),
    ("Colonel Ken Sato described engineering units that build roads and mine-clearing with Hitachi machines.",
     "Ken Sato", "Colonel, JGSDF", "Panel"),
]


def doc(rows, doc_id="doc", **kwargs):
    return build_minutes(doc_id, rows, **kwargs)


@pytest.fixture
def index(tmp_path):
    return MinutesIndex(make_settings(tmp_path))
