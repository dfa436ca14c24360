"""A follow-up question made standalone, so retrieval sees what the conversation is about.

With an LLM the model rewrites the follow-up; a small model often answers instead of rewriting,
or drops the follow-up's own topic, so every rewrite is validated before use (`is_valid_rewrite`)
and a rewrite that fails falls back to the heuristic: a follow-up that leans on the conversation
("what did he say about it?") borrows the previous question's content words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from llama_index.core.llms import LLM

from rag.llm import LLMError, chat, system_and_user
from rag.prompts import Prompts
from rag.text import STOPWORDS, content_words, word_tokens
from rag.text.numbers import ordinal_value

History = Sequence[tuple[str, str]]  # (question, answer) pairs, oldest first

# Words that point back into the conversation: a follow-up holding one cannot stand alone.
# A personal pronoun points at a person of the conversation; the others at its topic.
FEMININE = frozenset({"she", "her", "hers", "herself"})
MASCULINE = frozenset({"he", "him", "his", "himself"})
PERSONAL = FEMININE | MASCULINE
REFERRING = PERSONAL | frozenset({"they", "them", "their", "it", "its", "this", "that", "these", "those"})
# A follow-up with fewer content words than this ("And Mali?") leans on the conversation.
MIN_STANDALONE_WORDS = 4
# Turns of the conversation the model reads, and characters of each answer: enough to know who
# and what "he" and "it" are, cheap to read (prompt reading is the latency on a CPU).
CONDENSE_TURNS = 3
CONDENSE_ANSWER_CHARS = 300
# A rewrite sharing this share of its content words with the previous answer (and not with the
# questions) is that answer echoed back, not a question; the 1.5B model's echoes share ~0.8-1.0.
ANSWER_OVERLAP = 0.6
QUESTION_WORDS = frozenset(
    {
        "what",
        "who",
        "whom",
        "whose",
        "which",
        "when",
        "where",
        "why",
        "how",
        "did",
        "does",
        "do",
        "is",
        "are",
        "was",
        "were",
        "can",
        "could",
        "should",
        "would",
        "will",
        "has",
        "have",
        "had",
        "according",
        "describe",
        "explain",
        "summarize",
        "summarise",
        "list",
    }
)


class Condenser:
    """`run(question, history)` returns the question to retrieve with. `people` finds the
    speakers a text names, so "he" can be resolved to the person the conversation is about;
    `pronoun_of` gives the pronoun a speaker takes ("she", "he") where the minutes say it, so
    "she" is not resolved to Mr. Oshima."""

    def __init__(
        self,
        prompts: Prompts | None,
        llm: LLM | None,
        max_chars: int,
        people: Callable[[str], list[str]] | None = None,
        pronoun_of: Callable[[str], str | None] | None = None,
    ):
        self.prompts, self.llm, self.max_chars = prompts, llm, max_chars
        self.people = people or (lambda text: [])
        self.pronoun_of = pronoun_of or (lambda name: None)

    def run(self, question: str, history: History) -> str:
        return self.forms(question, history)[0]

    def forms(self, question: str, history: History) -> list[str]:
        """The follow-up's standalone forms, the one to answer first: the model's rewrite when it
        passes validation, then the heuristic's completion, which retrieval searches as well (a
        valid rewrite can still drop what the conversation was about: "Which UN department led the
        mission in Yemen?" for "that mission", the one General Cammaert headed)."""
        if not history:
            return [question]
        completed = borrow_context(question, history, self.people, self.pronoun_of)
        if self.llm is not None and self.prompts is not None:
            rewritten = self._rewrite(question, history)
            if rewritten and is_valid_rewrite(
                rewritten, question, history, self.max_chars, self.people, self.pronoun_of
            ):
                return [rewritten] if completed == rewritten else [rewritten, completed]
        return [completed]

    def _rewrite(self, question: str, history: History) -> str:
        assert self.prompts is not None and self.llm is not None
        lines = []
        for asked, answered in history[-CONDENSE_TURNS:]:
            lines.append(f"User: {asked}")
            if answered:
                lines.append(f"Assistant: {answered[:CONDENSE_ANSWER_CHARS]}")
        prompt = self.prompts.condense.format(history="\n".join(lines), question=question)
        try:
            # the same system message as answers: llama.cpp keeps its evaluated prefix for both calls
            text = chat(self.llm, system_and_user(self.prompts.system, prompt)).strip()
        except LLMError:
            return ""  # the answer step reports the backend's state; retrieval goes on without a rewrite
        return text.splitlines()[0].strip().strip('"') if text else ""


