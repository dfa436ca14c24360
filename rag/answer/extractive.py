"""The no-LLM answer: quote the few sentences of the top passages that best answer the question.

Used until an LLM is configured, and afterwards as the fallback when an LLM's answer cannot be
trusted (no valid citation, backend down). Every sentence is quoted verbatim and cited, so the
answer can never say more than the minutes do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from rag.answer.result import FROM_QUOTES, REFUSAL, Draft
from rag.minutes import Passage
from rag.query.analyse import Query
from rag.text import TITLE_WORDS, SentenceScorer, is_formality, question_words, says_nothing_new, split_sentences

# Tuned on the dev set's questions before it was split (README, "Answers"); kept because the report part confirms them:
# a sentence of the first passage gets RANK_BONUS, of the second RANK_BONUS / 2, ...: ties go to better passages
RANK_BONUS = 0.05
OWN_WORDS_WEIGHT = 0.01  # breaks ties between sentences whose speaker's name covers the question
GOOD_ENOUGH = 0.6  # only sentences scoring at least this share of the best one are quoted: no filler
# A question none of whose words any sentence contains is refused unless the best passage is this
# much above `min_relevance`: such a question is on the minutes' topic only by similarity.
WORDLESS_MARGIN = 0.15
# A follow-up completed from the conversation ("And to East Timor? (personnel japan send haiti
# ...)") asks about its own words: they count twice in choosing the sentence, so the borrowed
# words ("haiti") do not pick the previous answer again. Tune part, conversations' must-mention
# 0.628 -> 0.674 at 1.0 (0.651 at 0.3, the same up to 4.0); nothing else changed.
ASKED_WEIGHT = 1.0
# A question about one named speaker ("What did Alastair Birch say about ...?") is answered in their
# words first, and their best sentence is good enough to quote at this share of the best sentence's
# coverage (others' at GOOD_ENOUGH): the turn that put the question to them restates it and covers
# its words best, their reply less. QMSum train (README, "Answers"): first quote theirs 75 -> 78 of 78.
SPEAKER_GOOD_ENOUGH = 0.3
PASSAGES_QUOTED = 3  # sentences are taken from the top passages only
MIN_SENTENCE_WORDS = 4  # shorter sentences are headings and one-word bullets, not answers


class ExtractiveGenerator:
    """Quotes the `sentences` best sentences of the top `passages_used` passages.

    A question is refused when the best passage is not similar enough to it (`min_relevance`,
    cosine similarity of the dense embeddings), or when no sentence shares a content word with it
    and the similarity is only middling.
    A sentence that only hands the question back is never quoted: a heading or slide title
    repeating the question's names ("Triangular Partnership Programme (TPP)") covers the question
    best of all and answers nothing. `short_forms` adds to a question the short forms of the names
    it spells out (the abbreviations the documents define), so "(TPP)" is not taken for news.
    """

    def __init__(
        self,
        scorer: SentenceScorer,
        sentences: int,
        min_relevance: float,
        passages_used: int = PASSAGES_QUOTED,
        min_topic_coverage: float = 1.0,
        short_forms: Callable[[str], str] = lambda question: question,
    ):
        self.scorer = scorer
        self.short_forms = short_forms
        self.sentences = sentences
        self.min_relevance = min_relevance
        self.passages_used = passages_used
        self.min_topic_coverage = min_topic_coverage

    def run(self, query: Query, passages: list[Passage]) -> Iterator[str | Draft]:
        # the speakers it names (of several, its subject), not those it describes ("the moderator"):
        # a description is less certain than a name, and their words go first (SPEAKER_GOOD_ENOUGH)
        text, refused = self.quote(query.standalone, passages, query.named_speakers, query.asked, query.answered_by)
        yield Draft(text, refused, passages, FROM_QUOTES)

    def quote(
        self,
        question: str,
        passages: Sequence[Passage],
        about: Sequence[str] = (),
        asked: str = "",
        lead: Sequence[str] = (),
    ) -> tuple[str, bool]:
        """Return (answer text with [n] markers pointing into `passages`, refused)."""
        chosen = self.select(question, passages, about=about, asked=asked, lead=lead)
        if chosen is None:
            return REFUSAL, True
        return "\n".join(
            quoted_sentence(sentence, passage, passages.index(passage) + 1) for sentence, passage in chosen
        ), False

    def addresses(self, question: str, passages: Sequence[Passage], about: Sequence[str] = ()) -> bool:
        """Whether the passages address the question at all: the best is close enough in meaning
        (`min_relevance`), or one sentence of the top passages holds `min_topic_coverage` of the
        weight of the question's words other than the names of the speakers it is `about`. The
        embedding of a long turn blurs one sentence at its end ("... an 'Information and Analysis
        Secretariat' were never implemented." at the close of a 400-word turn: cosine 0.23); the
        sentence's words do not blur."""
        if not passages:
            return False
        if max(p.dense for p in passages) >= self.min_relevance:
            return True
        names = set().union(*(self.scorer.tokens(name) for name in about))
        topic = self.scorer.terms(question) - names
        return bool(topic) and any(
            self.scorer.score(topic, sentence) >= self.min_topic_coverage
            for passage in passages[: self.passages_used]
            for _, sentence in answer_sentences(passage)
        )

    def select(
        self,
        question: str,
        passages: Sequence[Passage],
        sentences: int | None = None,
        about: Sequence[str] = (),
        asked: str = "",
        lead: Sequence[str] = (),
    ) -> list[tuple[str, Passage]] | None:
        """The `sentences` (default: as many as an answer quotes) that answer best, each with its
        passage, in the order they are quoted; None when the question is refused. `about` are the
        speakers the question names (their names are no topic to find), `lead` the one whose words
        go first when it is one (default: `about`; of two named, the question's subject)."""
        if not self.addresses(question, passages, about):
            return None
        scored = self.scored_sentences(question, passages, asked)
        if not scored:
            return None
        best = max(s[1] for s in scored)
        if best == 0 and max(p.dense for p in passages) < self.min_relevance + WORDLESS_MARGIN:
            return None
        leads = lead or about
        named = leads[0] if len(leads) == 1 else None

        def theirs(s: tuple) -> bool:
            return named is not None and s[5].chunk.speaker == named

        # only sentences that answer about as well as the best one: no filler from weak passages;
        # of the named speaker's, their best one at a lower bar
        good = [s for s in scored if s[1] >= GOOD_ENOUGH * best]
        their_best = max(filter(theirs, scored), key=lambda s: s[1], default=None)
        if their_best is not None and their_best not in good and their_best[1] >= SPEAKER_GOOD_ENOUGH * best:
            good.append(their_best)
        chosen = sorted(good, key=lambda s: (not theirs(s), -s[0]))[: sentences or self.sentences]
        # the passage holding the first sentence chosen first, then the others in the order chosen;
        # within a passage, the minutes' own order
        place: dict[int, int] = {}
        for i, s in enumerate(chosen):
            place.setdefault(s[2], i)
        chosen.sort(key=lambda s: (place[s[2]], s[3]))
        return [(s[4], s[5]) for s in chosen]

    def scored_sentences(
        self, question: str, passages: Sequence[Passage], asked: str = ""
    ) -> list[tuple[float, float, int, int, str, Passage]]:
        """Every sentence of the top passages that can answer: (score, coverage of the question's
        words, passage rank, position, sentence, passage); the score adds the passage's rank
        bonus and the follow-up's own words to the coverage."""
        terms = self.scorer.terms(question)
        focus = self.scorer.terms(asked) & terms
        known = question_words(question, [asked, self.short_forms(question)])  # once, not per sentence
        scored, seen = [], set()
        for rank, passage in enumerate(passages[: self.passages_used]):
            # the speaker's name is context for every sentence of the passage ("What did Kawasaki ...")
            context = self.scorer.tokens(f"{passage.chunk.speaker} {passage.chunk.role}")
            for position, sentence in answer_sentences(passage):
                if sentence in seen:
                    continue  # a sentence repeated (a slide and the speech reading it out) is quoted once
                seen.add(sentence)
                if says_nothing_new(sentence, known):
                    continue
                cover = self.scorer.score(terms, sentence, context)
                # when the speaker's name covers the question ("What did the delegate of Kenya ask?"),
                # every sentence of the turn ties: the words the sentence itself shares break the tie
                own = self.scorer.score(terms, sentence)
                asked_cover = self.scorer.score(focus, sentence, context) if focus else 0.0
                scored.append(
                    (
                        cover + RANK_BONUS / (1 + rank) + OWN_WORDS_WEIGHT * own + ASKED_WEIGHT * asked_cover,
                        cover,
                        rank,
                        position,
                        sentence,
                        passage,
                    )
                )
        return scored

    def coverage(self, question: str, sentence: str, passage: Passage) -> float:
        """How much of the question's words a sentence covers, its speaker's name counting as its
        words: the `coverage` of `scored_sentences`, for a sentence chosen elsewhere."""
        context = self.scorer.tokens(f"{passage.chunk.speaker} {passage.chunk.role}")
        return self.scorer.score(self.scorer.terms(question), sentence, context)


def answer_sentences(passage: Passage) -> Iterator[tuple[int, str]]:
    """The passage's sentences that can answer a question, with their positions: headings,
    one-word bullets and courtesies ("Thank you very much.", "Thank you very much, General.")
    cannot. (A courtesy to a title is left out of answers and of what the model reads only: the
    turns retrieval leaves out and the QMSum relevance rule keep the narrower `is_formality` they
    were measured with.)"""
    for position, sentence in enumerate(split_sentences(passage.chunk.text)):
        if len(sentence.split()) >= MIN_SENTENCE_WORDS and not is_formality(sentence, TITLE_WORDS):
            yield position, sentence


def quoted_sentence(sentence: str, passage: Passage, n: int) -> str:
    """A sentence quoted with who said it (or what it is, for slides and tables) and its marker."""
    chunk = passage.chunk
    if chunk.speaker and chunk.kind == "speech":
        return f"{chunk.speaker}: “{sentence}” [{n}]"
    if chunk.speaker:
        return f"{chunk.speaker} ({chunk.kind}): “{sentence}” [{n}]"
    return f"“{sentence}” [{n}]"
