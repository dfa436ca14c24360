import pytest

from tests.helpers.segment import containing

SPEAKERS = {
    "1": "David M. Malone",
    "2": "José Ramos-Horta",
    "3": "Ian Martin",
    "4": "Henrietta Mensa-Bonsu",
    "5": "Yasushi Akashi",
    "6": "Kenzo Oshima",
    "7": "Sukehiro Hasegawa",
    "8": "Akiko Yuge",
    "9": "Toshiya Hoshino",
    "10": "Junko Sazaki",
    "11": "Ai Kihara-Hunt",
    "12": "Motoo Noguchi",
    "13": "Rika Yamamoto",
    "14": "Yasunobu Sato",
    "15": "Masako Yonekawa",
}


def test_fifteen_numbered_paragraphs_with_their_speakers(hippo):
    numbered = [p for p in hippo.paragraphs if p.number]
    assert [p.number for p in numbered] == [str(n) for n in range(1, 16)]
    assert {p.number: p.speaker for p in numbered} == SPEAKERS
    assert all(p.kind == "speech" for p in numbered)
    assert hippo.layout == "numbered"


@pytest.mark.parametrize(
    "speaker, role_part",
    [
        ("Sukehiro Hasegawa", "Visiting Professor"),
        ("Ian Martin", "Panel member"),  # "lan Martin" in the annex
        ("José Ramos-Horta", "Chair"),  # "Jose" in the annex
        ("Rika Yamamoto", "Peace Winds Japan"),  # not Jota Yamamoto
        ("David M. Malone", "UNU Rector"),  # not in the annex: from the text
    ],
)
def test_roles_from_the_annex(hippo, speaker, role_part):
    assert role_part in hippo.speakers[speaker].role


def test_page_breaks_joined_inside_paragraphs_3_and_6(hippo):
    three = containing(hippo, "Mr. Ian Martin clarified")
    assert "peace operations today, Mr. Martin stated" in three.text and three.number == "3"
    six = containing(hippo, "Mr. Kenzo Oshima referred")
    assert "Mr. Oshima then stated that, in his opinion" in six.text


def test_sections_and_annex(hippo):
    assert containing(hippo, "Timor Leste was the first UN mission").section.startswith("Explanatory Remarks")
    assert containing(hippo, "Prof. Motoo Noguchi").section == "Discussion"
    annex = [p for p in hippo.paragraphs if p.kind == "annex"]
    assert annex and all(p.speaker == "" for p in annex)
    assert any("Yasushi Akashi\tChairman" in p.text for p in annex)


def test_aliases_recorded(hippo):
    assert {"Mr. Martin", "Mr. Ian Martin"} <= hippo.speakers["Ian Martin"].aliases
    assert "Mr. Oshima" in hippo.speakers["Kenzo Oshima"].aliases
