"""Documents and speakers by any name: filters accept an id, a file name, an alias or a unique part,
and a question's own words name speakers ("What did Kawasaki recommend?").

Both directories are built from the index once per index state (the pipeline rebuilds them after
a write), never once per question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import takewhile
from pathlib import Path

from rag.errors import PipelineError
from rag.text import STOPWORDS, SUFFIXES, TITLE_WORDS, without_possessive, word_tokens
from rag.text.address import FEMININE_TITLES, MASCULINE_TITLES
from rag.text.numbers import ordinal_value

# The segmenter names audience members "Audience member (Question N)" and keeps the document's
# labels for them as aliases ("(Question 3)", "(Questioner)"). A question may point at them by order
# ("the second questioner", "question 5", "the last audience member"): the nouns it may use are the
# words of those names and labels, learned per index (`_order_forms`), not a list written here.
AUDIENCE_MEMBER = re.compile(r"Audience member \(Question (\d+)\)")
# A position counted from the end; "no." and "number" between a noun and its count ("question no. 3").
LAST_WORDS = frozenset({"last", "final"})
COUNT_WORDS = frozenset({"no", "number", "nr"})
# A noun of the labels still matches with a short ending added or taken away: "questioner" and
# "questioners" for the label "Question", "members" for "member".
WORD_ENDING = 3
SUFFIX_WORDS = frozenset(suffix.lower() for suffix in SUFFIXES)  # "AM", "MP": after a name, not of it
# Family names this short ("Ma", "Li") match too many ordinary words to be looked for in a question.
MIN_NAME_LENGTH = 3
# A place written as its adjective ("Kenyan", "German", "Japanese") matches the place ("Kenya",
# "Germany", "Japan") when what is left after the suffix starts the place's name.
DEMONYM_SUFFIXES = ("ese", "ian", "an", "ish", "i", "n")
MIN_STEM = 4
# Third-person pronouns, by the person they stand for; a follow-up's "she" is someone called "she".
PRONOUNS = {"she": frozenset({"she", "her", "hers", "herself"}), "he": frozenset({"he", "him", "his", "himself"})}
# Words after a mention of a speaker's name in which the minutes' next pronoun is taken to be theirs
# ("Prof. Akiko Yuge said that, speaking from her 30 years of experience ...").
PRONOUN_REACH = 12
# Words that describe everyone in a meeting: they never single out a speaker.
GENERIC_DESCRIPTORS = frozenset({"member", "members", "participant", "speaker", "person", "audience", "question"})
# An English question asks about its subject, which follows its wh-word and auxiliary: "Why did
# Marketing disagree with Industrial Designer?", "How did Kirsty Williams AM answer Sian Gwenllian's
# question?" are about Marketing and Kirsty Williams.
_SUBJECT_SLOT = re.compile(
    r"^\W*(?:what|why|how|when|where|which|who)\s+(?:did|does|do|was|were|is|are|has|have|had|would|will|could|should|can)\b",
    re.IGNORECASE,
)
# ... unless another follows it with "and" or "or": "What did Julie Morgan and Karen Cornish think?"
_COORDINATED = re.compile(r"(?:\s+(?:" + "|".join(SUFFIXES) + r")\b)*,?\s+(?:and|or)\b", re.IGNORECASE)


_TITLES_AND_THE = TITLE_WORDS | {"the"}


def _only_titles(text: str) -> bool:
    """The text between two words holds nothing but titles and "the"."""
    return all(w.lower() in _TITLES_AND_THE for w in word_tokens(text))


def _descriptor_words(name: str, info: Mapping) -> set[str]:
    """The words of a speaker's role, affiliation and titles (not of their name)."""
    name_words = {
        w.lower()
        for form in [name, *info.get("aliases", [])]
        for w in word_tokens(form)
        if w.lower() not in TITLE_WORDS
    }
    text = " ".join([str(info.get("role", "")), str(info.get("affiliation", "")), *info.get("aliases", [])])
    return {w.lower() for w in word_tokens(text) if w.lower() not in STOPWORDS} - name_words


def _label_forms(forms: Iterable[str]) -> set[tuple[str, ...]]:
    """The word sequences of an audience member's name and labels, numbers left out and each
    bracketed part apart: "Audience member (Question 2)" gives ("audience", "member") and
    ("question",)."""
    parts = (part for form in forms for part in re.split(r"[()]", form))
    sequences = (tuple(w.lower() for w in word_tokens(part) if not w.isdigit()) for part in parts)
    return {words for words in sequences if words}


