"""BM25 keyword search over the chunks (Robertson & Zaragoza's Okapi BM25, k1=1.5, b=0.75),
rebuilt in memory from the catalogue when the index loads: a thousand chunks take milliseconds,
and there is no second store to drift out of step with the vectors."""

from __future__ import annotations

import math
from collections import Counter

from rag.minutes import Chunk
from rag.sentences import STOPWORDS, stem, words


def terms(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class KeywordIndex:
    def __init__(self, chunks: list[Chunk], k1: float = 1.5, b: float = 0.75):
        self.ids = [c.id for c in chunks]
        self.chunks = chunks
        self.k1, self.b = k1, b
        self.tf = [Counter(terms(c.context_line() + "\n" + c.text)) for c in chunks]
        self.length = [sum(tf.values()) for tf in self.tf]
        self.avg = sum(self.length) / len(self.length) if self.length else 0.0
        df = Counter(t for tf in self.tf for t in tf)
        n = len(chunks)
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}

    def search(self, query: str, n: int, allowed=None) -> list[tuple[str, float]]:
        q = set(terms(query))
        scored = []
        for i, tf in enumerate(self.tf):
            if allowed is not None and not allowed(self.chunks[i]):
                continue
            score = 0.0
            for t in q & tf.keys():
                f = tf[t]
                score += self.idf[t] * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self.length[i] / self.avg))
            if score > 0:
                scored.append((self.ids[i], score))
        scored.sort(key=lambda x: -x[1])
        return scored[:n]