def is_valid_rewrite(
    rewritten: str,
    question: str,
    history: History,
    max_chars: int,
    people: Callable[[str], list[str]] = lambda text: [],
    pronoun_of: Callable[[str], str | None] = lambda name: None,
) -> bool:
    """A rewrite is used only when it is a question, is not the previous answer, stands alone (no
    "he", "its" or "that mission" left: the small model often hands the follow-up back unchanged),
    keeps the follow-up's own content words (its topic), and puts for "he" or "she" the person the
    conversation is about (`people` finds the speakers a text names); pronouns may be replaced,
    nothing else dropped."""
    if not 3 <= len(rewritten) <= max_chars:
        return False
    words = rewritten.lower().split()
    if not (rewritten.rstrip().endswith("?") or (words and words[0].strip(",.") in QUESTION_WORDS)):
        return False
    if REFERRING & bare_words(rewritten):
        return False
    own = set(content_words(rewritten))
    previous_answer = set(content_words(history[-1][1])) if history[-1][1] else set()
    if (
        own
        and previous_answer
        and len(own & previous_answer) / len(own) >= ANSWER_OVERLAP
        and not own <= set(content_words(question) + content_words(history[-1][0]))
    ):
        return False
    topic = set(content_words(question)) - REFERRING
    if not topic <= own:
        return False
    # a follow-up that pointed into the conversation, or a fragment of a question, must bring
    # something of it along: "that mission" rewritten as "the mission", or "And in Mali?" handed
    # back as it was, resolves nothing
    if REFERRING & bare_words(question) or is_fragment(question):
        said = {w for asked, answered in history for w in content_words(f"{asked} {answered}")}
        if not own & (said - topic):
            return False
    # the small model puts for "he" whoever its passages quoted last ("What did Machiko Kawasaki
    # say ...?" when the conversation was about Yasunobu Sato): a rewrite naming people must name
    # the person the conversation is about
    meant = person_referred_to(question, history, people, pronoun_of)
    named = people(rewritten)
    return not (meant and named and not set(named) & set(meant))


def is_fragment(question: str) -> bool:
    """A follow-up with no question word or auxiliary verb ("And in Mali?", "And the fourth?") is
    a fragment: it leans on the previous question's frame however many words it has."""
    return not QUESTION_WORDS & bare_words(question)


def bare_words(text: str) -> set[str]:
    """The text's words, lower-cased, without the punctuation around them."""
    return {w.strip("?,.!;:'\"()") for w in text.lower().split()}


def borrow_context(
    question: str,
    history: History,
    people: Callable[[str], list[str]] = lambda text: [],
    pronoun_of: Callable[[str], str | None] = lambda name: None,
) -> str:
    """A follow-up that leans on the conversation, completed in brackets: a personal pronoun by the
    person the conversation last named ("And what did he say about Afghanistan? (Werner
    Klaffus)"), skipping turns that themselves asked about "he" or "she", anything else by the
    previous question's content words. A follow-up that stands alone is kept as asked."""
    words = bare_words(question)
    named_here = people(question)
    meant = person_referred_to(question, history, people, pronoun_of)
    asks_next = places(question)
    if meant:
        if asks_next and is_fragment(question):
            return f"{question} ({', '.join(meant)}; {_borrowed(history[-1][0], asks_next)})"
        return f"{question} ({', '.join(meant)})"
    leans_on_topic = (REFERRING - PERSONAL) & words
    if leans_on_topic or (len(content_words(question)) < MIN_STANDALONE_WORDS and not named_here):
        return f"{question} ({_borrowed(history[-1][0], asks_next)})"
    return question


def places(text: str) -> set[int]:
    """The places in a sequence a text names: "second" and "2nd" are 2."""
    return {n for n in map(ordinal_value, bare_words(text)) if n}


def _borrowed(previous: str, asks_next: set[int]) -> str:
    """The previous question's content words as written (a name keeps its capital, which is how
    the question's names are told from ordinary words: "Young" from "young people",
    `SpeakerDirectory.named_in`), without the place in a sequence the follow-up asks another of
    ("first" when it asks "And his second?": borrowed, it finds the first again)."""
    return " ".join(
        w for w in word_tokens(previous) if w.lower() not in STOPWORDS and not (asks_next and places(w) - asks_next)
    )


def person_referred_to(
    question: str,
    history: History,
    people: Callable[[str], list[str]],
    pronoun_of: Callable[[str], str | None] = lambda name: None,
) -> list[str]:
    """Whom the follow-up's "he" or "she" stands for: the people the conversation last named (none
    when the follow-up names someone itself). "She" asked about before is the same person: the
    turn that named her is further back, and the answer to the "she" question names whoever its
    passages quote. Only when no turn names anyone otherwise are such answers read. Of the people
    a turn names, those the minutes call by the asked pronoun come first, then those the minutes
    give none; one called by the other pronoun is never meant ("she" after "Mr. Oshima and Ms.
    Sazaki" is Ms. Sazaki)."""
    words = bare_words(question)
    if not PERSONAL & words or people(question):
        return []
    she, he = bool(words & FEMININE), bool(words & MASCULINE)
    asked = "she" if she and not he else "he" if he and not she else None
    for skip_pronoun_turns in (True, False):
        for asked_before, answered in reversed(history):
            if skip_pronoun_turns and PERSONAL & bare_words(asked_before) and not people(asked_before):
                continue
            for named in (people(asked_before), people(answered)):
                fitting = _taking(named, asked, pronoun_of)
                if fitting:
                    return fitting
    return []


def _taking(names: list[str], pronoun: str | None, pronoun_of: Callable[[str], str | None]) -> list[str]:
    """The names that can take `pronoun`: those known to take it if any, else those of unknown pronoun."""
    if pronoun is None:
        return names
    known = [name for name in names if pronoun_of(name) == pronoun]
    return known or [name for name in names if pronoun_of(name) is None]
