from pathlib import Path

from rag.segment import segment_minutes
from tests.helpers.segment import containing, source_from_text

FIXTURE = Path(__file__).parent / "fixtures" / "hansard.txt"


def segment(text: str):
    return segment_minutes(source_from_text(text, "doc"))


def test_committee_transcript_turns():
    minutes = segment(FIXTURE.read_text())
    assert minutes.layout == "marked"
    speakers = [t.speaker for t in minutes.turns]
    assert speakers == ["The Chairperson", "Jones", "J Smith", "Jones", "Wong", "Jones", "The Chairperson"]
    assert minutes.speakers["Jones"].role == "Canada"
    assert containing(minutes, "Our programme relies").speaker == "Jones"  # no marker: the turn goes on
    note = containing(minutes, "Note:")
    assert note.speaker == "" and note.kind == "front_matter"


SOUTH_AFRICAN_HANSARD = """JOINT SITTING

The CHAIRPERSON OF THE NCOP: Order! Hon members, the sitting is constituted. I call the hon Madasa.

Adv Z L MADASA: Chairperson, the African Transformation Movement supports the budget of the department.

We ask only that the money reaches the soldiers on the border.

An HON MEMBER: Hear, hear!

The soldiers have waited three years for new vehicles.

Brig Gen P J SCHALKWYK: Chairperson, the vehicles were ordered last year.

Genl C L VILJOEN: Voorsitter, ons steun die begroting.

Mnr C AUCAMP: Voorsitter, die weermag het meer geld nodig.

An HON MEMBER: Nonsense!

Adv Z L MADASA: The hon member is misleading the House.
"""


def test_south_african_hansard_markers_and_interjections():
    minutes = segment(SOUTH_AFRICAN_HANSARD)
    assert minutes.layout == "marked"
    assert containing(minutes, "the sitting is constituted").speaker == "The Chairperson of the Ncop"
    assert containing(minutes, "African Transformation Movement").speaker == "Z L Madasa"
    assert containing(minutes, "Hear, hear!").speaker == "An Hon Member"
    # after an interjection the interrupted speaker has the floor again
    assert containing(minutes, "waited three years").speaker == "Z L Madasa"
    assert containing(minutes, "vehicles were ordered").speaker == "P J Schalkwyk"
    assert containing(minutes, "ons steun").speaker == "C L Viljoen"
    assert containing(minutes, "meer geld").speaker == "C Aucamp"
    assert containing(minutes, "misleading the House").speaker == "Z L Madasa"
    assert "Adv Z L MADASA" in minutes.speakers["Z L Madasa"].aliases
    interjection = containing(minutes, "Nonsense!")
    assert interjection.speaker == "An Hon Member" and minutes.turns[interjection.turn].paragraphs == [interjection]


WELSH_COMMITTEE = """Children, Young People and Education Committee

Lynne Neagle AM: Good afternoon, everyone. Welcome to the committee. I welcome the Minister.

Kirsty Williams AM (The Minister for Education): Thank you very much, Lynne. Schools will reopen in June.

Hefin David AM: Have you been given any indication by the chief medical officer?

The Minister for Education: Not yet, Hefin. We will publish the advice.

Lynne Neagle AM: Thank you, Minister.
"""


def test_welsh_assembly_post_nominals_and_an_office_the_document_assigns():
    minutes = segment(WELSH_COMMITTEE)
    assert [t.speaker for t in minutes.turns] == [
        "Lynne Neagle",
        "Kirsty Williams",
        "Hefin David",
        "Kirsty Williams",
        "Lynne Neagle",
    ]
    kirsty = minutes.speakers["Kirsty Williams"]
    assert kirsty.role == "The Minister for Education"
    assert {"Kirsty Williams AM (The Minister for Education)", "The Minister for Education"} <= kirsty.aliases
    assert containing(minutes, "Children, Young People").speaker == ""


CANADIAN_COMMITTEE = """The Chair (Hon. Anthony Rota (Nipissing—Timiskaming, Lib.)): I call this meeting to order.

Hon. Bill Blair: Mr. Chair, the measures are working.

The Chair: Thank you, Minister. Mr. Albas.

Mr. Dan Albas (Central Okanagan—Similkameen—Nicola, CPC): Mr. Chair, my question is for the minister.

Hon. Bill Blair (Minister of Public Safety and Emergency Preparedness): We are monitoring the border closely.

The Acting Chair (Mr. Bruce Stanton): The honourable member for Central Okanagan.

Mr. Dan Albas: Thank you.
"""


def test_one_person_one_speaker_with_role_and_affiliation():
    minutes = segment(CANADIAN_COMMITTEE)
    assert [t.speaker for t in minutes.turns] == [
        "Anthony Rota",
        "Bill Blair",
        "Anthony Rota",
        "Dan Albas",
        "Bill Blair",
        "Bruce Stanton",
        "Dan Albas",
    ]
    rota = minutes.speakers["Anthony Rota"]
    assert rota.role == "Chair" and rota.affiliation == "Nipissing—Timiskaming, Lib."
    assert minutes.speakers["Bill Blair"].role == "Minister of Public Safety and Emergency Preparedness"
    assert containing(minutes, "measures are working").role == "Minister of Public Safety and Emergency Preparedness"
    assert minutes.speakers["Dan Albas"].affiliation == "Central Okanagan—Similkameen—Nicola, CPC"
    assert minutes.speakers["Bruce Stanton"].role == "Acting Chair"


