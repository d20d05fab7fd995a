"""Turn typed name spans into entities: one node per real-world entity.

Mentions join an entity when they share its canonical name, an alias, an acronym defined in
the text ("… (OSCE)"), or, for people, the surname or first name of a full name seen in the
document ("Okafor" → "Amina Okafor").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lexicon import load_words
from .lexicon import Lexicon, norm
from .model import Entity, Mention, Span, entity_key
from .names import INITIALLED_RE as INITIALLED
from .names import NameSpan

EDITION_RE = re.compile(r"^(?:\w+\s+)?(?:session|summit|meeting|plenary session|edition)\s+of\s+(?:the\s+)?(.+)$",
                        re.IGNORECASE)


@dataclass
class Placed:
    """A mention in the token stream, resolved to an entity key."""

    start: int
    end: int
    key: str


def clean_label(text: str) -> str:
    text = re.sub(r"^(the|The)\s+", "", text.strip())
    text = re.sub(r"[’']s$", "", text)
    return " ".join(text.split()).strip(" ,.;:")


class EntityTable:
    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.entities: dict[str, Entity] = {}
        self.by_name: dict[str, str] = {}        # normalised name or alias -> key
        self.placed: list[Placed] = []

    def add(self, kind: str, label: str, *, aliases=(), mention: tuple[int, int, str] | None = None,
            tokens: tuple[int, int] | None = None, method: str = "ner", role: str | None = None) -> str:
        label = clean_label(label)
        key = self.lookup(label, kind) or entity_key(kind, label)
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(key=key, kind=kind, label=label, role=role)
        for name in (label, *aliases):
            if name:
                self.by_name.setdefault(norm(name), key)
                if norm(name) != norm(entity.label):
                    entity.aliases.add(clean_label(name))
        if mention:
            begin, end, text = mention
            if not any(m.span.begin == begin and m.span.end == end for m in entity.mentions):
                entity.mentions.append(Mention(Span(begin, end), text, method))
        if tokens:
            self.placed.append(Placed(tokens[0], tokens[1], key))
        return key

    def lookup(self, name: str, kind: str | None = None) -> str | None:
        key = self.by_name.get(norm(clean_label(name)))
        if key and (kind is None or self.entities[key].kind == kind or _compatible(self.entities[key].kind, kind)):
            return key
        return None

    def key_at(self, token_i: int) -> str | None:
        for placed in self.placed:
            if placed.start <= token_i < placed.end:
                return placed.key
        return None


def _compatible(a: str, b: str) -> bool:
    return {a, b} <= {"Place", "Country"}


def build_entities(doc, spans: list[NameSpan], table: EntityTable) -> None:
    """Add typed spans to the table, longest and best-typed names first."""
    lex = table.lex
    typed = [s for s in spans if s.kind]
    # Full names before their short forms, so "Okafor" finds "Amina Okafor".
    # Editions last, so "7th session of the X" finds the event X.
    typed.sort(key=lambda s: (s.method == "edition" or bool(EDITION_RE.match(s.text)), -(s.end - s.start)))
    pending_people = []
    text_of_doc = None      # doc.text joins every token: built once, and only if a Document needs it
    for span in typed:
        text = clean_label(span.label or span.text)
        if not text:
            continue
        if span.kind == "Document":     # "Concept of Foreign Policy (2020-2030)": the years are part of the name
            text_of_doc = text_of_doc if text_of_doc is not None else doc.text
            after = doc[span.end - 1].idx + len(doc[span.end - 1].text)
            years = re.match(r"^\s*\((?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?\)", text_of_doc[after:after + 40])
            if years:
                text = f"{text} {years.group(0).strip()}"
        tok_span = doc[span.start:span.end]
        mention = (tok_span.start_char, tok_span.end_char, tok_span.text)
        known = lex.known(text)
        aliases = set(known.aliases) if known else set()
        if span.acronym:
            aliases.add(span.acronym)
        if span.kind == "Event":
            match = EDITION_RE.match(text)
            target = match and table.lookup(match.group(1), "Event")
            if target:       # "7th session of the World Islamic Economic Forum" is that forum
                table.add("Event", table.entities[target].label, mention=mention,
                          tokens=(span.start, span.end), method=span.method)
                continue
        if span.kind == "Person":
            existing = table.lookup(text, "Person")
            if not existing and " " not in text and not INITIALLED.match(text):
                # "Okafor", "Ofori-Atta": a surname alone ("D.Enkhbold" is a full name)
                pending_people.append((span, text, mention))
                continue
        table.add(span.kind, text, aliases=aliases, mention=mention, tokens=(span.start, span.end),
                  method=span.method)
    _nested_countries(doc, typed, table)
    parts = _person_parts(table)
    for span, text, mention in pending_people:
        key = _person_by_part(parts, text)
        if key:
            table.add("Person", table.entities[key].label, aliases=(), mention=mention,
                      tokens=(span.start, span.end), method="surname")
        else:
            table.add("Person", text, mention=mention, tokens=(span.start, span.end), method=span.method)
    _merge_prefixed(table)
    _merge_legal_forms(table)
    _merge_acronyms(table)
    _merge_short_names(table)
    _merge_particle_surnames(table)
    _qualify_national_bodies(doc, table)
    # A one-word name that is a surname of a known person ("Diallo" typed Place by the model).
    for placed in list(table.placed):
        entity = table.entities[placed.key]
        known = table.lex.known(entity.label)
        if entity.kind != "Person" and " " not in entity.label and len(entity.mentions) <= 3 \
                and not (known and known.kind in ("Country", "Place")) and not _known_town(table, entity):
            # (not "Freedonia" into "Freedonia Railways Zholy", a railway the model took for a person; not the
            # dateline's town into "Baltija Klaipeda", a club the model took for a person)
            key = _person_by_part(parts, entity.label)
            if key and key != placed.key:
                _merge(table, placed.key, key)


def described_bodies(doc, table: EntityTable) -> None:
    """"China's commerce ministry said", "Mozambique's disaster agency said": a country's possessive and a
    lower-case description ending in a body's noun (data/lexicon/body_description_nouns.txt) name a body, not the
    country. It is the article's body whose name holds the description's words ("Kenya's central bank": the
    Central Bank of Kenya), else one of its own named as written. Its mention is the description's words."""
    nouns = load_words("body_description_nouns.txt")
    countries = {p.end: p for p in table.placed if table.entities[p.key].kind == "Country"}
    taken = {i for p in table.placed for i in range(p.start, p.end)}
    for end, country in sorted(countries.items()):
        if end + 2 >= len(doc) or doc[end].text not in ("'s", "’s"):
            continue
        k = end + 1
        while k < len(doc) and k - end <= 3 and doc[k].is_alpha and doc[k].text.islower() and k not in taken \
                and doc[k].lower_ not in nouns:
            k += 1
        if k >= len(doc) or k == end + 1 or doc[k].lower_ not in nouns or not doc[k].text.islower() or k in taken \
                or k + 1 < len(doc) and doc[k + 1].text.islower() and doc[k + 1].pos_ == "NOUN":
            continue        # ("Kenya's finance ministry official": the body is a modifier there)
        words = [t.lower_ for t in doc[end + 1:k]]
        written = doc[country.start:k + 1].text
        span = doc[end + 1:k + 1]
        apposed = _apposed_body(doc, table, country.start, k + 1)
        named = [e for e in table.entities.values() if e.kind == "Organisation"
                 and all(w in e.label.lower().split() for w in words)]
        label = table.entities[apposed].label if apposed else named[0].label if len(named) == 1 else written
        table.add("Organisation", label, aliases=(written,), mention=(span.start_char, span.end_char, span.text),
                  tokens=(end + 1, k + 1), method="described")


