"""The extractor's knowledge, read once from ``data/lexicon/``: gazetteer, heads, titles, verbs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lexicon import lexicon_path, load_cased_words, load_table, load_table_path, load_words


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


def _reach(phrases, first_word: str, limit: int) -> dict[str, int]:
    """First word → the most tokens a phrase starting with it can take (at most ``limit``), so that a
    scan tries no longer spans than some phrase could fill. spaCy cuts words and punctuation apart and
    rarely splits a word ("cannot"): a count of both, plus one, bounds its tokens from above."""
    reach: dict[str, int] = {}
    for phrase in phrases:
        first = re.match(first_word, phrase).group(0)
        tokens = min(limit, len(re.findall(r"\w+|[^\w\s]", phrase)) + 1)
        reach[first] = max(reach.get(first, 0), tokens)
    return reach


@dataclass(frozen=True)
class Known:
    """A gazetteer entry: the canonical label and type of a well-known entity."""

    label: str
    kind: str
    aliases: tuple[str, ...]


class Lexicon:
    def __init__(self):
        self.by_name: dict[str, Known] = {}
        for row in self._table("gazetteer.tsv"):
            if not row.get("label") or not row.get("type"):
                continue
            aliases = tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip())
            known = Known(row["label"], row["type"], aliases)
            for name in (row["label"], *aliases):
                self.by_name.setdefault(_norm(name), known)
        self.regions: set[str] = set()       # first-level regions: states, provinces ("New Mexico")
        self._add_verified_places()
        self.demonyms = {_norm(r["adjective"]): r["country"] for r in self._table("demonyms.tsv")
                         if r.get("adjective") and r.get("country")}
        self.titles: dict[str, tuple[str, str]] = {}
        for r in self._table("titles.tsv"):
            if r.get("title"):
                self.titles[_norm(r["title"])] = (r.get("role") or r["title"].title(), r.get("kind") or "office")
        self.max_title_words = max((len(t.split()) for t in self.titles), default=1)
        self.title_reach = _reach(self.titles, r"[^\s\-]+", self.max_title_words)
        self.heads: dict[str, tuple[str, str]] = {}
        for r in self._table("head_words.tsv"):
            if r.get("word") and r.get("type"):
                self.heads[_norm(r["word"])] = (r["type"], r.get("type_with_acronym") or r["type"])
        self.speech_verbs = self._words("speech_verbs.txt")
        self.naming_verbs = self._words("naming_verbs.txt")
        self.summary_attributions = sorted(self._words("summary_attributions.txt"), key=len, reverse=True)
        self.speech_nouns = self._words("speech_nouns.txt")
        self.org_nouns = self._words("org_nouns.txt")
        self.corporate_words = self._words("corporate_words.txt")
        self.name_particles = self._words("name_particles.txt")
        self.person_nouns = self._words("person_nouns.txt")
        self.lone_institutions = self._words("lone_institutions.txt")
        self.possessive_name_words = self._words("possessive_name_words.txt")
        self.nationality_titles = self._words("nationality_titles.txt")
        self.style_titles = self._words("style_titles.txt")
        self.hyphen_suffixes = self._words("hyphen_suffixes.txt")
        self.event_prefixes = self._words("event_prefixes.txt")
        self.proposal_verbs = self._words("proposal_verbs.txt")
        self.gathering_nouns = self._words("gathering_nouns.txt")
        self.address_styles = self._words("address_styles.txt")
        self.credit_words = self._words("credit_words.txt")
        self.agency_countries = {_norm(name): r["country"] for r in self._table("news_agencies.tsv")
                                 if r.get("agency") and r.get("country") for name in r["agency"].split("|")}
        self.role_nouns = {r["noun"].lower(): tuple(x for x in r.get("roles", "").split("|") if x)
                           for r in self._table("role_nouns.tsv") if r.get("noun")}
        forms = self._table("company_forms.tsv")
        self.company_suffixes = frozenset(r["form"] for r in forms if r.get("position") == "end")
        self.company_prefixes = frozenset(r["form"] for r in forms if r.get("position") == "start")
        self.speaker_nouns = self._words("speaker_nouns.txt")
        # roles a place holds when the text names no owner ("Mayor", "Collector": title_owners.tsv, owner Place)
        self.place_roles = frozenset(r["role"] for r in self._table("title_owners.tsv") if r.get("owner") == "Place")
        self.stop_names = self._words("stop_names.txt")
        self.initiative_verbs = self._words("initiative_verbs.txt")
        self.national_bodies = self._words("national_bodies.txt")
        self.portfolios = self._words("portfolios.txt")
        self.place_nouns = self._words("place_nouns.txt")
        self.initiative_participles = self._words("initiative_participles.txt")
        self.organiser_participles = self._words("organiser_participles.txt")
        # towns and cities (GeoNames): a name of unknown type that is one is a place; the country it lies in
        self.cities = {_norm(r["name"]): r.get("country") or "" for r in self._table("cities.tsv") if r.get("name")}
        self.currency_codes = frozenset(w.upper() for w in self._words("currency_codes.txt"))
        prefixes = sorted(load_cased_words("currency_prefixes.txt"), key=len, reverse=True)
        # "KSh2.10", "RM1,650": a currency sign and an amount written as one word (not the ISO codes: "COP30")
        self.amount = re.compile("^(?:" + "|".join(map(re.escape, prefixes)) + r")\d[\d,.]*(?:bn|m|k)?$")
        self.constituency_titles = self._words("constituency_titles.txt")
        self.place_kinds = self._words("place_kinds.txt")
        self.max_name_words = max((len(n.split()) for n in self.by_name), default=1) + 2
        # the first word of every multi-word name, as spaCy would cut it ("sub" of "sub-saharan africa"),
        # with the most tokens a name it starts can take
        self.name_reach = _reach([n for n in self.by_name if " " in n or "-" in n], r"[^\s\-'’(]+",
                                 self.max_name_words)

    def _add_verified_places(self) -> None:
        """Territories, regions and cities of the verified Wikidata table (data/wikidata/offline-table.tsv)
        that the gazetteer lacks ("French Guiana", "Ontario", "Hesse"), so that they are typed as places
        whatever the model says; names the table marks ambiguous ("Georgia", "Victoria") are left out."""
        path = lexicon_path("gazetteer.tsv").parent.parent / "wikidata" / "offline-table.tsv"
        if not path.exists():
            return
        for row in load_table_path(path):
            if row.get("category") not in ("territory", "subnational", "city", "capital", "region", "place") \
                    or row.get("class") not in ("Country", "Place"):
                continue
            ambiguous = {_norm(a) for a in row.get("ambiguous", "").split("|") if a.strip()}
            if row.get("category") == "subnational":
                self.regions.add(_norm(row["label"]))     # (ambiguous names too: "Georgia" may own a governor)
            names = [n for n in (row["label"], *row.get("aliases", "").split("|")) if n.strip() and _norm(n) not in ambiguous]
            if not names or any(_norm(n) in self.by_name for n in names):
                continue
            known = Known(names[0], row["class"], tuple(names[1:]))
            for name in names:
                self.by_name.setdefault(_norm(name), known)

    @staticmethod
    def _table(name):
        return load_table(name) if lexicon_path(name).exists() else ()

    @staticmethod
    def _words(name):
        return load_words(name) if lexicon_path(name).exists() else frozenset()

    def known(self, name: str) -> Known | None:
        return self.by_name.get(_norm(name))

    def is_gathering(self, label: str) -> bool:
        """Does an event's name say people meet at it ("board meeting", "Andean Summit"; not "Cyclone Freddy")?"""
        return any(word in self.gathering_nouns for word in re.findall(r"[a-z]+", label.lower()))

    def head_type(self, word: str, with_acronym: bool = False) -> str | None:
        word = _norm(word)
        entry = self.heads.get(word)
        if entry is None and word.endswith("ies"):       # "Assemblies"
            entry = self.heads.get(word[:-3] + "y")
        elif entry is None and word.endswith("s") and len(word) > 4:
            entry = self.heads.get(word[:-1])
        if not entry:
            return None
        return entry[1] if with_acronym else entry[0]

    def title(self, phrase: str) -> tuple[str, str] | None:
        return self.titles.get(_norm(phrase))

    def country_of_place(self, name: str) -> str | None:
        """The country a known town lies in ("Ulaanbaatar" → "Mongolia"), through its gazetteer spellings."""
        known = self.known(name)
        for spelling in (name, *((known.label, *known.aliases) if known else ())):
            country = self.cities.get(_norm(spelling))
            if country:
                return country
        return None

    def country_of_adjective(self, word: str) -> str | None:
        return self.demonyms.get(_norm(word))


def participles_before_by(words, modifier: str = "") -> re.Pattern:
    """A pattern for text ending in one of ``words``, an optional ``modifier`` and "by".

    >>> bool(participles_before_by({"set up"}, r"(?:\\s+jointly)?").search("was set up jointly by"))
    True
    """
    alternatives = "|".join(re.escape(w).replace("\\ ", " ") for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + alternatives + r")" + modifier + r"\s+by\s*$", re.I)


@cache
def lexicon() -> Lexicon:
    return Lexicon()


norm = _norm
