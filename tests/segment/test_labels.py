import pytest

from rag.segment.labels import learn_forms, parse_label, split_parenthesis


@pytest.mark.parametrize(
    "written, name, role, affiliation",
    [
        ("Mr J SMITH", "J Smith", "", ""),
        ("The CHAIRPERSON", "The Chairperson", "", ""),
        ("Ms Jones (Canada)", "Jones", "Canada", ""),
        ("Dr. Ana Pérez", "Ana Pérez", "", ""),
        ("Brig Gen P J SCHALKWYK", "P J Schalkwyk", "", ""),
        ("Kirsty Williams AM", "Kirsty Williams", "", ""),
        ("KIRSTY WILLIAMS AM", "Kirsty Williams", "", ""),
        ("Professor B", "Professor B", "", ""),  # a title with only an initial stays whole
        ("PHD A", "Phd A", "", ""),
        ("Right Hon. Justin Trudeau (Papineau, Lib.)", "Justin Trudeau", "", "Papineau, Lib."),
        ("Hon. Bill Blair (Minister of Public Safety)", "Bill Blair", "Minister of Public Safety", ""),
        (
            "The Chair (Hon. Anthony Rota (Nipissing—Timiskaming, Lib.))",
            "Anthony Rota",
            "Chair",
            "Nipissing—Timiskaming, Lib.",
        ),
        ("The Minister for Education", "The Minister for Education", "", ""),
        ("Keir Starmer (Holborn and St Pancras) (Lab)", "Keir Starmer", "", "Holborn and St Pancras, Lab"),
        ("The Prime Minister (Boris Johnson)", "Boris Johnson", "Prime Minister", ""),
        ("The CHAIRPERSON (Canada)", "The Chairperson", "Canada", ""),  # a country holds no office
        ("THE HONOURABLE PATTY HAJDU (MINISTER OF HEALTH)", "Patty Hajdu", "Minister of Health", ""),
    ],
)
def test_labels(written, name, role, affiliation):
    label = parse_label(written)
    assert (label.name, label.role, label.affiliation) == (name, role, affiliation)


@pytest.mark.parametrize(
    "written",
    [
        "Item 3",
        "Meeting Date and Time",
        "The committee met at 10",
        "Okay. Finally from me, Minister",
        "The 'Healthy Weight",
        "Last question",
    ],
)
def test_not_labels(written):
    assert parse_label(written) is None


def test_interjections():
    for written in ("An HON MEMBER", "Some hon. members", "HON MEMBERS"):
        assert parse_label(written).interjection, written
    assert not parse_label("The CHAIRPERSON").interjection


def test_titles_and_post_nominals_learned_from_the_document():
    assert parse_label("Mnr C AUCAMP").name == "Mnr C Aucamp"  # unknown title: not stripped
    forms = learn_forms(
        [
            "Adv Z L MADASA",
            "Mnr C AUCAMP",
            "Genl C L VILJOEN",
            "Inkosi R N CEBEKHULU",
            "Ann Hart MHK",
            "Bo Lee MHK",
            "Cllr. Ann Hart",
            "Cllr. Bo Lee",
        ]
    )
    assert parse_label("Mnr C AUCAMP", forms).name == "C Aucamp"
    assert parse_label("Inkosi R N CEBEKHULU", forms).name == "R N Cebekhulu"
    assert parse_label("Ann Hart MHK", forms).name == "Ann Hart"
    assert parse_label("Cllr. Ann Hart", forms).name == "Ann Hart"
    assert parse_label("Kirsty WILLIAMS", forms).name == "Kirsty Williams"  # a given name is no title


def test_split_parenthesis():
    assert split_parenthesis("The Chair (Hon. A Rota (Nipissing, Lib.))") == (
        "The Chair",
        "Hon. A Rota (Nipissing, Lib.)",
    )
    assert split_parenthesis("Mr Smith") == ("Mr Smith", "")