def _apposed_body(doc, table: EntityTable, start: int, end: int) -> str | None:
    """The body a description doc[start:end] is set beside: "The DPC, Ireland's data protection authority,",
    "Chad's refugee agency, the CNARR", "Italy's antitrust authority AGCM"."""
    def body_at(i, ending=False):
        for p in table.placed:
            if (p.end == i if ending else p.start == i) and table.entities[p.key].kind == "Organisation":
                return p.key
        return None
    if start >= 2 and doc[start - 1].text == ",":
        i = start - 1
        if doc[i - 1].text == ")":      # "The Data Protection Commission (DPC), Ireland's …"
            i = next((m for m in range(i - 2, max(0, i - 6), -1) if doc[m].text == "("), i)
        found = body_at(i, ending=True)
        if found:
            return found
    j = end + (end < len(doc) and doc[end].text == ",")
    j += j < len(doc) and doc[j].lower_ == "the"
    return body_at(j) if j < len(doc) else None


def _known_town(table: EntityTable, entity) -> bool:
    """Is the entity the dateline's town (the metadata names it)? (A town only the town list knows may be a
    surname: "Trang" in "Le Thi Thu Trang".)"""
    return entity.kind == "Place" and any(m.method == "metadata" for m in entity.mentions)


def _nested_countries(doc, spans, table: EntityTable) -> None:
    """"Government of Bangladesh", "Embassy of Japan", "UNICEF Bangladesh": a country named inside a body's
    name is named by the article too (a mention of its own, not a place in the token index, which the body's
    name holds)."""
    lex = table.lex
    for span in spans:
        if span.kind != "Organisation" or span.end - span.start < 2:
            continue
        first = doc[span.start].lower_
        if first not in lex.national_bodies and first != "government" and not lex.known(doc[span.start].text):
            continue        # "University of Iceland" is no state's body; "UNICEF Bangladesh" is a body's office
        for start in range(span.start + 1, span.end):
            if doc[start - 1].lower_ not in ("of", "the") and start != span.end - 1:
                continue
            words = doc[start:span.end]
            known = lex.known(words.text)
            if known and known.kind == "Country":
                table.add("Country", known.label, aliases=known.aliases,
                          mention=(words.start_char, words.end_char, words.text), method="gazetteer")
                break


