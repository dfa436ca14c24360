"""Check every cited sentence of an answer against the passages it cites.

No entailment (NLI) model that ships its weights inside a PyPI package was found for this
workplace, so the check is lexical and documented (README, "Citation checking"):

* a claim's *terms* are its stemmed content words, minus the words of the cited speakers' names
  and roles (an answer says "Col. Klaffus argued ..."; the passage is his own words); a claim
  whose terms all come from the passage's header (speaker, section, document, date) is a copied
  header line and is not supported;
* *coverage* is the IDF-weighted share of those terms found in the cited passages (text plus the
  speaker/section line and date), so rare words ("MINUSMA", "10.8") count more than common ones;
  a claim restating the question's premise, which the cited speaker's shown passages hold
  (`grounded`), may instead be judged by the coverage of what it adds;
* a claim is supported when coverage >= `threshold` and every figure it states is one a cited
  passage states, in digits or in words ("six months" needs a "six" or a "6"; a wrong figure is
  the commonest unsupported claim, and a small model writes figures out in words);
* the *quote* of a citation is the passage sentence that best matches the claims citing it,
  for the UI to highlight.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rag.text import SentenceScorer, figure_values, split_sentences
from rag.verify.citations import MARKER, cited_numbers, strip_markers

# the question's terms the passages shown hold, by (document, speaker) of the passages holding them
Premise = Mapping[tuple[str, str], frozenset[str]]
NO_PREMISE: Premise = {}

_LEADING_MARKERS = re.compile(r"^(?:\[\s*\d[\d,\s]*\]\s*)+")


@dataclass
class Verdict:
    sentence: str  # as in the answer, markers stripped
    citations: list[int]  # 1-based, into the cited passages
    coverage: float
    numbers_ok: bool
    supported: bool


@dataclass
class SupportReport:
    verdicts: list[Verdict] = field(default_factory=list)
    quotes: dict[int, str] = field(default_factory=dict)  # citation number -> supporting sentence

    @property
    def unsupported(self) -> list[dict]:
        return [
            {"sentence": v.sentence, "citations": v.citations} for v in self.verdicts if v.citations and not v.supported
        ]

    @property
    def uncited(self) -> list[str]:
        return [v.sentence for v in self.verdicts if not v.citations]


def answer_sentences(text: str) -> list[str]:
    """Sentences of an answer, with a marker that trails its full stop ("... budget. [1]") kept
    on the sentence it belongs to."""
    out: list[str] = []
    for sentence in split_sentences(text):
        lead = _LEADING_MARKERS.match(sentence)
        if out and lead:  # "[1]" that opened this piece closes the previous sentence
            out[-1] = f"{out[-1]} {lead.group(0).strip()}"
            sentence = sentence[lead.end() :]
        if sentence.strip(" .,;:"):
            out.append(sentence)
    return out


def _with_marker(sentence: str, n: int) -> str:
    """The sentence with its markers replaced by `[n]`, placed before its final full stop."""
    bare = re.sub(r"\s+([.!?])$", r"\1", MARKER.sub("", sentence).rstrip())
    return re.sub(r"([.!?]?)$", lambda m: f" [{n}]{m.group(1)}", bare, count=1)


class SupportChecker:
    def __init__(self, scorer: SentenceScorer, threshold: float):
        self.scorer = scorer
        self.threshold = threshold

    def grounded(self, question: str, shown: Sequence) -> Premise:
        """The question's terms that the passages shown with it hold, by the speaker (in a
        document) whose passages hold them: the question's premise as retrieval found it ("Of
        NATO's seven baseline requirements ..., which one did he stress?")."""
        if not question:
            return {}
        asked = self.scorer.terms(question)
        held: dict[tuple[str, str], set[str]] = {}
        for p in shown:
            tokens = self.scorer.tokens(f"{p.chunk.context_line()} {p.chunk.text}")
            held.setdefault((p.chunk.doc_id, p.chunk.speaker), set()).update(asked & tokens)
        return {key: frozenset(terms) for key, terms in held.items() if terms}

    def _judge(self, claim: str, chunks: list, premise: Premise = NO_PREMISE) -> tuple[float, bool]:
        names = set().union(*(self.scorer.terms(f"{c.speaker} {c.role}") for c in chunks))
        terms = self.scorer.terms(claim) - names
        # who spoke, where and when: the model is shown it with the passage ("..., Discussion,
        # Example minutes (2015-01-28):"), so a claim may repeat it; but a claim made of nothing
        # else (a copied header line) states nothing the passage says
        setting = " ".join(f"{c.context_line()} {c.date}" for c in chunks)
        if terms and not terms - self.scorer.terms(setting):
            return 0.0, True
        evidence = setting + " " + " ".join(c.text for c in chunks)
        tokens = self.scorer.tokens(evidence)
        coverage = self.scorer.coverage(terms, tokens) if terms else 1.0
        # a claim restating the question's premise is judged by what it adds when the cited
        # speaker's passages shown hold the premise, maybe in another passage than the one that
        # answers: "continuity of government [3]" need not find "baseline requirements" in passage
        # 3 too. Another speaker's words are no premise of this one's: "Why did Kawasaki say the
        # last 30 years were happy?" when someone else said it
        own = terms - frozenset().union(*(premise.get((c.doc_id, c.speaker), frozenset()) for c in chunks))
        if own and own != terms:
            coverage = max(coverage, self.scorer.coverage(own, tokens))
        # figures are not excused: "Why did the course last six months?" must not pass on a "six"
        # the shown passages hold elsewhere
        numbers_ok = figure_values(claim) <= figure_values(evidence, implied=True)
        return coverage, numbers_ok

    def supports(self, claim: str, passages: Sequence, premise: Premise = NO_PREMISE) -> bool:
        coverage, numbers_ok = self._judge(claim, [p.chunk for p in passages], premise)
        return coverage >= self.threshold and numbers_ok

    def repair(self, answer: str, given: Sequence, premise: Premise = NO_PREMISE) -> tuple[str, list[dict]]:
        """Fix the citations a small model gets wrong, keeping every word it wrote; only markers
        change, and each change is reported (`from` the numbers it cited, `to` the new one):

        * a sentence its cited passage does not support, but exactly one other given passage
          does, cites that passage instead;
        * a sentence that cites nothing (the model put one marker after two sentences) cites the
          passage its neighbour cites if that passage supports it, else the one given passage
          that does. A sentence no passage supports stays uncited, and is reported as such.
        """
        sentences, repairs = answer_sentences(answer), []
        cites = [[n for n in cited_numbers(raw) if 1 <= n <= len(given)] for raw in sentences]
        for i, raw in enumerate(sentences):
            numbers, claim = cites[i], strip_markers(raw)
            if numbers and self.supports(claim, [given[n - 1] for n in numbers], premise):
                continue
            if not numbers and not self.scorer.terms(claim):
                continue  # nothing to cite: "Yes." or a courtesy
            supporting = [n for n in range(1, len(given) + 1) if self.supports(claim, [given[n - 1]], premise)]
            neighbours = (cites[i + 1] if i + 1 < len(cites) else []) + (cites[i - 1] if i else [])
            choice = None
            if not numbers:
                choice = next((n for n in neighbours if n in supporting), None)
            if choice is None and len(supporting) == 1 and supporting[0] not in numbers:
                choice = supporting[0]
            if choice is None:
                continue
            sentences[i] = _with_marker(raw, choice)
            cites[i] = [choice]
            repairs.append({"sentence": claim, "from": numbers, "to": choice})
        return (" ".join(sentences) if repairs else answer), repairs

    def check(self, answer: str, cited: Sequence, premise: Premise = NO_PREMISE) -> SupportReport:
        """`cited` are the passages in citation order: marker [n] refers to cited[n-1]; `premise`
        the question's terms the passages shown hold (`grounded`)."""
        report = SupportReport()
        best: dict[int, tuple[float, str]] = {}
        for raw in answer_sentences(answer):
            numbers = [n for n in cited_numbers(raw) if 1 <= n <= len(cited)]
            claim = strip_markers(raw)
            if not numbers:
                report.verdicts.append(Verdict(claim, [], 0.0, True, False))
                continue
            chunks = [cited[n - 1].chunk for n in numbers]
            coverage, numbers_ok = self._judge(claim, chunks, premise)
            terms = self.scorer.terms(claim) - set().union(
                *(self.scorer.terms(f"{c.speaker} {c.role}") for c in chunks)
            )
            report.verdicts.append(
                Verdict(claim, numbers, round(coverage, 3), numbers_ok, coverage >= self.threshold and numbers_ok)
            )
            for n, chunk in zip(numbers, chunks, strict=False):
                for sentence in split_sentences(chunk.text):
                    score = self.scorer.score(terms, sentence)
                    if n not in best or score > best[n][0]:
                        best[n] = (score, sentence)
        report.quotes = {n: s for n, (_, s) in best.items()}
        for n, passage in enumerate(cited, 1):
            if n not in report.quotes:  # cited but no sentence scored: its first sentence
                sentences = split_sentences(passage.chunk.text)
                report.quotes[n] = sentences[0] if sentences else passage.chunk.text
        return report
