"""The minutes as one readable HTML page (`ui/templates/viewer.html`): one anchor per paragraph,
grouped by speaker turn with name and role, sections as headings, a table of contents, the
target paragraph highlighted."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.minutes import DocumentInfo, Paragraph
from ui.templating import render


@dataclass(frozen=True)
class Heading:
    anchor: str
    title: str


@dataclass(frozen=True)
class TurnHeader:
    number: int
    speaker: str
    role: str
    continued: bool  # a turn interrupted by an editor's note goes on under the same header


@dataclass
class Block:
    """A section heading, or consecutive paragraphs: of one speaker turn, or outside any turn."""

    heading: Heading | None = None
    turn: TurnHeader | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class Person:
    anchor: str
    name: str
    role: str


class DocumentPage:
    """Paragraphs in document order -> the blocks, sections and speakers the viewer template shows."""

    def __init__(self, speakers: dict[str, dict]):
        self.speakers = speakers

    def run(self, info: DocumentInfo, paragraphs: list[Paragraph]) -> str:
        blocks: list[Block] = []
        sections: list[Heading] = []
        people: dict[str, Person] = {}
        opened: set[int] = set()
        section: str | None = None
        current: Block | None = None
        for p in paragraphs:
            if p.section != section:
                section = p.section
                heading = Heading(f"s{len(sections) + 1}", section or "Beginning")
                sections.append(heading)
                blocks.append(Block(heading=heading))
                current = None
            if current is None or (current.turn.number if current.turn else -1) != p.turn:
                turn = None
                if p.turn >= 0:
                    turn = TurnHeader(p.turn, p.speaker, p.role, continued=p.turn in opened)
                    opened.add(p.turn)
                    people.setdefault(
                        p.speaker, Person(f"t{p.turn}", p.speaker, self.speakers.get(p.speaker, {}).get("role", ""))
                    )
                current = Block(turn=turn)
                blocks.append(current)
            current.paragraphs.append(p)
        meta = [x for x in (info.date, info.venue, info.organiser) if x]
        return render(
            "viewer.html", info=info, meta=meta, sections=sections, people=list(people.values()), blocks=blocks
        )


def render_document(info: DocumentInfo, paragraphs: list[Paragraph], speakers: dict[str, dict]) -> str:
    return DocumentPage(speakers).run(info, paragraphs)
