import pytest

from tests.helpers.segment import containing


@pytest.mark.parametrize(
    "phrase, speaker, section",
    [
        ("309 names of peacekeepers", "Patrick Cammaert", "Keynote Speech"),
        ("Distinguished guests, Excellencies, Comrades", "Werner Klaffus", "Panel Discussion"),
        ("I worked at the Department of Operational Support", "Machiko Kawasaki", "Panel Discussion"),
        ("Number one is the original idea of engineering peace", "Tomonori Yoshizaki", "Panel Discussion"),
        ("Hiroshima Peacebuilders Center", "Hideaki Shinoda", "Panel Discussion"),
        ("My name is Koichi Sakamoto", "Koichi Sakamoto", "Opening Remarks"),
        ("I am Colonel Kobayashi from Japan Peacekeeping", "Takashi Kobayashi", "Opening Presentation"),
        ("I am from Embassy of Kenya", "Audience member (Question 7)", "Discussion"),
        ("I am a military lawyer", "Audience member (Question 2)", "Q&A"),
        ("Instead, please increase German civilians", "Audience member (Question 5)", "Discussion"),
        ("You are absolutely right that peacekeeping is a tool", "Patrick Cammaert", "Q&A"),
        ("please give a big hand to all participants", "Announcer", "Closing Remarks"),
        ("I would like to jump first on the POC", "Werner Klaffus", "Discussion"),
        ("why female participants are very low rate", "Machiko Kawasaki", "Discussion"),
    ],
)
def test_attributions(symposium, phrase, speaker, section):
    p = containing(symposium, phrase)
    assert (p.speaker, p.section, p.kind) == (speaker, section, "speech")


def test_audience_roles_are_what_they_say(symposium):
    assert symposium.speakers["Audience member (Question 7)"].role == "Embassy of Kenya"
    assert symposium.speakers["Audience member (Question 6)"].role == "Embassy of Iraq"


@pytest.mark.parametrize(
    "phrase, kind, speaker",
    [
        ("The Transition of UN Peace Operation", "table", "Takashi Kobayashi"),
        ("“Engineering Peace” in Number", "table", "Tomonori Yoshizaki"),
        ("On 8 Nov #UNTPP launched", "slide", "Machiko Kawasaki"),
        ("8:26 AM · Nov 9, 2023 · 7018 Views", "slide", "Machiko Kawasaki"),
        ("➤ MilAd DPKO", "slide", "Patrick Cammaert"),
        ("14:20 – 15:05 Keynote Speech:", "front_matter", ""),
        ("(This is simultaneous interpretation.", "front_matter", ""),
    ],
)
def test_kinds(symposium, phrase, kind, speaker):
    p = containing(symposium, phrase)
    assert (p.kind, p.speaker) == (kind, speaker)


def test_tables_are_one_paragraph(symposium):
    table = containing(symposium, "The Transition of UN Peace Operation")
    assert "Peace Operations by UN" in table.text and "EU-Led : AMM" in table.text


def test_one_canonical_speaker_per_person(symposium):
    named = {s for s in symposium.speakers if not s.startswith("Audience member")}
    assert named == {
        "Koichi Sakamoto",
        "Takashi Kobayashi",
        "Patrick Cammaert",
        "Hideaki Shinoda",
        "Tomonori Yoshizaki",
        "Werner Klaffus",
        "Machiko Kawasaki",
        "Announcer",
    }
    assert {f"Audience member (Question {n})" for n in range(1, 8)} <= set(symposium.speakers)


@pytest.mark.parametrize(
    "speaker, aliases",
    [
        ("Patrick Cammaert", {"Gen. Cammaert", "General Cammaert", "Major General (Ret.) Patrick Cammaert"}),
        ("Hideaki Shinoda", {"Dr. SHINODA Hideaki", "Prof. SHINODA", "Prof. Shinoda"}),
        ("Werner Klaffus", {"Col. Klaffus", "Colonel Werner Klaffus"}),
        ("Machiko Kawasaki", {"Col. KAWASAKI", "Colonel KAWASAKI Machiko"}),
    ],
)
def test_aliases_resolve(symposium, speaker, aliases):
    assert aliases <= symposium.speakers[speaker].aliases


def test_roles_from_the_programme(symposium):
    assert "Tokyo University of Foreign Studies" in symposium.speakers["Hideaki Shinoda"].role
    assert "Royal Netherlands Marine Corps" in symposium.speakers["Patrick Cammaert"].role
    assert "Bundeswehr UN Training Centre" in symposium.speakers["Werner Klaffus"].role


def test_page_break_joined(symposium):
    assert "In 2019, training of medical personnel began." in containing(symposium, "In 2019,").text
