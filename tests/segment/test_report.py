from rag.segment import segment_minutes, segment_report, segment_warning
from tests.helpers.segment import source_from_text

TRANSCRIPT = "\n\n".join(
    f"{who}: {words}"
    for who, words in [
        ("Alice Moreau", "We need more trainers."),
        ("Bob Tanaka", "How many?"),
        ("Alice Moreau", "Twelve."),
        ("Bob Tanaka", "Agreed."),
    ]
)
# Labels no rule recognises (numbers, lower case): looks like a transcript, yet nobody is found.
UNRECOGNISED = "\n\n".join(
    f"{who}: {words}"
    for who, words in [
        ("spk_0", "We need more trainers."),
        ("spk_1", "How many?"),
        ("spk_0", "Twelve."),
        ("spk_1", "Agreed."),
    ]
)
ESSAY = "Peacekeeping in a changing world\n\nMissions now protect civilians.\n\nBudgets are shrinking."


def test_report_names_layout_share_and_speakers():
    minutes = segment_minutes(source_from_text(TRANSCRIPT))
    assert minutes.attributed_share == 1.0
    assert segment_report(minutes) == "marked layout, 100% of paragraphs attributed to 2 speakers"
    assert segment_warning(minutes) is None


def test_warning_when_a_transcript_gets_no_speakers():
    minutes = segment_minutes(source_from_text(UNRECOGNISED, "call"))
    assert minutes.attributed_share == 0.0
    warning = segment_warning(minutes)
    assert warning.startswith("call: only 0% of paragraphs attributed to a speaker, though 100% open like")
    assert "\n" not in warning


def test_no_warning_for_an_essay():
    minutes = segment_minutes(source_from_text(ESSAY))
    assert minutes.layout == "plain" and minutes.attributed_share == 0.0
    assert segment_warning(minutes) is None
