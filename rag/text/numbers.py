"""Figures in text: one definition of what a number is, for the citation check and the judges
("10.8", "1,000" and "2015" are each one figure)."""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)
