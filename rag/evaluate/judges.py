"""Judges of entailment: does a premise (passages) support a hypothesis (a sentence)?

No NLI model that ships its weights inside a PyPI package was found for this workplace. Two
judges instead, both calibrated on `eval/gold/judge_pairs.jsonl` in every report:

* `LexicalJudge` (default in CI, fast): IDF-weighted share of the hypothesis's content words
  found in the premise >= threshold, and every number of the hypothesis in the premise;
* `LLMJudge`: the local model asked a strict yes/no question; the verdict is P(yes) / (P(yes) +
  P(no)) read from the next-token logits, not parsed from free text.

A judge reads only texts: it never sees the pipeline's own support flags.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from rag.text import SentenceScorer, numbers_in


class LexicalJudge:
    name = "lexical"

    def __init__(self, scorer: SentenceScorer, threshold: float = 0.6):
        self.scorer, self.threshold = scorer, threshold

    def probability(self, premise: str, hypothesis: str) -> float:
        terms = self.scorer.terms(hypothesis)
        if any(n not in premise for n in numbers_in(hypothesis)):
            return 0.0
        return self.scorer.coverage(terms, self.scorer.tokens(premise)) if terms else 1.0

    def entails(self, premise: str, hypothesis: str) -> bool:
        return self.probability(premise, hypothesis) >= self.threshold


class LLMJudge:
    name = "llm"
    PROMPT = (
        "Premise:\n{premise}\n\nHypothesis: {hypothesis}\n\n"
        "Does the premise state everything the hypothesis says (same people, same numbers, nothing broader)? "
        "Answer yes or no."
    )

    def __init__(self, llm, threshold: float = 0.5, max_premise_chars: int = 1500):
        self.model = llm.loaded  # the local llama.cpp model: next-token logits need the raw object
        self._token_ids: dict[str, list[int]] = {}
        self.threshold, self.max_premise_chars = threshold, max_premise_chars

    def probability(self, premise: str, hypothesis: str) -> float:
        content = self.PROMPT.format(premise=premise[: self.max_premise_chars], hypothesis=hypothesis)
        prompt = self.model.render([{"role": "user", "content": content}])
        llama = self.model.llama
        with self.model.lock:
            tokens = llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
            llama.reset()
            llama.eval(tokens)
            # llama.cpp keeps the last token's logits in its context (scores are only saved with logits_all)
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(np.float64)
        yes = self._logsumexp(logits, self._ids("yes"))
        no = self._logsumexp(logits, self._ids("no"))
        return float(1.0 / (1.0 + math.exp(no - yes)))

    def _ids(self, word: str) -> list[int]:
        """Token ids that start the answer `word` in any casing, with or without a leading space."""
        if word not in self._token_ids:
            ids = set()
            for form in (word, word.capitalize(), " " + word, " " + word.capitalize()):
                toks = self.model.llama.tokenize(form.encode("utf-8"), add_bos=False, special=False)
                if toks:
                    ids.add(toks[0])
            self._token_ids[word] = sorted(ids)
        return self._token_ids[word]

    @staticmethod
    def _logsumexp(logits, ids) -> float:
        values = logits[ids]
        top = values.max()
        return float(top + np.log(np.exp(values - top).sum()))

    def entails(self, premise: str, hypothesis: str) -> bool:
        return self.probability(premise, hypothesis) >= self.threshold


def calibrate(judge, pairs_path: Path) -> dict:
    """Agreement of a judge with hand labels."""
    pairs = [json.loads(line) for line in Path(pairs_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    tp = fp = tn = fn = 0
    for pair in pairs:
        verdict = judge.entails(pair["premise"], pair["hypothesis"])
        if verdict and pair["label"]:
            tp += 1
        elif verdict:
            fp += 1
        elif pair["label"]:
            fn += 1
        else:
            tn += 1
    n = len(pairs)
    return {
        "judge": judge.name,
        "n": n,
        "accuracy": (tp + tn) / n if n else None,
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }
