"""Segmenting measured on real transcripts nobody here wrote: the QMSum meetings.

Every meeting of ../shared/benchmarks/qmsum/{train,val} (a JSON list of speaker turns) is
rendered as a file in several common layouts, read and segmented by the product's own read and
segment stages (and chunked), and compared with the turns it came from:

    name_colon   Lynne Neagle AM: Good afternoon ...         (a blank line between turns)
    name_colon_lines                                          (the same, one turn a line, no blank lines)
    name_line    LYNNE NEAGLE AM            (the name alone on its line, the words below)
                 Good afternoon ...
    title_role   Mr. Lynne Neagle (Assembly Member): Good afternoon ...
    hansard      L NEAGLE AM: ...   Hon B BLAIR (Minister of ...): ...   The CHAIR: ...
    hansard_continued  the same, long turns in paragraphs of three sentences with only the first
                 marked, and "An HON MEMBER: Hear, hear!" after the first paragraph of every fifth
                 long turn (a turn of its own; the next paragraph is the interrupted speaker's)
    webvtt       cues of a dozen words, <v Lynne Neagle AM> voice tags (Teams)
    webvtt_zoom  cues of a dozen words, "Lynne Neagle AM: " in front of each (Zoom)
    json         the QMSum file itself

Per layout: the share of turns whose chunk carries the right speaker, of turn boundaries kept
(two consecutive turns in two different segmented turns), of turns whose words are lost (not
found verbatim in any paragraph), and the time to read, segment and chunk every meeting.

The right speaker is the person the label names, as a reader of the rendering would say:
titles and post-nominal letters aside ("Hon. Bill Blair" is Bill Blair), the person in the
parenthesis of an office ("The Chair (Hon. Anthony Rota (...))" is Anthony Rota), an office the
meeting has assigned ("The Chair" after that line is Anthony Rota), and an initial matching the
given name it stands for (Hansard's "B BLAIR"). Nothing here is read by the segmenter.

    .venv/bin/python eval/segment_qmsum.py --split train          # develop
    .venv/bin/python eval/segment_qmsum.py --split val            # report
    .venv/bin/python eval/segment_qmsum.py --split all --errors 5 # with examples of misattributed turns
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rag.read import read_document  # noqa: E402  (once the repo is on the path)
from rag.segment import make_chunks, segment_minutes  # noqa: E402

QMSUM = ROOT.parent / "shared" / "benchmarks" / "qmsum"
TITLES = ("Right Hon.", "Hon.", "Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Dr", "Professor", "Prof.")
TITLE_WORDS = {"right", "hon", "honourable", "mr", "mrs", "ms", "miss", "dr", "professor", "prof"}
POST_NOMINALS = {"am", "mp", "ms", "mla", "msp"}
CUE_WORDS = 12


@dataclass(frozen=True)
class Turn:
    label: str  # as QMSum writes the speaker
    person: str  # who it is (see the module docstring)
    text: str


@dataclass
class Tally:
    turns: int = 0
    right: int = 0
    boundaries: int = 0
    kept: int = 0
    lost: int = 0
    seconds: float = 0.0
    meetings: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("turns", "right", "boundaries", "kept", "lost", "seconds", "meetings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors


# -- who speaks -----------------------------------------------------------------------------------
def _outer(label: str) -> tuple[str, str]:
    """("The Chair", "Hon. Anthony Rota (Nipissing, Lib.)") from "The Chair (Hon. Anthony Rota (Nipissing, Lib.))"."""
    if "(" not in label or not label.endswith(")"):
        return label.strip(), ""
    i = label.index("(")
    return label[:i].strip(), label[i + 1 : -1].strip()


def reference_people(labels: list[str]) -> list[str]:
    """The person behind each label of one meeting, in order."""
    offices: dict[str, str] = {}
    people = []
    for label in labels:
        head, inside = _outer(label)
        if head.startswith("The ") and inside.startswith(TITLES):
            person = _outer(inside)[0]
            offices[head] = person
        elif label in offices:
            person = offices[label]
        else:
            person = head
        people.append(person)
    return people


def _key(name: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()
    words = [w for w in re.split(r"[\s.]+", folded) if w]
    while len(words) > 1 and (words[0] in TITLE_WORDS or (words[0] == "the" and words[1] in TITLE_WORDS)):
        words.pop(0)  # "The Honourable Patty Hajdu" is Patty Hajdu
    if len(words) > 2 and words[-1] in POST_NOMINALS:
        words.pop()
    return words


def same_person(found: str, expected: str) -> bool:
    a, b = _key(found), _key(expected)
    return len(a) == len(b) and all(
        x == y or (min(len(x), len(y)) == 1 and x[0] == y[0]) for x, y in zip(a, b, strict=True)
    )


# -- renderings -----------------------------------------------------------------------------------
def _is_people_meeting(stem: str) -> bool:
    """Parliamentary committees name people; the AMI and ICSI meetings name roles ("Project Manager", "PhD A")."""
    return stem.startswith(("covid_", "education_"))


def _title_and_name(text: str) -> tuple[str, str]:
    for title in TITLES:
        if text.startswith(title + " "):
            return title, text[len(title) :].strip()
    return "", text


def _hansard_person(text: str) -> str:
    """ "Hon. Bill Blair" -> "Hon B BLAIR"; "Kirsty Williams AM" -> "K WILLIAMS AM"."""
    title, name = _title_and_name(text)
    words = name.split()
    suffix = words.pop() if len(words) > 2 and words[-1].lower() in POST_NOMINALS else ""
    if len(words) < 2:
        return " ".join(x for x in (title.rstrip("."), name.upper()) if x)
    initials = " ".join(w[0].upper() for w in words[:-1])
    return " ".join(x for x in (title.rstrip("."), initials, words[-1].upper(), suffix) if x)


def hansard_label(label: str, people: bool) -> str:
    if not people:
        return label.upper()
    head, inside = _outer(label)
    if head.startswith("The "):
        office = "The " + head[4:].upper()
        if inside.startswith(TITLES):
            person, affiliation = _outer(inside)
            inner = f"{_hansard_person(person)} ({affiliation})" if affiliation else _hansard_person(person)
            return f"{office} ({inner})"
        return f"{office} ({inside})" if inside else office
    return f"{_hansard_person(head)} ({inside})" if inside else _hansard_person(head)


def title_role_label(label: str, people: bool) -> str:
    """ "Mr. Name (Role)": the label with a title and a parenthesis when it has none."""
    head, inside = _outer(label)
    if head.startswith(("The ", *TITLES)):
        return label if inside else f"{label} (Member)"
    words = head.split()
    role = "Assembly Member" if people and words[-1] == "AM" else "Witness" if people else "Team member"
    name = " ".join(words[:-1]) if people and words[-1] == "AM" else head
    return f"Mr. {name} ({role})"


def _timestamp(seconds: float) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h):02d}:{int(m):02d}:{s:06.3f}"


def webvtt(turns: list[Turn], voice_tags: bool) -> str:
    lines = ["WEBVTT", ""]
    clock = 0.0
    for turn in turns:
        words = turn.text.split()
        for i in range(0, len(words), CUE_WORDS):
            cue = " ".join(words[i : i + CUE_WORDS])
            lines.append(f"{_timestamp(clock)} --> {_timestamp(clock + 4)}")
            lines.append(f"<v {turn.label}>{cue}</v>" if voice_tags else f"{turn.label}: {cue}")
            lines.append("")
            clock += 4
    return "\n".join(lines)


def hansard_continued(turns: list[Turn], people: bool) -> tuple[str, list[Turn]]:
    """Hansard with each long turn in paragraphs of three sentences, only the first marked, and an
    interjection after the first paragraph of every fifth long turn: the units to find are the
    paragraphs (a continuation is its turn's speaker's; the interjection is the members')."""
    blocks: list[str] = []
    units: list[Turn] = []
    long_turns = 0
    for turn in turns:
        sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z])", turn.text.strip())
        pieces = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        for i, piece in enumerate(pieces):
            blocks.append(f"{hansard_label(turn.label, people)}: {piece}" if i == 0 else piece)
            units.append(Turn(turn.label, turn.person, piece))
            if i == 0 and len(pieces) > 1:
                long_turns += 1
                if long_turns % 5 == 0:
                    blocks.append("An HON MEMBER: Hear, hear!")
                    units.append(Turn("An HON MEMBER", "An Hon Member", "Hear, hear!"))
    return "\n\n".join(blocks), units


