"""What every minutes layout shares: the interface, and a builder that numbers paragraphs and
groups them into speaker turns the same way for all layouts."""

from __future__ import annotations

from rag.minutes import Minutes, Paragraph, SourceText, SpeakerTurn
from rag.segment.speakers import SpeakerRegistry


class Layout:
    """One way minutes are laid out. `score` says how well a document fits (0..1);
    `segment` turns it into speaker turns."""

    name = "layout"

    def score(self, paragraphs: list[str]) -> float:
        raise NotImplementedError

    def segment(self, source: SourceText, paragraphs: list[str]) -> Minutes:
        raise NotImplementedError


class MinutesBuilder:
    """Collects paragraphs in document order; ids are "<doc_id>#p<seq>" so they are stable for
    an unchanged document."""

    def __init__(self, source: SourceText, layout: str):
        self.source = source
        self.layout = layout
        self.registry = SpeakerRegistry()
        self.paragraphs: list[Paragraph] = []
        self.turns: list[SpeakerTurn] = []
        self.section = ""
        self._turn: SpeakerTurn | None = None

    @property
    def current(self) -> SpeakerTurn | None:
        return self._turn

    def start_turn(self, speaker: str, role: str = "", label: str = "") -> SpeakerTurn:
        self._turn = SpeakerTurn(speaker=speaker, role=role, section=self.section, label=label)
        self.turns.append(self._turn)
        return self._turn

    def end_turn(self) -> None:
        self._turn = None

    def add(
        self, text: str, kind: str = "speech", number: str = "", in_turn: bool = True, start: str = "", end: str = ""
    ) -> Paragraph:
        """A paragraph; inside the current turn (its speaker) unless `in_turn` is False or
        there is no turn, in which case it has no speaker. `start`/`end`: a transcript's timestamps."""
        turn = self._turn if in_turn else None
        doc_id = self.source.info.doc_id
        paragraph = Paragraph(
            id=f"{doc_id}#p{len(self.paragraphs) + 1}",
            doc_id=doc_id,
            seq=len(self.paragraphs) + 1,
            text=text,
            kind=kind,
            speaker=turn.speaker if turn else "",
            role=turn.role if turn else "",
            section=turn.section if turn else self.section,
            number=number,
            turn=len(self.turns) - 1 if turn else -1,  # the current turn is always the latest
            start=start,
            end=end,
        )
        if turn:
            turn.paragraphs.append(paragraph)
        self.paragraphs.append(paragraph)
        return paragraph

    def build(self) -> Minutes:
        # a role learnt after a turn began (e.g. from an annex at the end) reaches every paragraph
        for turn in self.turns:
            speaker = self.registry.speakers.get(turn.speaker)
            if speaker and speaker.role and not turn.role:
                turn.role = speaker.role
                for p in turn.paragraphs:
                    p.role = speaker.role
        self.turns = [t for t in self.turns if t.paragraphs]
        for i, turn in enumerate(self.turns):
            for p in turn.paragraphs:
                p.turn = i
        speaking = {t.speaker for t in self.turns}
        return Minutes(
            info=self.source.info,
            sha256=self.source.sha256,
            paragraphs=self.paragraphs,
            turns=self.turns,
            speakers={name: s for name, s in self.registry.speakers.items() if name in speaking},
            layout=self.layout,
        )
