"""Metric functions: pure, so each is tested on hand-made cases with known answers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rag.evaluate.gold import normalise
from rag.verify.citations import cited_numbers, strip_markers
from rag.verify.support import answer_sentences

Entails = Callable[[str, str], bool]


def retrieval(retrieved_texts: Sequence[str], quotes: Sequence[str], k: int) -> dict:
    """recall@k: share of gold quotes found in a top-k passage; reciprocal rank of the first
    passage holding any gold quote (0 when none does). Quotes and passages are compared
    normalised (`gold.normalise`: typographic quotes and dashes, spaces, case)."""
    texts = [normalise(t) for t in retrieved_texts[:k]]
    quotes = [normalise(q) for q in quotes]
    found = [any(q in t for t in texts) for q in quotes]
    rr = next((1.0 / rank for rank, t in enumerate(texts, 1) if any(q in t for q in quotes)), 0.0)
    return {"recall": sum(found) / len(quotes) if quotes else None, "rr": rr if quotes else None}


def ranking(relevant: Sequence[bool], k: int) -> dict:
    """For one ranked list of relevance flags (best first): hit@k (a top-k item is relevant),
    reciprocal rank of the first relevant item within the top k (0 when none is), precision@k
    (relevant items among the top k, over k: a list shorter than k is not rewarded)."""
    top = list(relevant[:k])
    first = next((rank for rank, flag in enumerate(top, 1) if flag), None)
    return {"hit": float(first is not None), "rr": 1.0 / first if first else 0.0, "precision": sum(top) / k}


def must_mention(answer: str, terms: Sequence[str]) -> float | None:
    if not terms:
        return None
    text = normalise(answer)
    return sum(normalise(t) in text for t in terms) / len(terms)


def citation_scores(answer: str, cited_texts: Sequence[str], entails: Entails) -> dict:
    """ALCE (Gao et al. 2023). Per answer sentence s with citations C: recall(s) = 1 when the
    cited passages together entail s. A citation c of s is irrelevant when s is not entailed by
    its citations at all, or when c alone does not entail s and the other citations still do;
    precision = relevant citations / all citations. Sentences with no citation count against
    recall."""
    sentences = answer_sentences(answer)
    recalled, relevant, total = 0, 0, 0
    for raw in sentences:
        numbers = [n for n in cited_numbers(raw) if 1 <= n <= len(cited_texts)]
        claim = strip_markers(raw)
        if not numbers:
            continue
        full = entails("\n".join(cited_texts[n - 1] for n in numbers), claim)
        recalled += full
        for n in numbers:
            total += 1
            if not full:
                continue
            if entails(cited_texts[n - 1], claim):
                relevant += 1
            else:
                rest = [m for m in numbers if m != n]
                relevant += not (rest and entails("\n".join(cited_texts[m - 1] for m in rest), claim))
    return {
        "citation_recall": recalled / len(sentences) if sentences else None,
        "citation_precision": relevant / total if total else None,
        "sentences": len(sentences),
    }


def faithfulness(answer: str, context: str, entails: Entails) -> float | None:
    """RAGAS-style: share of the answer's claims (sentences, markers removed) that the retrieved
    context supports."""
    claims = [strip_markers(s) for s in answer_sentences(answer)]
    claims = [c for c in claims if c]
    return sum(entails(context, c) for c in claims) / len(claims) if claims else None


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None