AGENDA = """Board meeting

Agenda:

Item 3: Budget

Chair: Welcome, everyone. We start with the budget.

Treasurer: The budget is balanced this year.

Chair: Any questions?

Item 4: Any Other Business

Treasurer: None from me.

Chair: The meeting is closed.
"""


def test_headings_with_colons_are_not_speakers():
    minutes = segment(AGENDA)
    assert minutes.layout == "marked"
    assert set(minutes.speakers) == {"Chair", "Treasurer"}
    budget = containing(minutes, "Item 3: Budget")
    assert budget.speaker == "" and budget.kind == "front_matter"
    assert containing(minutes, "Agenda:").speaker == ""
    assert containing(minutes, "balanced").section == "Item 3: Budget"
    assert containing(minutes, "None from me").section == "Item 4: Any Other Business"


NAMES_ON_THEIR_OWN_LINE = """MEETING OF THE PLANNING GROUP

PROJECT MANAGER
Okay, let us start. The budget is twelve euros per unit.

MARKETING
We found that people want a smaller remote.
And they want it to be fancy.

PROJECT MANAGER
Right

INDUSTRIAL DESIGNER
The case can be made of rubber.

MARKETING
Mm-hmm.
"""


def test_names_in_capitals_alone_on_their_line():
    minutes = segment(NAMES_ON_THEIR_OWN_LINE)
    assert minutes.layout == "marked"
    assert [t.speaker for t in minutes.turns] == [
        "Project Manager",
        "Marketing",
        "Project Manager",
        "Industrial Designer",
        "Marketing",
    ]
    assert containing(minutes, "fancy").speaker == "Marketing"
    assert containing(minutes, "Right").speaker == "Project Manager"  # however short, a turn's words
    assert containing(minutes, "MEETING OF THE PLANNING GROUP").speaker == ""


def test_name_alone_in_its_paragraph_above_the_words():
    text = "\n\n".join(
        f"{name}\n\n{words}"
        for name, words in [
            ("Mr J SMITH", "I rise to support the motion."),
            ("Ms A JONES", "I oppose it."),
            ("Mr J SMITH", "Then let us vote."),
            ("Ms A JONES", "Agreed."),
        ]
    )
    minutes = segment(text)
    assert [t.speaker for t in minutes.turns] == ["J Smith", "A Jones", "J Smith", "A Jones"]
    assert containing(minutes, "I oppose it.").speaker == "A Jones"
    name = containing(minutes, "Mr J SMITH")
    assert name.kind == "front_matter" and name.speaker == ""


def test_one_turn_a_line_without_blank_lines():
    minutes = segment(
        "Alice Moreau: We need more trainers.\nBob Tanaka: How many?\nAlice Moreau: Twelve.\nBob Tanaka: Agreed."
    )
    assert [(p.speaker, p.text) for p in minutes.paragraphs] == [
        ("Alice Moreau", "Alice Moreau: We need more trainers."),
        ("Bob Tanaka", "Bob Tanaka: How many?"),
        ("Alice Moreau", "Alice Moreau: Twelve."),
        ("Bob Tanaka", "Bob Tanaka: Agreed."),
    ]


def test_sentences_with_colons_inside_turns_are_not_markers():
    minutes = segment(
        "Ms Jones: My first question is this: will the budget rise?\n\n"
        "The answer I would have liked is simple: yes.\n\n"
        "Mr Lee: It will not.\n\nMs Jones: Then I have a second one.\n\nLast question: when?"
    )
    assert [t.speaker for t in minutes.turns] == ["Jones", "Lee", "Jones"]
    assert containing(minutes, "The answer I would have liked").speaker == "Jones"
    assert containing(minutes, "Last question: when?").speaker == "Jones"


def test_an_office_assigned_in_the_list_of_witnesses():
    minutes = segment(
        "Witnesses\nKirsty Williams AM, Minister for Education\nSteve Davies, Director\n\n"
        "Lynne Neagle AM: Welcome, Minister.\n\nThe Minister for Education: Thank you.\n\n"
        "Lynne Neagle AM: Hefin.\n\nHefin David AM: My question is for the Minister.\n\n"
        "The Minister for Education: I will answer it."
    )
    assert [t.speaker for t in minutes.turns] == [
        "Lynne Neagle",
        "Kirsty Williams",
        "Lynne Neagle",
        "Hefin David",
        "Kirsty Williams",
    ]
    assert minutes.speakers["Kirsty Williams"].role == "Minister for Education"
    assert "Steve Davies" not in minutes.speakers  # named, never spoke


ACTION_MINUTES = """Minutes of the Training Committee

Present: A. Moreau (Chair), B. Tanaka, C. Wei

Budget

Action: B. Tanaka to circulate the figures by Friday.

Decision: The budget was approved without changes.

Any Other Business

Action: C. Wei to book the venue for April.

Decision: The next meeting will be held on 3 April.
"""


def test_recurring_fields_of_minutes_are_not_speakers():
    minutes = segment(ACTION_MINUTES)
    assert minutes.speakers == {} and all(p.speaker == "" for p in minutes.paragraphs)
