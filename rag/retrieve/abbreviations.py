"""Abbreviations the minutes define, so a question that spells a name out finds the passages
that write only its short form.

Minutes introduce an abbreviation once ("the Triangular Partnership Programme (TPP)") and then
use it alone ("TPP was launched in 2015"). A question that spells the name out shares no word
with that sentence, for BM25 or for a small embedding model. The definitions are learned from the
documents themselves with the Schwartz-Hearst rule (Schwartz & Hearst, 2003: the short form's
characters occur in order in the words before the parenthesis, its first character starting a
word), so no list of abbreviations is kept; the question retrieval reads then carries both forms:
"When was the Triangular Partnership Programme (TPP) launched?".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# "(TPP)", "(UNMISS)", "(PKO)", "(DPPA)": a parenthesis holding one short form with a capital
SHORT_FORM = re.compile(r"\(([A-Za-z][A-Za-z0-9&-]{1,9})\)")
CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]\n]")
WORD = re.compile(r"[\w'&-]+")


def long_form(words: list[str], short: str) -> list[str] | None:
    """The shortest run of trailing `words` the short form abbreviates (Schwartz-Hearst: its
    characters, right to left, are found in order, the first one at the start of a word)."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or sum(c.isupper() for c in short) < 2:
        return None
    # at most min(|A| + 5, 2|A|) words, as in the original algorithm
    limit = min(len(letters) + 5, 2 * len(letters))
    candidate = words[-limit:]
    text = " ".join(candidate).lower()
    i = len(text) - 1
    for n, c in enumerate(reversed(letters)):
        first = n == len(letters) - 1
        while i >= 0 and (text[i] != c or (first and i > 0 and text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
    start = text.rfind(" ", 0, i + 2) + 1
    found = text[start:].split()
    if len(found) < 2 or found[-1] == short.lower():
        return None
    return candidate[len(candidate) - len(found) :]


class Abbreviations:
    """Short forms and the long forms the documents define them by."""

    def __init__(self, definitions: dict[str, list[str]]):
        self.definitions = definitions  # short form -> its long forms, the most used first
        # compiled once per index state, not once per question: an archive defines hundreds
        self._patterns = [
            (
                short,
                re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])"),
                re.compile("|".join(rf"(?<!\w){re.escape(long)}(?!\w)" for long in longs), re.IGNORECASE),
            )
            for short, longs in definitions.items()
        ]

    @classmethod
    def learn(cls, texts: Iterable[str]) -> Abbreviations:
        counts: dict[str, Counter[str]] = {}  # short form -> long form (lower case) -> definitions
        written: dict[str, str] = {}  # a long form in lower case -> as first written
        for text in texts:
            for match in SHORT_FORM.finditer(text):
                short = match.group(1)
                # a long form does not run across a comma or a clause: "Mali, the DRC, ... (MINUSCA)"
                clause = CLAUSE_BREAK.split(text[max(0, match.start() - 200) : match.start()])[-1]
                words = long_form(WORD.findall(clause), short)
                if words:
                    long = " ".join(words)
                    written.setdefault(long.lower(), long)
                    counts.setdefault(short, Counter())[long.lower()] += 1
        return cls({short: [written[long] for long, _ in c.most_common()] for short, c in counts.items()})

    def expand(self, question: str) -> str:
        """The question with each defined long form it spells out followed by its short form in
        parentheses. Only that way round: the short form is one rare word that says what the
        long form says, while a long form added to a question holding the short form brings
        several common words ("Japan", "Training", "Center") that outweigh the question's own."""
        additions: list[tuple[int, str]] = []
        for short, short_form, long_forms in self._patterns:
            if not short_form.search(question) and (found := long_forms.search(question)):
                additions.append((found.end(), f" ({short})"))
        for at, text in sorted(additions, reverse=True):
            question = question[:at] + text + question[at:]
        return question
