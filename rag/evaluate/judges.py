"""Judges of entailment: does a premise (passages) support a hypothesis (a sentence)?

No NLI model that ships its weights inside a PyPI package was found for this workplace. Two
judges instead, both calibrated on `eval/gold/judge_pairs.jsonl` in every report:

* `LexicalJudge` (default in CI, fast): IDF-weighted share of the hypothesis's content words
  found in the premise >= threshold, and every number of the hypothesis in the premise;
* `LLMJudge`: the local model asked a strict yes/no question; the verdict is P(yes) / (P(yes) +
  P(no)) read from the next-token log-probabilities, not parsed from free text.

A judge reads only texts: it never sees the pipeline's own support flags.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from rag.answer.relevance import SentenceScorer

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


class LexicalJudge:
    name = "lexical"

    def __init__(self, scorer: SentenceScorer, threshold: float = 0.6):
        self.scorer, self.threshold = scorer, threshold

    def probability(self, premise: str, hypothesis: str) -> float:
        terms = self.scorer.terms(hypothesis)
        if any(n not in premise for n in _NUMBER.findall(hypothesis)):
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
        self.model = llm._model  # the local llama.cpp model: log-probabilities need the raw object
        self.threshold, self.max_premise_chars = threshold, max_premise_chars

    def probability(self, premise: str, hypothesis: str) -> float:
        content = self.PROMPT.format(premise=premise[: self.max_premise_chars], hypothesis=hypothesis)
        prompt = self.model.render([{"role": "user", "content": content}])
        with self.model.lock:
            out = self.model.llama.create_completion(prompt, max_tokens=1, logprobs=20, temperature=0.0)
        top = out["choices"][0]["logprobs"]["top_logprobs"][0]
        yes = sum(math.exp(v) for k, v in top.items() if k.strip().lower() == "yes")
        no = sum(math.exp(v) for k, v in top.items() if k.strip().lower() == "no")
        return yes / (yes + no) if yes + no else 0.0

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
        "judge": judge.name, "n": n, "accuracy": (tp + tn) / n if n else None,
        "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None,
    }