def _same_noun(token: str, word: str) -> bool:
    """ "questioner" and "questions" are the label "question"; "members" is "member"."""
    short, long = sorted((token, word), key=len)
    return long.startswith(short) and len(long) - len(short) <= WORD_ENDING and len(short) >= 3


def _position(token: str, last: int) -> int:
    """The position an ordinal gives ("second" 2, "5th" 5, "last" the highest); 0 for other words."""
    return last if token in LAST_WORDS else ordinal_value(token)


def _run(tokens: list[str], start: int, words: set[str]) -> int:
    """Length of the description of a speaker (by `words`) starting at tokens[start]; a lone
    word counts only as a definite description ("the Minister"), never inside another phrase
    ("Japan's engineering unit" is no reference to a research unit's commander)."""
    length, i = 0, start
    while i < len(tokens):
        token = tokens[i]
        if length and token in STOPWORDS:
            i += 1  # "member for Joliette": small words inside a description
            continue
        if token in GENERIC_DESCRIPTORS or not _describes(token, words):
            break
        length, i = length + 1, i + 1
    if length == 1 and (start == 0 or tokens[start - 1] != "the"):
        return 0
    return length


def _describes(token: str, words: set[str]) -> bool:
    if token in STOPWORDS or len(token) < 2:
        return False
    if token in words:
        return True
    stems = [token[: -len(s)] for s in DEMONYM_SUFFIXES if token.endswith(s) and len(token) - len(s) >= MIN_STEM]
    return any(w.startswith(stem) for stem in stems for w in words)


def _name_words(form: str) -> list[str]:
    """The words of a form of a name without titles, suffixes or a bracketed role: "Hon. Bill
    Blair (Minister of Public Safety)" -> Bill, Blair."""
    return [w for w in word_tokens(form.split("(")[0]) if w.lower() not in TITLE_WORDS | SUFFIX_WORDS]


def _family_names(forms: Iterable[str]) -> set[str]:
    """The last name words of a speaker's forms, long enough to be looked for alone (MIN_NAME_LENGTH)."""
    return {words[-1] for form in forms if (words := _name_words(form)) and len(words[-1]) >= MIN_NAME_LENGTH}


def _hyphen_runs(word: str) -> set[str]:
    """Every run of a hyphenated word's parts: "a-b-c" -> a, b, c, a-b, b-c, a-b-c."""
    parts = word.split("-")
    return {"-".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}


def _titled(form: str) -> list[str]:
    """A titled form of a name as a question shortens it, its last title and its family name:
    "Dr David Blaney" -> Dr, Blaney ("Dr. Blaney" is not the Hon. Steven Blaney)."""
    tokens = word_tokens(form.split("(")[0])
    titles = list(takewhile(lambda w: w.lower() in TITLE_WORDS, tokens))
    words = _name_words(form)
    return [titles[-1], words[-1]] if titles and words else []


def _normal(name: str) -> str:
    return " ".join(name.lower().replace(".", " ").split())


class DocumentDirectory:
    """A document id from its id, file name, or a unique part of either."""

    def __init__(self, doc_ids: Sequence[str]):
        self.doc_ids = list(doc_ids)

    def resolve(self, name: str) -> str:
        key = Path(name).stem.lower()
        exact = [d for d in self.doc_ids if d.lower() == key]
        if exact:
            return exact[0]
        partial = [d for d in self.doc_ids if key in d.lower()]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise PipelineError(f"no document matches {name!r} (known: {', '.join(self.doc_ids) or 'none'})")
        raise PipelineError(f"{name!r} matches several documents: {', '.join(partial)}")