def _person_parts(table: EntityTable) -> dict[str, list[str]]:
    """First name or surname → the keys of the people of several words who bear it ("D.Enkhbold": its
    surname after the initials)."""
    parts: dict[str, list[str]] = {}
    for e in table.entities.values():
        if e.kind == "Person" and " " in e.label:
            words = e.label.split()
            for part in {norm(words[0]), norm(words[-1])}:
                parts.setdefault(part, []).append(e.key)
        elif e.kind == "Person" and INITIALLED.match(e.label):
            parts.setdefault(norm(e.label.rsplit(".", 1)[1]), []).append(e.key)
    return parts


def _merge_particle_surnames(table: EntityTable) -> None:
    """"Van Zyl" (a sentence's first words, or after a title) is "Pieter van Zyl": a surname with its
    particle names the one person whose full name ends so."""
    particles = table.lex.name_particles
    for entity in list(table.entities.values()):
        words = entity.label.split()
        if entity.kind != "Person" or len(words) < 2 or words[0].lower() not in particles or entity.key not in \
                table.entities:
            continue
        tail = norm(entity.label)
        fuller = [e.key for e in table.entities.values() if e.kind == "Person" and e.key != entity.key
                  and norm(e.label).endswith(" " + tail)]
        if len(fuller) == 1:
            table.entities[fuller[0]].aliases.add(entity.label)
            _merge(table, entity.key, fuller[0])


