"""The answer grammar's text (what the model writes under it: tests/llm/test_grammar.py)."""

from __future__ import annotations

import re

import pytest

from rag.answer.grammar import citation_grammar, gbnf_literal

REFUSAL = "The minutes do not address this."


@pytest.mark.parametrize("passages", [1, 3, 12])
def test_grammar_names_exactly_the_passages_shown(passages):
    grammar = citation_grammar(passages, REFUSAL)
    rule = next(line for line in grammar.splitlines() if line.startswith("passage ::="))
    assert re.findall(r'"(\d+)"', rule) == [str(n) for n in range(1, passages + 1)]
    assert f"refusal ::= {gbnf_literal(REFUSAL)}" in grammar


def test_grammar_needs_a_passage():
    with pytest.raises(ValueError):
        citation_grammar(0, REFUSAL)


def test_literal_escapes_quotes_and_backslashes():
    assert gbnf_literal('say "no" \\ stop') == '"say \\"no\\" \\\\ stop"'