def learn_pronouns(forms: Mapping[str, set[str]], turns: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """The pronoun ("she" or "he") each speaker takes, where the minutes say it: the honorific of a
    form of their name ("Ms. Junko Sazaki", "Mr. Oshima") and, in their own turns, the first
    third-person pronoun within PRONOUN_REACH words after their family name, as reported minutes
    write ("Prof. Akiko Yuge said that, speaking from her 30 years ..."). A speaker both ways, or
    neither, is left out: unknown, not guessed."""
    learnt: dict[str, str] = {}
    for name, name_forms in forms.items():
        votes = {"she": 0, "he": 0}
        for form in name_forms:
            first = form.split()[0].lower().rstrip(".") if form.split() else ""
            votes["she"] += first in FEMININE_TITLES
            votes["he"] += first in MASCULINE_TITLES
        family = {f.lower() for f in _family_names(name_forms)}
        for text in (turns or {}).get(name, ()):
            tokens = [w.lower() for w in word_tokens(text)]
            for i, token in enumerate(tokens):
                if token in family:
                    following = tokens[i + 1 : i + 1 + PRONOUN_REACH]
                    said = next((p for w in following for p, words in PRONOUNS.items() if w in words), None)
                    if said:
                        votes[said] += 1
        if votes["she"] != votes["he"] and min(votes.values()) == 0:
            learnt[name] = max(votes, key=lambda p: votes[p])
    return learnt


class SpeakerDirectory:
    """Canonical speakers, every form of their names, the speakers a question names, and the
    pronoun each takes where the minutes say it (`turns`: each speaker's turn texts)."""

    def __init__(self, speakers: Mapping[str, Mapping], turns: Mapping[str, Sequence[str]] | None = None):
        self.forms = {name: {name, *info.get("aliases", [])} for name, info in speakers.items()}
        self.pronouns = learn_pronouns(self.forms, turns)
        self.descriptors = {name: _descriptor_words(name, info) for name, info in speakers.items()}
        self._normal_forms = {name: {_normal(f) for f in forms} for name, forms in self.forms.items()}
        self.docs = {name: frozenset(info.get("docs", ())) for name, info in speakers.items()}
        self._patterns: list[tuple[str, re.Pattern]] = []
        self._full_names: dict[str, re.Pattern] = {}
        self._family: dict[str, set[str]] = {}
        self._by_last_word: dict[str, set[str]] = {}
        self._turns = turns or {}
        self._ordinary: dict[str, bool] = {}
        self._audience: dict[int, str] = {}
        self._order_forms: set[tuple[str, ...]] = set()  # ("audience", "member"), ("question",), ...
        for name, forms in self.forms.items():
            m = AUDIENCE_MEMBER.fullmatch(name)
            if m:
                self._audience[int(m.group(1))] = name
                self._order_forms |= _label_forms(forms)
            if name.startswith(("Audience member", "Announcer")):
                continue
            family = _family_names(forms)
            self._family[name] = {f.lower() for f in family}
            if family:
                self._patterns.append(
                    (name, re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(family))) + r")\b", re.I))
                )
            full = sorted(
                {" ".join(words) for f in forms for words in (_name_words(f), _titled(f)) if len(words) >= 2},
                key=len,
                reverse=True,
            )
            if full:
                self._full_names[name] = re.compile(
                    r"\b(?:" + "|".join(r"[\s.]+".join(map(re.escape, f.split())) for f in full) + r")\b", re.I
                )
            # every name ends in one of these words: a question without any of them names nobody,
            # so a question is matched against the few speakers whose last words it holds
            for word in self._family[name] | {f.split()[-1].lower() for f in full}:
                self._by_last_word.setdefault(word, set()).add(name)

    def resolve(self, name: str) -> str:
        """A canonical speaker from a canonical name, an alias the minutes use, or a unique part."""
        key = _normal(name)
        for canonical, forms in self._normal_forms.items():
            if key in forms:
                return canonical
        partial = [c for c in self.forms if all(part in c.lower() for part in key.split())]
        if len(partial) == 1:
            return partial[0]
        if not partial:
            raise PipelineError(f"no speaker matches {name!r} (see `minutes-rag speakers`)")
        raise PipelineError(f"{name!r} matches several speakers: {', '.join(sorted(partial))}")

    def named_in(self, question: str, docs: Sequence[str] | None = None) -> list[str]:
        """Speakers a question names by full name, family name or alias, then audience members it
        points at by order. A label whose last word is too short to look for alone ("Grad D",
        "PhD C") is named whole.

        A family name inside another speaker's full name names nobody: "Julie Morgan" is not
        Eluned Morgan, "David Blaney" not Hefin David. When the question writes capitals (a sentence
        begun with one is enough), a family name the minutes also write in lower case as an
        ordinary word counts only with its capital ("young people" is not Kate Young; "oshima"
        still is Oshima); a question all in lower case may write names so too. With `docs`, of
        speakers sharing a family name those who spoke in the documents are kept, when any did:
        "Dr. Blaney" in one meeting is the Blaney who spoke in it.
        """
        words = {without_possessive(w.lower()) for w in word_tokens(question)}
        # a name inside a longer hyphenated word: "Finch-Saunders" in "Janet-Finch-Saunders"
        words |= {part for word in words if "-" in word for part in _hyphen_runs(word)}
        candidates = set().union(*(self._by_last_word.get(word, ()) for word in words))
        full = {
            name: [m.span() for m in pattern.finditer(question)]
            for name, pattern in self._full_names.items()
            if name in candidates
        }
        spans = [span for found_spans in full.values() for span in found_spans]
        cased = any(ch.isupper() for ch in question)
        found = []
        for name, pattern in self._patterns:
            if name not in candidates:
                continue
            if full.get(name) or any(
                not any(start <= m.start() < end for start, end in spans)
                and (not cased or m.group(0)[:1].isupper() or not self._is_ordinary(m.group(0).lower()))
                for m in pattern.finditer(question)
            ):
                found.append(name)
        found += [name for name, spans_of in full.items() if spans_of and name not in found]
        for n in self._audience_by_order(question):
            if self._audience[n] not in found:
                found.append(self._audience[n])
        if docs:  # of speakers sharing a family name, those of the documents asked about
            here = [name for name in found if self.docs.get(name, frozenset()) & set(docs)]
            found = [
                name
                for name in found
                if name in here
                or not any(self._family.get(name, set()) & self._family.get(other, set()) for other in here)
            ]
        return found

    def subject_of(self, question: str, named: Sequence[str]) -> str | None:
        """Of the speakers a question names (`named`), the one it asks about as the subject of its
        wh-question: named right after the wh-word and its auxiliary, with at most a title or "the"
        between ("Why did Marketing disagree with Industrial Designer?" -> Marketing). None when the
        question has no such form, none of them stands there, or the subject is several speakers
        ("What did Julie Morgan and Karen Cornish think ...?")."""
        slot = _SUBJECT_SLOT.match(question)
        if slot is None:
            return None
        for name in named:
            spans = self._mentions(question, name)
            if spans and _only_titles(question[slot.end() : spans[0][0]]):
                coordinated = _COORDINATED.match(question, spans[0][1]) is not None
                return None if coordinated else name
        return None

    def _mentions(self, question: str, name: str) -> list[tuple[int, int]]:
        """Where the question writes a form of the speaker's name, in order."""
        patterns = [self._full_names.get(name), *(pattern for n, pattern in self._patterns if n == name)]
        return sorted(m.span() for pattern in patterns if pattern for m in pattern.finditer(question))

    def _audience_by_order(self, question: str) -> list[int]:
        """The numbers of the audience members a question points at by order: an ordinal ("second",
        "5th", "last") before one of their names or labels, at most one word between ("the last
        audience questioner"), or a label followed by its number ("question 3", "question no. 3")."""
        if not self._audience:
            return []
        tokens = [without_possessive(w.lower()) for w in word_tokens(question)]
        last = max(self._audience)
        numbers = []
        for i, token in enumerate(tokens):
            position = _position(token, last)
            if position and any(self._form_at(tokens, i + 1 + skip) for skip in (0, 1)):
                numbers.append(position)
            elif length := self._form_at(tokens, i):
                after = [w for w in tokens[i + length : i + length + 2] if w not in COUNT_WORDS][:1]
                if after and after[0].isdigit():
                    numbers.append(int(after[0]))
        return [n for n in numbers if n in self._audience]

    def _form_at(self, tokens: list[str], start: int) -> int:
        """Length of the longest audience name or label starting at tokens[start] (0: none)."""
        return max(
            (
                len(form)
                for form in self._order_forms
                if len(tokens) - start >= len(form) and all(map(_same_noun, tokens[start:], form))
            ),
            default=0,
        )

    def _is_ordinary(self, word: str) -> bool:
        """Whether the minutes also write `word` in lower case ("young"), as an ordinary word: in a
        question written with capitals such a family name names someone only with its capital,
        while "oshima" typed in lower case still does. Looked up the first time a question writes
        a family name in lower case (rare), not at start-up, which would read every turn."""
        if word not in self._ordinary:
            pattern = re.compile(rf"\b{re.escape(word)}\b")
            self._ordinary[word] = any(pattern.search(text) for texts in self._turns.values() for text in texts)
        return self._ordinary[word]

    def pronoun_of(self, name: str) -> str | None:
        """ "she", "he", or None when the minutes do not say."""
        return self.pronouns.get(name)

    def described_in(self, question: str) -> list[str]:
        """Speakers a question points at by role, office, affiliation or nationality, from the
        speakers' own metadata: "the Minister", "the member for Joliette", "the Kenyan embassy
        participant", "the German colonel".

        A description is a run of consecutive question words that all describe one speaker
        (small words such as "of" and "for" may sit inside it): two words or more, or one right
        after "the" ("the Minister"). It picks that speaker when no other speaker is described by
        as long a run.
        """
        tokens = [w.lower() for w in word_tokens(question)]
        best: dict[str, int] = {}
        for name, words in self.descriptors.items():
            longest = max((_run(tokens, start, words) for start in range(len(tokens))), default=0)
            if longest:
                best[name] = longest
        if not best:
            return []
        top = max(best.values())
        chosen = [name for name, length in best.items() if length == top]
        return chosen if len(chosen) == 1 else []
