"""Speaker labels: how a transcript names whoever holds the floor, parsed into a name, a role and
an affiliation.

    Mr J SMITH                      -> J Smith
    Adv Z L MADASA                  -> Z L Madasa            ("Adv" learned as a title, see `learn_forms`)
    Kirsty Williams AM              -> Kirsty Williams       (post-nominal letters)
    Ms Jones (Canada)               -> Jones, role Canada
    Mr. Dan Albas (Central Okanagan—Similkameen—Nicola, CPC)
                                    -> Dan Albas, affiliation "Central Okanagan—Similkameen—Nicola, CPC"
    The Chair (Hon. Anthony Rota (Nipissing—Timiskaming, Lib.))
                                    -> Anthony Rota, role Chair, affiliation "Nipissing—Timiskaming, Lib."
    The Minister for Education      -> a role; the person who holds it when the document says so
    An HON MEMBER                   -> an interjection: a turn of its own, nobody in particular

Titles and post-nominal letters come from `rag.text.address` and may be extended per document
(`Forms`): a document writes its own ("Mnr", "Genl", "Inkosi"), and they are learned from where
they stand (before initials and a surname in capitals), not looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.minutes import Speaker
from rag.segment.speakers import SpeakerRegistry, canonical_name, fold
from rag.text.address import SUFFIXES, TITLES

# Titles as token sequences without full stops: "Brig. Gen." and "Brig Gen" are one title.
_BASE_TITLES = frozenset(tuple(w.rstrip(".").lower() for w in t.split()) for t in TITLES)
_BASE_SUFFIXES = frozenset(SUFFIXES)
# Lower-case words allowed inside a name or an office ("Ursula von der Leyen", "The Minister for Education").
_NAME_PARTICLES = frozenset({"de", "da", "di", "du", "van", "von", "der", "den", "la", "le", "al", "bin", "ap", "y"})
_ROLE_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "to", "in", "&", "at"})
_STYLES = frozenset({"hon", "honourable", "honorable", "right", "rt", "rev", "reverend", "very"})
_ARTICLE = re.compile(r"^(?:the|an?)$", re.IGNORECASE)
_INTERJECTION = re.compile(
    r"^(?:(?:an?|some|several|other|many)\s+)?(?:hon(?:\.|ourable)?\s+)?(?:members?|interjections?|voices?)$"
    r"|^(?:an?|some|several)\s+(?:hon(?:\.|ourable)?\s+)?\w+\s+members?$",
    re.IGNORECASE,
)
_PARTICLE_PREFIX = re.compile(r"^[a-z]{1,2}['’][^\W\d_]")
# Words minutes use as field names ("Action: B. Tanaka to circulate ...", "Decision: ...",
# "Present: ..."), recurring as they may: never a speaker. Generic to minutes, not to any document.
FIELD_WORDS = frozenset(
    "action actions decision decisions resolved resolution agreed agenda item items note notes present apologies "
    "attendees attendance absent date time venue location place subject re minutes motion outcome summary purpose "
    "url source participants members guests observers panelists speakers next steps follow up".split()
)
_INITIAL = re.compile(r"^[^\W\d_]\.?$")
_PARTY = re.compile(r"^(?:[A-Z][\w.]{0,5}|[A-Z][a-z]+\.)$")  # "CPC", "Lib.", "BQ", "NDP", "Ind."


def _name_token(token: str) -> bool:
    """A capitalised word, an initial or a name in capitals: "O'Connell", "J.", "MADASA", "Mensa-Bonsu"."""
    if _PARTICLE_PREFIX.match(token):  # "d'Entremont", "l'Heureux"
        token = token[2:] if token[1] in "'’" else token[3:]
    return token[:1].isupper() and all(c.isalpha() or c in "'’-." for c in token)


@dataclass
class Forms:
    """The forms of address a document uses: the shared lists plus what the document adds."""

    titles: set[tuple[str, ...]] = field(default_factory=lambda: set(_BASE_TITLES))
    suffixes: set[str] = field(default_factory=lambda: set(_BASE_SUFFIXES))

    def title_length(self, tokens: list[str]) -> int:
        """How many leading tokens are titles ("Right Hon.", "Brig Gen", "Mr"), longest first."""
        keys = [t.rstrip(".").lower() for t in tokens]
        taken = 0
        while taken < len(keys):
            for size in (3, 2, 1):
                if tuple(keys[taken : taken + size]) in self.titles and taken + size <= len(keys):
                    taken += size
                    break
            else:
                break
        return taken


@dataclass(frozen=True)
class SpeakerLabel:
    written: str  # as the document writes it
    name: str  # canonical: "Bill Blair", "The Chair", "An Hon Member"
    role: str = ""
    affiliation: str = ""
    shape: str = "name"  # "title", "suffix", "role", "caps" or "name": how the label marks a speaker
    interjection: bool = False
    is_role: bool = False  # names an office ("The Chair"), not a person

    @property
    def strong(self) -> bool:
        """Marked as a speaker by its form alone: a title, post-nominal letters, an office, a parenthesis."""
        return self.shape in ("title", "suffix", "role") or self.interjection or bool(self.role or self.affiliation)


def split_parenthesis(text: str) -> tuple[str, str]:
    """("The Chair", "Hon. Anthony Rota (Nipissing, Lib.)") from "The Chair (Hon. Anthony Rota (Nipissing, Lib.))"."""
    text = text.strip()
    if not text.endswith(")"):
        return text, ""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[:i].strip(), text[i + 1 : -1].strip()
    return text, ""


def parse_label(written: str, forms: Forms | None = None) -> SpeakerLabel | None:
    """The speaker a label names, or None when the text cannot be a speaker label (a heading
    such as "Item 3: Budget", a field such as "Meeting Date and Time", a sentence)."""
    forms = forms or Forms()
    written = " ".join(written.replace("**", "").split()).rstrip(":").strip()
    head, inside = split_parenthesis(written)
    while inside and head.endswith(")"):  # "Keir Starmer (Holborn and St Pancras) (Lab)": constituency, then party
        head, before = split_parenthesis(head)
        if not before:
            break  # an unbalanced parenthesis: no label, see below
        inside = f"{before}, {inside}"
    if not head or len(written) > 200 or any(c.isdigit() for c in head) or "(" in head or ")" in head:
        return None
    if all(word.lower().strip(".") in FIELD_WORDS | _ROLE_CONNECTORS for word in head.replace("-", " ").split()):
        return None  # "Action:", "Next Steps:", "Follow-up:", a field of the minutes
    if _INTERJECTION.match(head):
        return SpeakerLabel(written, _normal_case(head), shape="role", interjection=True, is_role=True)
    tokens = head.split()
    if len(tokens) > 9:
        return None
    initial_and_surname = tokens[0] == "A" and all(t.isupper() for t in tokens[1:])  # "A BIRCH", not "A Member"
    # "The Honourable Patty Hajdu", "The Rev. J Smith": styles that take the article (not "The General Secretary")
    titled = tokens[0].lower() == "the" and len(tokens) > 2 and tokens[1].rstrip(".").lower() in _STYLES
    person = _person(written, tokens[1:], inside, forms) if titled else None
    if person is not None:
        return person
    if _ARTICLE.match(tokens[0]) and len(tokens) > 1 and not initial_and_surname:
        office = _office(tokens)
        if office is None:
            return None
        if inside:
            person = parse_label(inside, forms)
            named = person is not None and (person.shape in ("title", "suffix") or len(person.name.split()) > 1)
            if person is not None and not person.is_role and named:
                # "The Chair (Hon. Anthony Rota (...))", "The Prime Minister (Boris Johnson)": who holds the office
                return SpeakerLabel(
                    written, person.name, office.removeprefix("The ").strip(), person.affiliation, "role"
                )
        role, affiliation = _role_or_affiliation(inside)
        return SpeakerLabel(written, office, role, affiliation, "role", is_role=True)
    return _person(written, tokens, inside, forms)


def _person(written: str, tokens: list[str], inside: str, forms: Forms) -> SpeakerLabel | None:
    if len(tokens) > 7 or not all(_name_token(t) or t.lower() in _NAME_PARTICLES for t in tokens):
        return None
    if any(t.lower() in _ROLE_CONNECTORS for t in tokens):
        return None  # "MINISTER OF HEALTH" is an office in capitals, not a name
    if not _name_token(tokens[0]) or (tokens[-1].endswith(".") and not _INITIAL.match(tokens[-1])):
        return None
    shape = "name"
    titles = forms.title_length(tokens)
    rest = tokens[titles:]
    if rest and not all(_INITIAL.match(t) for t in rest):
        tokens, shape = rest, "title" if titles else shape
    elif titles:
        shape = "title"  # "Professor B", "Madam": the title is all there is of the name
    if len(tokens) > 1 and tokens[-1].rstrip(".") in forms.suffixes and not all(_INITIAL.match(t) for t in tokens[:-1]):
        tokens, shape = tokens[:-1], "suffix" if shape == "name" else shape
    if shape == "name" and any(t.isupper() and len(t) > 1 for t in tokens):
        shape = "caps"
    if all(t.isupper() for t in tokens):  # "PHD A", "PROJECT MANAGER": no family name first to undo
        tokens = [t.capitalize() if len(t) > 1 else t for t in tokens]
    name = canonical_name(" ".join(tokens))[0]
    role, affiliation = _role_or_affiliation(inside)
    return SpeakerLabel(written, name, role, affiliation, shape)


def _office(tokens: list[str]) -> str | None:
    """ "The Minister for Education", "The CHAIRPERSON OF THE NCOP", "A Member" -> normal case; None when a
    word is neither capitalised nor a connector ("The committee met at ten")."""
    words: list[str] = []
    for token in tokens[1:]:
        word = token.strip(",")
        if word.lower() in _ROLE_CONNECTORS and words:
            words.append(word.lower())
        elif _name_token(word) or word.lower() in ("hon", "hon."):
            words.append(word.capitalize() if word.isupper() and len(word) > 1 else word)
        else:
            return None
    return " ".join([tokens[0].capitalize(), *words]) if words else None


def _normal_case(text: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in text.split())


def _role_or_affiliation(inside: str) -> tuple[str, str]:
    """A parenthesis after a name: a constituency and party ("Papineau, Lib.") is an affiliation;
    anything else ("Minister of Transport", "Canada") is the role."""
    if not inside:
        return "", ""
    parts = [p.strip() for p in inside.split(",")]
    if len(parts) >= 2 and _PARTY.match(parts[-1]):
        return "", inside
    if inside.isupper():  # "MINISTER OF HEALTH" in a transcript set in capitals
        inside = " ".join(w.lower() if w.lower() in _ROLE_CONNECTORS else w.capitalize() for w in inside.split())
    return inside, ""


_HOLDER = re.compile(r"^(?P<person>[^,–—]+?)\s*(?:,|\s[–—-]\s)\s*(?P<office>(?:The\s+)?[A-Z][^,;.:]*)$")


def office_holder(line: str, forms: Forms | None = None) -> tuple[SpeakerLabel, str] | None:
    """A line of a list of participants that says who holds an office: "Kirsty Williams AM, Minister
    for Education" or "Hon. Bill Blair – Minister of Public Safety" -> (Kirsty Williams, "Minister
    for Education"). The person needs a title or post-nominal letters, the office capitalised words."""
    m = _HOLDER.match(" ".join(line.replace("**", "").split()))
    if not m:
        return None
    person = parse_label(m.group("person"), forms)
    office_tokens = m.group("office").split()
    if office_tokens[0].lower() != "the":
        office_tokens = ["The", *office_tokens]
    office = _office(office_tokens)
    if person is None or person.is_role or person.shape not in ("title", "suffix") or office is None:
        return None
    return person, office.removeprefix("The ")


