"""The answer contract as a llama.cpp grammar (GBNF): what a model constrained by it can write is
either the refusal sentence, exactly, or one to `max_sentences` sentences each ending in citation
markers that point at passages it was given ("... [2]." or "... [1][3]").

Why: an unconstrained small model sometimes cites nothing, cites a passage it was not shown, or
runs on into lists and new questions; each of those answers is thrown away for quotes. Under the
grammar those answers cannot be written, so what the verifier judges is whether the cited passages
support the sentences, the one thing a grammar cannot decide. Only backends that run the model
themselves (`local`) take a grammar; the others are asked by the prompt alone.
"""

from __future__ import annotations


def gbnf_literal(text: str) -> str:
    """`text` as a GBNF string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def citation_grammar(passages: int, refusal: str, max_sentences: int = 3) -> str:
    """The GBNF grammar of an answer to a prompt that showed `passages` numbered passages."""
    if passages < 1:
        raise ValueError("an answer with citations needs at least one passage")
    numbers = " | ".join(f'"{n}"' for n in range(1, passages + 1))
    more = f'(" " sentence){{0,{max_sentences - 1}}}' if max_sentences > 1 else ""
    return "\n".join(
        [
            "root ::= refusal | answer",
            f"refusal ::= {gbnf_literal(refusal.strip())}",
            f"answer ::= sentence {more}".rstrip(),
            # the words of a sentence: no brackets (markers come only at its end) and no line breaks
            "sentence ::= [^\\[\\]\\n]+ marker+ [.!?]?",
            'marker ::= " "? "[" passage "]"',
            f"passage ::= {numbers}",
        ]
    )
