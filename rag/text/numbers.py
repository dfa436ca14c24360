"""Figures in text: one definition of what a number is, for the citation check, the judges and the
evidence check ("10.8", "1,000" and "2015" are each one figure)."""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_UNITS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
    "nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORD_VALUES = {"one": 1} | {w: n for n, w in enumerate(_UNITS, 2)} | {w: 10 * n for n, w in enumerate(_TENS, 2)}
# a number said in words, "twenty-five" or "twenty five" one figure ("one" alone is not: a pronoun)
_SPOKEN = re.compile(
    rf"\b({'|'.join(_TENS)})(?:[-\s]+({'|'.join(['one', *_UNITS[:8]])}))?\b|\b({'|'.join(_UNITS)})\b", re.IGNORECASE
)
# words that scale or share rather than count; digits of their size say the same
MAGNITUDES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MAGNITUDE = re.compile(
    rf"\b({'|'.join([*MAGNITUDES, 'dozen', 'half', 'percent'])})s?\b|%|\bper\s+cent\b", re.IGNORECASE
)
# figures written as words; "one" is left out: far more often a pronoun ("one of the missions")
# than a count
NUMBER_WORD = re.compile(
    rf"\b(?:{'|'.join([*_UNITS, *_TENS])}|(?:{'|'.join([*MAGNITUDES, 'dozen'])})s?|half|percent)\b", re.IGNORECASE
)


def numbers_in(text: str) -> list[str]:
    return NUMBER.findall(text)


def figures_in(text: str) -> set[str]:
    """The figures a text gives, in digits or in words ("1,200", "15", "thousand"), lowercased."""
    return set(numbers_in(text)) | {m.group(0).lower() for m in NUMBER_WORD.finditer(text)}


def figure_values(text: str, implied: bool = False) -> set[str]:
    """The figures a text states, each as one canonical value, whether written in digits or in
    words: "six" and "6" are "6", "twenty-five" is "25", "1,000" is "1000", "per cent" and "%" are
    "percent". With `implied`, a number also states the magnitudes it reaches ("16,000 personnel":
    "thousand", "hundred"), so a source saying "16,000" supports a claim of "thousands". For
    checking that a claim's figures are its source's, whichever way either writes them."""
    values: set[str] = set()
    for digits in NUMBER.findall(text):
        plain = digits.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", digits) else digits
        values.add(plain)
        if implied and re.fullmatch(r"\d+", plain):
            values |= {word for word, size in MAGNITUDES.items() if int(plain) >= size}
    for m in _SPOKEN.finditer(text):
        if m.group(3):
            values.add(str(WORD_VALUES[m.group(3).lower()]))
        else:
            values.add(str(WORD_VALUES[m.group(1).lower()] + (WORD_VALUES[m.group(2).lower()] if m.group(2) else 0)))
    for m in _MAGNITUDE.finditer(text):
        values.add((m.group(1) or "percent").lower())
    return values


ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)\b", re.IGNORECASE)
# a number written inside a name or code ("the M23", "C4ISR", "G7"): it names, it does not count
CODE = re.compile(r"\b[^\W\d_]+\d\w*")
YEAR = re.compile(r"(?:1[89]|20)\d\d")


MONTHS = "January February March April May June July August September October November December".split()
# words for editions and positions ("the twelfth symposium", "the fifth questioner")
ORDINAL_WORDS = {
    word: n
    for n, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(),
        1,
    )
}


def ordinal_value(token: str) -> int:
    """The position an ordinal word gives ("second" and "2nd" are 2); 0 for any other word."""
    if ORDINAL.fullmatch(token):
        return int(token[:-2])
    return ORDINAL_WORDS.get(token.lower(), 0)


def written_date(iso: str) -> str:
    """An ISO date as words: "2015-01-28" -> "28 January 2015" ("" when it is not one)."""
    parts = iso.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        return ""
    return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"


# month names as the minutes write them, capitalised ("may" is a verb), or abbreviated
_MONTH = rf"(?:{'|'.join(MONTHS)}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)(?![a-z])"
_DAYS = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?)?"
# a day of a month, or a span of days: "15-17 May", "6 to 10 November", "November 6th", "1st of July"
DAY_OF_MONTH = re.compile(rf"\b{_DAYS}\s+(?:of\s+)?{_MONTH}|\b{_MONTH}\s+{_DAYS}\b")


def counts_in(text: str) -> set[str]:
    """The figures of a text that can answer "how many" or "how much": `figures_in` without
    ordinals ("the 8th course"), years ("in 2023") and days of a month ("15-17 May"), which
    answer "which" and "when", nor the numbers of names and codes ("the M23")."""
    text = CODE.sub(" ", ORDINAL.sub(" ", DAY_OF_MONTH.sub(" ", text)))
    return {figure for figure in figures_in(text) if not YEAR.fullmatch(figure)}


# times said in words: "two years ago", "last year", "the 1990s", "next spring"
RELATIVE_TIME = re.compile(
    r"\b(?:ago|yesterday|today|tomorrow|decades?|centur(?:y|ies)|(?:last|next|this|that|same|previous|following)\s+"
    r"(?:year|month|week|decade|century|spring|summer|autumn|fall|winter))\b",
    re.IGNORECASE,
)
MONTH = re.compile(_MONTH)


def times_in(text: str) -> set[str]:
    """The times a text gives, lowercased: years ("2015", "the 1990s"), months and days of a month
    ("15-17 May", "Nov."), and times said in words ("two years ago", "last year")."""
    found = [*YEAR.findall(text), *DAY_OF_MONTH.findall(text), *MONTH.findall(text), *RELATIVE_TIME.findall(text)]
    return {" ".join(t.lower().rstrip(".").split()) for t in found}