def render(layout: str, turns: list[Turn], people: bool) -> tuple[str, str]:
    """(file suffix, content) of one meeting in one layout."""
    if layout == "hansard_continued":
        return ".txt", hansard_continued(turns, people)[0]
    if layout == "name_colon":
        return ".txt", "\n\n".join(f"{t.label}: {t.text}" for t in turns)
    if layout == "name_colon_lines":
        return ".txt", "\n".join(f"{t.label}: {t.text}" for t in turns)
    if layout == "name_line":
        return ".txt", "\n\n".join(f"{t.label.upper()}\n{t.text}" for t in turns)
    if layout == "title_role":
        return ".txt", "\n\n".join(f"{title_role_label(t.label, people)}: {t.text}" for t in turns)
    if layout == "hansard":
        return ".txt", "\n\n".join(f"{hansard_label(t.label, people)}: {t.text}" for t in turns)
    if layout == "webvtt":
        return ".vtt", webvtt(turns, voice_tags=True)
    if layout == "webvtt_zoom":
        return ".vtt", webvtt(turns, voice_tags=False)
    raise ValueError(layout)


LAYOUTS = (
    "name_colon",
    "name_colon_lines",
    "name_line",
    "title_role",
    "hansard",
    "hansard_continued",
    "webvtt",
    "webvtt_zoom",
    "json",
)


