"""The generate stage: one generator per way of answering, each `run(query, passages)` yielding
the answer's tokens (when it streams) and then its `Draft`:

    refusal.py     RefusalGenerator     the minutes cannot answer (known before retrieval)
    extractive.py  ExtractiveGenerator  the best sentences quoted verbatim, each cited
    llm.py         LLMGenerator         a local or hosted model writes the answer (context.py: what it reads)
    fallback.py    FallbackToQuotes     a model's answer that cannot be used becomes quotes
    closest.py     ClosestSentenceQuote a model's answer that missed the closest sentence gets it quoted after it
"""