def _merge_short_names(table: EntityTable) -> None:
    """"Kestrel" is "Kestrel Foods", "Nordvik" is "Nordvik Seafood ASA": a body of one or two words, not in
    the gazetteer, is the one longer body of the article whose name starts with it, unless that name ends
    in a word that makes it a body of its own (own_body_heads.txt, unit_heads.txt: "Solvang Foundation")."""
    lex = table.lex
    separate = load_words("own_body_heads.txt") | load_words("unit_heads.txt")
    for entity in list(table.entities.values()):
        words = entity.label.split()
        if entity.kind != "Organisation" or not 1 <= len(words) <= 2 or lex.known(entity.label) \
                or entity.key not in table.entities or entity.label.isupper():
            continue
        prefix = norm(entity.label) + " "
        longer = [e for e in table.entities.values() if e.kind == "Organisation" and e.key != entity.key
                  and norm(e.label).startswith(prefix)]
        if len(longer) != 1 or " of " in f" {longer[0].label.lower()} " \
                or any(w.lower().strip(".") in separate for w in longer[0].label.split()[len(words):]):
            continue
        longer[0].aliases.add(entity.label)
        _merge(table, entity.key, longer[0].key)
    for entity in list(table.entities.values()):
        # "Parliament" after "the European Parliament": a lone institution's word is the one body named with it
        if entity.kind != "Organisation" or entity.key not in table.entities \
                or entity.label.lower() not in lex.lone_institutions:
            continue
        longer = [e for e in table.entities.values() if e.kind == "Organisation" and e.key != entity.key
                  and len(e.label.split()) > 1 and e.label.split()[-1].lower() == entity.label.lower()]
        if len(longer) == 1:
            longer[0].aliases.add(entity.label)
            _merge(table, entity.key, longer[0].key)


def _person_by_part(parts: dict[str, list[str]], word: str) -> str | None:
    hits = parts.get(norm(word), [])
    return hits[0] if len(hits) == 1 else None


def _merge(table: EntityTable, old: str, new: str) -> None:
    source = table.entities.pop(old, None)
    if not source:
        return
    target = table.entities[new]
    target.mentions.extend(source.mentions)
    for name, key in list(table.by_name.items()):
        if key == old:
            table.by_name[name] = new
    for placed in table.placed:
        if placed.key == old:
            placed.key = new


def _merge_prefixed(table: EntityTable) -> None:
    """"OSCE Catalogue of X" is "Catalogue of X" when both are named: the prefix names its owner."""
    for entity in list(table.entities.values()):
        first, _, rest = entity.label.partition(" ")
        if entity.kind not in ("Document", "Event") or not rest or entity.key not in table.entities:
            continue
        owner = table.lookup(first)
        other = table.lookup(rest, entity.kind)
        if owner and other and other != entity.key and table.entities[owner].kind == "Organisation":
            table.entities[other].aliases.add(entity.label)
            _merge(table, entity.key, other)


def _merge_legal_forms(table: EntityTable) -> None:
    """"Nordlys Air ASA" is "Nordlys Air" (the publisher, or the name the text goes on to use): a company
    is also called without its legal form (data/lexicon/company_forms.tsv)."""
    suffixes = table.lex.company_suffixes
    for entity in list(table.entities.values()):
        words = entity.label.split()
        if entity.kind != "Organisation" or len(words) < 3 or entity.key not in table.entities:
            continue
        short = " ".join(words[:-1]) if words[-1] in suffixes else \
            " ".join(words[1:]) if words[0] in table.lex.company_prefixes else None
        if not short:
            continue
        # ("Nordhavn Robotics A/S … Nordhavn Robotics said": the short name the model took for a person is the firm)
        other = table.lookup(short, "Organisation") or table.lookup(short, "Person")
        if other and other != entity.key:
            keep, drop = (entity, table.entities[other]) if any(m.method == "metadata" for m in entity.mentions) \
                or table.entities[other].kind != "Organisation" \
                else (table.entities[other], entity)     # the publisher's node keeps its key (metadata facts name it)
            keep.aliases.add(drop.label)
            keep.aliases.update(drop.aliases)
            keep.aliases.discard(keep.label)
            _merge(table, drop.key, keep.key)
        else:
            entity.aliases.add(short)
            table.by_name.setdefault(norm(short), entity.key)


