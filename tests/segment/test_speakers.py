import pytest

from rag.segment.speakers import SpeakerRegistry, canonical_name, find_people


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("SHINODA Hideaki", "Hideaki Shinoda"),
        ("KAWASAKI Machiko", "Machiko Kawasaki"),
        ("Patrick Cammaert", "Patrick Cammaert"),
        ("David M. Malone", "David M. Malone"),
        ("Henrietta Mensa-Bonsu", "Henrietta Mensa-Bonsu"),
    ],
)
def test_canonical_names(written, canonical):
    assert canonical_name(written)[0] == canonical


def test_registry_resolves_short_forms_and_ocr_slips():
    registry = SpeakerRegistry()
    for name in ("Patrick Cammaert", "Ian Martin", "Rika Yamamoto", "Jota Yamamoto"):
        registry.add(name)
    assert registry.lookup("Cammaert").name == "Patrick Cammaert"
    assert registry.lookup("lan Martin").name == "Ian Martin"
    assert registry.lookup("Rika Yamamoto").name == "Rika Yamamoto"
    assert registry.lookup("Yamamoto") is None  # two Yamamotos: ambiguous
    assert registry.lookup("Smith") is None


def test_find_people_with_titles_and_markup():
    people = find_people(
        "- 8. **Prof. Akiko Yuge** said; Major General (Ret.) Patrick Cammaert and Gen. Cammaert agreed."
    )
    assert [(p.title, p.canonical) for p in people] == [
        ("Prof.", "Akiko Yuge"),
        ("Major General (Ret.)", "Patrick Cammaert"),
        ("Gen.", "Cammaert"),
    ]