def role_key(role: str) -> str:
    """ "The Minister for Education" and "Minister for Education" are one office."""
    return re.sub(r"^the\s+", "", fold(" ".join(role.split())))


def learn_forms(labels: list[str]) -> Forms:
    """The document's own forms of address, learned from its candidate labels:

    - a title is a word standing before initials and a surname in capitals ("Mnr C AUCAMP",
      "Genl C L VILJOEN", "Inkosi R N CEBEKHULU"), or a word that stands before two or more
      different names and ends with a full stop ("Cllr. Ann Hart", "Cllr. Bo Lee");
    - post-nominal letters are a short word in capitals after two or more names in normal case,
      in at least two different labels ("Jenny Rathbone MS", "Mark Isherwood MS").
    """
    forms = Forms()
    dotted: dict[str, set[str]] = {}
    trailing: dict[str, set[str]] = {}
    for label in labels:
        tokens = split_parenthesis(" ".join(label.split()).rstrip(":"))[0].split()
        if len(tokens) < 2 or not all(_name_token(t) for t in tokens):
            continue
        known = forms.title_length(tokens)
        lead = tokens[known:]
        # Mixed-case words, then at least one initial, then the surname in capitals.
        mixed = 0
        while mixed < len(lead) and not lead[mixed].isupper() and not _INITIAL.match(lead[mixed]):
            mixed += 1
        after = lead[mixed:]
        if (
            0 < mixed <= 2
            and len(after) >= 2
            and _INITIAL.match(after[0])
            and after[-1].isupper()
            and len(after[-1]) > 1
        ):
            forms.titles.add(tuple(t.rstrip(".").lower() for t in lead[:mixed]))
        if len(lead) >= 3 and lead[0].endswith(".") and len(lead[0]) > 2:
            dotted.setdefault(lead[0].rstrip(".").lower(), set()).add(" ".join(lead[1:]))
        if (
            len(tokens) >= 3
            and tokens[-1].isupper()
            and 2 <= len(tokens[-1]) <= 4
            and all(not t.isupper() for t in tokens[:-1])
        ):
            trailing.setdefault(tokens[-1], set()).add(" ".join(tokens[:-1]))
    forms.titles |= {(word,) for word, names in dotted.items() if len(names) >= 2}
    forms.suffixes |= {word for word, names in trailing.items() if len(names) >= 2}
    return forms


def resolve(registry: SpeakerRegistry, label: SpeakerLabel) -> Speaker:
    """The canonical speaker a label names in this document. One person, one speaker: every form
    of a name ("Hon. Bill Blair", "Hon. Bill Blair (Minister of ...)") finds the same speaker, and
    an office ("The Chair") finds whoever the document said holds it."""
    if label.is_role:
        speaker = registry.holder(role_key(label.name)) if not label.interjection else None
        if speaker is None:
            speaker = registry.speakers.get(label.name)  # an office is matched whole: "The Acting Chair" is no "Chair"
        if speaker is None:
            speaker = registry.speakers[label.name] = Speaker(label.name, label.role, {label.name})
    else:
        speaker = registry.lookup(label.name) or registry.add(label.name)
        registry.declare(role_key(label.role), speaker)
    if label.role and not speaker.role:
        speaker.role = label.role
    if label.affiliation and not speaker.affiliation:
        speaker.affiliation = label.affiliation
    speaker.aliases.add(label.written)
    return speaker