ACRONYM_SKIPPED = {"of", "the", "and", "for", "on", "in", "de", "des", "du", "la", "le", "&"}


def _merge_acronyms(table: EntityTable) -> None:
    """"JAXA" in the title and "the Japan Aerospace Exploration Agency" in the text, "HELCOM, the
    Helsinki Commission", "the NTA's head" after "the National Transport Authority": an acronym used
    without its expansion beside it is the one body of its kind in the document that it abbreviates."""
    for entity in list(table.entities.values()):
        label = entity.label
        if entity.kind not in ("Organisation", "Event") or not (2 <= len(label) <= 8 and label.isalpha()
                                                                and label.isupper()):
            continue
        fits = [other for other in table.entities.values() if other.kind == entity.kind and other is not entity
                and not any(a.isupper() and " " not in a for a in other.aliases) and _abbreviates(label, other.label)]
        if len(fits) == 1 and entity.key in table.entities:
            fits[0].aliases.add(label)
            fits[0].aliases.update(entity.aliases)
            _merge(table, entity.key, fits[0].key)


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether the letters of ``acronym`` come from the words of ``name`` in order, each word giving
    a beginning of itself (HEL-sinki COM-mission) or, after the first, one of its letters (eXploration).

    >>> _abbreviates("HELCOM", "Helsinki Commission"), _abbreviates("JAXA", "Japan Aerospace Exploration Agency")
    (True, True)
    >>> _abbreviates("NTA", "National Transport Authority"), _abbreviates("NTA", "Nordic Water Council")
    (True, False)
    """
    words = [w.lower() for w in re.split(r"[\s\-]+", name) if w and w.lower() not in ACRONYM_SKIPPED]
    letters = acronym.lower()
    if len(words) < 2 or len(words) > len(letters):
        return False

    def fit(li: int, wi: int) -> bool:
        if wi == len(words):
            return li == len(letters)
        word = words[wi]
        k = 1
        while li + k <= len(letters) and k <= len(word) and letters[li:li + k] == word[:k]:
            if fit(li + k, wi + 1):
                return True
            k += 1
        return wi > 0 and li < len(letters) and letters[li] in word[1:] and fit(li + 1, wi + 1)

    return fit(0, 0)


def _qualify_national_bodies(doc, table: EntityTable) -> None:
    """"its Ministry of Foreign Affairs" → "Ministry of Foreign Affairs of Kenyanstan"."""
    from collections import Counter

    bodies = table.lex.national_bodies
    countries = Counter(p.key for p in table.placed if table.entities.get(p.key, None) is not None
                        and table.entities[p.key].kind == "Country")
    ranked = countries.most_common(2)
    dominant = ranked[0][0] if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]) \
        else None
    for placed in sorted(table.placed, key=lambda p: p.start):
        entity = table.entities.get(placed.key)
        if entity is None or entity.kind != "Organisation" or entity.label.split(" ", 1)[0].lower() not in bodies:
            continue
        if re.search(r" of (the )?[A-Z]", entity.label.split(" of ", 1)[-1] if " of " in entity.label else ""):
            pass
        country = _owner_country(doc, table, placed.start) or dominant
        if not country or table.entities[country].label in entity.label:
            continue
        label = f"{entity.label} of {table.entities[country].label}"
        new = table.add("Organisation", label, aliases=(entity.label,), method="qualified")
        if new != placed.key:
            _merge(table, placed.key, new)


def _owner_country(doc, table: EntityTable, start: int) -> str | None:
    """The country named by "Kenya's" or "Kenyan" just before token ``start``."""
    if start >= 2 and doc[start - 1].text in ("’s", "'s"):
        key = table.key_at(start - 2)
        if key and table.entities[key].kind == "Country":
            return key
    if start >= 1:
        country = table.lex.country_of_adjective(doc[start - 1].text)
        if country:
            return table.lookup(country, "Country")
    return None