# -- measuring ------------------------------------------------------------------------------------
def load_turns(path: Path) -> list[Turn]:
    items = [t for t in json.loads(path.read_text(encoding="utf-8"))["meeting_transcripts"] if t["content"].strip()]
    people = reference_people([t["speaker"] for t in items])
    return [Turn(t["speaker"], person, t["content"]) for t, person in zip(items, people, strict=False)]


def measure(path: Path, turns: list[Turn], max_errors: int) -> Tally:
    tally = Tally(meetings=1)
    started = time.perf_counter()
    minutes = segment_minutes(read_document(path))
    chunks = make_chunks(minutes)
    tally.seconds = time.perf_counter() - started
    speaker_of = {pid: chunk.speaker for chunk in chunks for pid in chunk.paragraph_ids}
    paragraphs = [(p, " ".join(p.text.split())) for p in minutes.paragraphs]
    at, offset = 0, 0  # where the previous turn's words ended
    previous = None  # (turn, paragraph index, segmented turn) of the previous turn found
    for turn in turns:
        tally.turns += 1
        words = " ".join(turn.text.split())
        found = _locate(paragraphs, words, at, offset)
        if found is None:
            tally.lost += 1
            previous = None
            continue
        at, offset = found
        paragraph = paragraphs[at][0]
        speaker = speaker_of.get(paragraph.id, "")
        if same_person(speaker, turn.person):
            tally.right += 1
        else:
            tally.errors.append(f"{path.name}: {turn.label!r} -> {speaker!r}: {words[:70]}")
        if previous is not None and previous[0].person != turn.person:  # one speaker's consecutive turns may join
            tally.boundaries += 1
            tally.kept += at != previous[1] and paragraph.turn != previous[2]
        previous = (turn, at, paragraph.turn)
    return tally


def _locate(paragraphs: list, words: str, at: int, offset: int) -> tuple[int, int] | None:
    """Where a turn's words are, in document order after the previous turn's: (paragraph index,
    end offset), or None when they are nowhere in the next 50 paragraphs."""
    for i in range(at, min(at + 50, len(paragraphs))):
        text = paragraphs[i][1]
        start = text.find(words, offset if i == at else 0)
        while start >= 0:
            end = start + len(words)
            if (start == 0 or text[start - 1] == " ") and (end == len(text) or text[end] == " "):  # whole words
                return i, end
            start = text.find(words, start + 1)
    return None


def run(split: str, layouts: list[str], limit: int | None, max_errors: int) -> dict[str, Tally]:
    files = sorted(p for s in (("train", "val") if split == "all" else (split,)) for p in (QMSUM / s).glob("*.json"))
    files = files[:limit] if limit else files
    tallies: dict[str, Tally] = defaultdict(Tally)
    with tempfile.TemporaryDirectory() as folder:
        for path in files:
            turns = load_turns(path)
            for layout in layouts:
                if layout == "json":
                    target = path  # the QMSum file itself, read where it lies
                else:
                    suffix, content = render(layout, turns, _is_people_meeting(path.stem))
                    target = Path(folder) / f"{path.stem}{suffix}"
                    target.write_text(content, encoding="utf-8")
                units = turns
                if layout == "hansard_continued":
                    units = hansard_continued(turns, _is_people_meeting(path.stem))[1]
                tallies[layout].add(measure(target, units, max_errors))
    return tallies


def table(tallies: dict[str, Tally]) -> str:
    rows = [
        "| layout | meetings | turns | right speaker (wrong) | boundaries kept | quotes lost "
        "| read + segment + chunk |",
        "|---|---|---|---|---|---|---|",
    ]
    total = Tally()
    for layout, t in tallies.items():
        total.add(t)
        rows.append(_row(layout, t))
    rows.append(_row("**all**", total))
    return "\n".join(rows)


def _row(name: str, t: Tally) -> str:
    return (
        f"| {name} | {t.meetings} | {t.turns} | {t.right / max(t.turns, 1):.4f} ({t.turns - t.right - t.lost}) | "
        f"{t.kept / max(t.boundaries, 1):.4f} | {t.lost / max(t.turns, 1):.4f} | {t.seconds:.1f} s |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "val", "all"), default="train")
    parser.add_argument("--layouts", nargs="+", choices=LAYOUTS, default=list(LAYOUTS))
    parser.add_argument("--limit", type=int, help="only the first N meetings")
    parser.add_argument("--errors", type=int, default=0, help="show up to N misattributed turns per layout")
    args = parser.parse_args(argv)
    tallies = run(args.split, args.layouts, args.limit, args.errors)
    print(table(tallies))
    for layout, t in tallies.items():
        for error in t.errors[: args.errors]:
            print(f"  {layout}: {error}")
    worst = min(t.right / max(t.turns, 1) for t in tallies.values())
    return 0 if worst >= 0.99 else 1


if __name__ == "__main__":
    sys.exit(main())
