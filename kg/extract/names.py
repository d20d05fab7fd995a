"""Find proper-name mentions and give each a type.

spaCy's small model finds names but often cuts or mistypes them ("Central Asian Security and",
"Lars Henriksen" as ORG). So we chunk capitalised token runs ourselves, joining them across
connectors ("of", "for", "and", "the") only inside institution names, repair spans with
acronyms ("… in Europe (OSCE)"), and type each span by, in order: the gazetteer, the name's head
word ("Forum" → Event), a title beside it ("President X" → Person), and spaCy's label.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..lexicon import load_cased_words, load_words
from .lexicon import Lexicon, norm
from .tokens import tokens

DATE_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
              "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "sept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct",
              "nov", "dec"}
CONNECTORS = {"of", "for", "on", "and", "&", "de", "des", "du", "the"}
ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                 "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                 "eighteenth", "nineteenth", "twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth",
                 "seventieth", "eightieth", "ninetieth", "hundredth"}
# name particles of people's names rather than of bodies' ("Autorità Garante della Concorrenza", "Banco de la
# Nación" are bodies; "de" is both, so a known place after it makes a body's name)
PERSON_PARTICLES = {"van", "von", "de", "der", "den", "ter", "ten", "bin", "binti", "bint", "ibn", "al", "el", "da", "dos",
                    "do"}
PHOTO_WORDS = {"photo", "photos", "picture", "pictures"}     # a credit's word after the agency ("AP Photo")
VENUE_HEADS = {"centre", "center", "complex"}     # a body's head word that is also a building's
GOVERNMENT_HEADS = {"ministry", "government", "office", "administration", "cabinet", "department", "secretariat",
                    "commission", "council", "presidency"}      # a title before these is the owner's, not a namesake
TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
LOCATIVE = {"in", "near", "between", "outside", "across", "around", "at", "inside", "via"}
EDITION_ACRONYM_RE = re.compile(r"^[A-Z]{2,}-?(?:\d{2}|\d{4})$")
INITIALLED_RE = re.compile(r"^(?:[A-Z][a-z]?\.){1,2}[A-Z][a-z]+$")     # "D.Enkhbold", "Ts.Tsogt"
ORDINAL_RE = re.compile(r"^\d+(st|nd|rd|th)$", re.IGNORECASE)
SPACY_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Place", "LOC": "Place",
               "EVENT": "Event", "LAW": "Document", "FAC": "Place"}


@dataclass
class NameSpan:
    start: int            # token indices [start, end)
    end: int
    text: str
    kind: str | None = None
    label: str | None = None      # canonical label when known (gazetteer, acronym expansion)
    method: str = "chunk"
    acronym: str | None = None    # "(OSCE)" defined right after this name
    untyped: bool = False         # a typing rule decided the span names nothing ("the Summit")


def is_name_token(tok) -> bool:
    text = tok.text
    if not text[:1].isupper() or not any(c.isalpha() for c in text):
        return False
    if tok.is_sent_start and tok.is_stop:
        return False
    if tok.lower_ in CONNECTORS or (tok.is_stop and not text.isupper() and tok.pos_ != "PROPN"
                                    and not _first_name_word(tok) and not _hyphened_first(tok)):
        return False
    return True


def _hyphened_first(tok) -> bool:
    """"Per" in "Per-Olof Nyman": a capitalised small word inside a sentence, glued by a hyphen to a
    capitalised word, is the first half of a name."""
    doc = tok.doc
    return not tok.is_sent_start and tok.i + 2 < len(doc) and not tok.whitespace_ and doc[tok.i + 1].text == "-" \
        and not doc[tok.i + 1].whitespace_ and doc[tok.i + 2].text[:1].isupper() and doc[tok.i + 2].is_alpha


def _government_title(role: str) -> bool:
    """A minister's or secretary's title, which portfolio words go before ("Cabinet Secretary", "Deputy Minister")."""
    return any(word in role.split() for word in ("Minister", "Secretary", "Commissioner"))


def _first_name_word(tok) -> bool:
    """"Per" in "…, Per Olav Brekke, said": a capitalised small word inside a sentence, right before
    a person's name the model found, is a first name."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return not tok.is_sent_start and nxt is not None and nxt.ent_type_ == "PERSON" and nxt.ent_iob_ == "B" \
        and tok.i > 0 and tok.nbor(-1).text in (",", "(", "—", "–")


def is_acronym(text: str) -> bool:
    """"OSCE", "KenIPP", "WRC-23", "APT-ATU"; not a hyphenated name ("Bayan-Ulgii", "Dlamini-Osei")."""
    if len(text) < 2 or sum(c.isupper() for c in text) < 2 or not text.replace("-", "").isalnum() or text[1:].islower():
        return False
    return all(part.isdigit() or len(part) <= 2 or sum(c.isupper() for c in part) >= 2 for part in text.split("-"))


def _glued(doc, i) -> bool:
    """Token i is glued to i-1 by a hyphen or an unspaced en dash: "Jean-Claude", "France-Presse",
    "Mongolia–Finland Business Forum"."""
    return i + 1 < len(doc) and doc[i].text in ("-", "‐", "–") and not doc[i - 1].whitespace_ \
        and not doc[i].whitespace_


class NameFinder:
    def __init__(self, lex: Lexicon):
        self.lex = lex
        self._text: tuple[object, str] | None = None
        self.kind_ending: dict[int, str | None] = {}     # token index where a typed span ends → its kind

    def text_of(self, doc) -> str:
        """``doc.text``, built once per Doc (spaCy joins every token each time it is asked)."""
        if self._text is None or self._text[0] is not doc:
            self._text = (doc, doc.text)
        return self._text[1]

    # ---------------------------------------------------------------- chunking
    def title_length(self, doc, i) -> int:
        """Number of tokens of a title phrase starting at i ("Deputy Prime Minister"), or 0."""
        match = title_match(doc, i, self.lex)
        return match[0] if match else 0

    def leading_title(self, doc, i) -> int:
        """Length of an office or honorific title at i that is not itself part of a name."""
        n = self.title_length(doc, i)
        if not n:
            return 0
        kind = title_match(doc, i, self.lex)[2]
        nxt = doc[i + n] if i + n < len(doc) else None
        if nxt is None or not is_name_token(nxt):
            return n if kind != "rank" else 0
        if self.lex.head_type(nxt.text) or self.lex.known(doc[i:i + n + 1].text):
            return 0      # "General Assembly", "President Hotel": the title word starts a name
        last = i + n
        while last + 1 < len(doc) and last - i < 7 and is_name_token(doc[last + 1]) and not doc[last + 1].is_sent_start:
            last += 1
        if last > i + n and self._named_after_head_at(doc, last):
            return 0      # "Captain William Spry Community Centre", "King Mindaugas Cup": named after someone
        if kind == "rank" and nxt.ent_type_ != "PERSON":
            return 0
        return n

    def _place_head_at(self, doc, i) -> bool:
        """Does token i end a place's head, of one word ("Street") or two ("Community Centre")?"""
        return "Place" in (self.lex.head_type(doc[i].text),
                           self.lex.head_type(f"{doc[i - 1].text} {doc[i].text}") if i > 0 else None)

    def _named_after_head_at(self, doc, i) -> bool:
        """Does token i end the head of a name that may be named after a titled person: a place's ("King
        Street"), an event's ("King Mindaugas Cup") or an institution's ("Queen Elizabeth University")?"""
        return self._place_head_at(doc, i) or self.lex.head_type(doc[i].text) in ("Event", "Organisation") \
            and doc[i].lower_ not in GOVERNMENT_HEADS

    def has_head(self, tokens) -> bool:
        return any(self.lex.head_type(t.text) for t in tokens)

    def known_names(self, doc, blocked: set[int]) -> list[NameSpan]:
        """Gazetteer names of two or more tokens, longest match first ("Munich Security Conference")."""
        found, i, n = [], 0, len(doc)
        table = tokens(doc)
        # Only tokens that can start a gazetteer name are tried: this runs over every token.
        starts = self.lex.name_reach
        while i < n:
            match = 0
            reach = starts.get(table.lower[i]) if i not in blocked else None
            if reach:
                for size in range(min(reach, n - i), 1, -1):
                    end = i + size
                    if doc[end - 1].is_punct or any(k in blocked for k in range(i, end)):
                        continue
                    text = table.span_text(i, end).strip()
                    if "\n" in text:
                        continue
                    known = self.lex.known(text)
                    # names are capitalised: "sub-Saharan Africa" yes, "the world bank" no
                    if known and any(c.isupper() for c in text):
                        match = size
                        break
            nxt = i + match
            if match and nxt < n and is_name_token(doc[nxt]) and doc[nxt - 1].whitespace_:
                last = nxt
                while last + 1 < n and is_name_token(doc[last + 1]) and doc[last].whitespace_ \
                        and not doc[last + 1].is_sent_start and last + 1 < nxt + 6:
                    last += 1
                if self.lex.head_type(doc[nxt].text) or self.lex.head_type(doc[last].text):
                    # "African Union" + "Commission", "Asia-Pacific" + "Regional Space Agency Forum":
                    # a longer name the gazetteer lacks
                    match = 0
            if match and i > 0 and self._widened_on_the_left(doc, i, i + match):
                match = 0       # "Social" + "Democratic Party": a longer name the gazetteer lacks
            if match:
                found.append(NameSpan(i, i + match, doc[i:i + match].text))
                i += match
            else:
                i += 1
        return found

    def _known_across(self, doc, i: int, j: int) -> bool:
        """Does a known name start at token i and run past the connector at j ("House" + "of" + "Commons",
        when "House of Commons Standing Committee …" is a longer name the gazetteer lacks)?"""
        reach = self.lex.name_reach.get(doc[i].lower_)
        return bool(reach) and any(self.lex.known(doc[i:end].text) for end in range(j + 2, min(len(doc), i + reach) + 1))

    def _widened_on_the_left(self, doc, i: int, end: int) -> bool:
        """Is the known body name doc[i:end] ("Democratic Party") the end of a longer one ("Social Democratic
        Party")? A capitalised word of no known name, title or nationality stands right before it, inside a
        sentence, and the name ends in a body's head word."""
        before = doc[i - 1]
        known = self.lex.known(doc[i:end].text)
        return bool(known and known.kind == "Organisation" and self.lex.head_type(doc[end - 1].text) == "Organisation"
                    and is_name_token(before) and before.whitespace_ and before.is_alpha and not before.is_sent_start
                    and not before.is_upper and not self.lex.known(before.text) and not self.lex.title(before.text)
                    and not self.lex.country_of_adjective(before.text) and before.lower_ not in CONNECTORS)

    def headline_places(self, doc, headline: tuple[int, int], spans) -> list[NameSpan]:
        """Countries of the gazetteer named in the headline (characters ``headline``), longest match
        first, when no capitalised word follows ("Pacific Nations Cup" is no country); no other names
        (title case capitalises every word there)."""
        line = doc.char_span(*headline, alignment_mode="contract")
        if line is None:
            return []
        taken = {i for span in spans for i in range(span.start, span.end)}
        found, i = [], line.start
        while i < line.end:
            size = 0
            if doc[i].text[:1].isupper() and i not in taken:
                for n in range(min(self.lex.max_name_words, line.end - i), 0, -1):
                    words = doc[i:i + n]
                    known = self.lex.known(words.text)
                    nxt = doc[i + n] if i + n < line.end else None
                    if known and known.kind == "Country" and not words[-1].is_punct \
                            and not (nxt is not None and nxt.text[:1].isupper() and nxt.text not in ("’s", "'s")):
                        size = n
                        break
            if size:
                found.append(NameSpan(i, i + size, doc[i:i + size].text))
            i += size or 1
        return found

    def chunks(self, doc, skip: list[tuple[int, int]]) -> list[NameSpan]:
        spans = []
        i, n = 0, len(doc)
        blocked = set()
        for begin, end in skip:
            blocked.update(t.i for t in doc.char_span(begin, end, alignment_mode="expand") or [])
        known = self.known_names(doc, blocked)
        known_at = {span.start: span for span in known}
        for span in known:
            blocked.update(range(span.start, span.end))
        while i < n:
            if i in blocked or not is_name_token(doc[i]):
                i += 1
                continue
            title = self.leading_title(doc, i)
            if title:
                i += title
                continue
            j = self._name_end(doc, i, blocked, known_at)
            spans.append(NameSpan(i, j, doc[i:j].text))
            i = j
        return sorted(spans + list(known_at.values()), key=lambda s: s.start)

    def _name_end(self, doc, i, blocked, known_at) -> int:
        """Where the capitalised run starting at token i ends (connectors, hyphens, "&", lists)."""
        n = len(doc)
        j = i + 1
        while j < n and j not in blocked:
            tok = doc[j]
            if is_name_token(tok) and (doc[j - 1].text not in ("’s", "'s") or _one_entity(doc, j - 2, j)
                                       or doc[j - 2].lower_ in self.lex.possessive_name_words):
                if tok.is_sent_start:
                    break
                j += 1      # "Cox's Bazar": the model reads the possessive as inside one name
            elif _glued(doc, j) and j + 1 < n and (doc[j + 1].text[:1].isupper() or doc[j + 1].text[:1].isdigit()):
                j += 2
            elif tok.text == "/" and j + 1 < n and not doc[j - 1].whitespace_ and not tok.whitespace_ \
                    and f"{doc[j - 1].text}/{doc[j + 1].text}" in self.lex.company_suffixes:
                j += 2      # "Nordhavn Robotics A/S": a legal form written with a slash
            elif _glued(doc, j) and self._given_name_syllable(doc, j + 1):
                j += 2      # "Kang Min-jae", "Seo Ji-hoon": the second syllable of a given name
            elif _glued(doc, j) and j + 3 < n and doc[j + 1].text.islower() and len(doc[j + 1]) <= 3 \
                    and _glued(doc, j + 2) and doc[j + 3].text[:1].isupper():
                j += 4      # "Sher-e-Bangla", "Bosnia-i-…": a short particle between hyphens
            elif tok.text == "&" and j + 1 < n and is_name_token(doc[j + 1]) \
                    and not self.title_length(doc, i) == j - i:
                j += 2      # "Meat & Livestock Australia", "Hallberg & Co.": an ampersand joins one name
            elif tok.text == "," and self._listed_portfolio(doc, i, j):
                j = self._listed_portfolio(doc, i, j)
            elif inner := self._inner_word_end(doc, j, blocked):
                j = inner
            elif tok.lower_ in CONNECTORS and self._may_join(doc, i, j):
                k = j + 1
                if k < n and (doc[k].lower_ == "the" and tok.lower_ in ("of", "on", "for")
                              or doc[k].lower_ in ("a", "an") and tok.lower_ in ("for", "on")):
                    k += 1      # "Alliance for a Green Revolution in Africa", "Regulation on a European …"
                if k in known_at and tok.lower_ in ("of", "for", "on"):
                    # "Plenary Session of the" + a known name: one name
                    j = known_at.pop(k).end
                elif k < n and k not in blocked and is_name_token(doc[k]) and not doc[k].is_sent_start \
                        and doc[k].lower_ not in DATE_WORDS:
                    j = k
                else:
                    break
            else:
                break
        return j

    def _given_name_syllable(self, doc, k) -> bool:
        """Token k, lower case after a hyphen, ends a person's name: inside the model's person, or short
        and not an English word that follows names ("Putin-era")."""
        if k >= len(doc) or not doc[k].is_alpha or not doc[k].text.islower() or doc[k].whitespace_ == "" \
                and k + 1 < len(doc) and doc[k + 1].is_alpha:
            return False
        if doc[k].ent_type_ == "PERSON" and doc[k].ent_iob_ == "I":
            return True
        return doc[k - 2].ent_type_ == "PERSON" and len(doc[k]) <= 4 and doc[k].lower_ not in self.lex.hyphen_suffixes

    def _inner_word_end(self, doc, j, blocked) -> int:
        """Where a name goes on past a small word inside it at token j: a possessive after a people's
        noun, a plural's apostrophe, a capitalised small word, name particles. The next index, or 0."""
        tok, n = doc[j], len(doc)
        follows = j + 1 < n and is_name_token(doc[j + 1])
        if tok.text in ("’s", "'s") and doc[j - 1].lower_ in self.lex.possessive_name_words and follows \
                and not doc[j + 1].is_sent_start:
            return j + 1    # "Children's Rights Alliance": a people's noun owns no name, it starts one
        if tok.text in ("'", "’") and doc[j - 1].text.endswith("s") and follows and not doc[j - 1].whitespace_:
            return j + 1    # "Farmers' Union"
        if tok.is_stop and tok.text[:1].isupper() and tok.is_alpha and not tok.is_sent_start and follows \
                and j + 1 not in blocked and doc[j + 1].is_alpha:
            return j + 2    # "Action Against Hunger", "Doctors Without Borders": a capitalised small word inside
        if tok.text.islower() and tok.lower_ in self.lex.name_particles:
            return self._particles_end(doc, j)      # "Khalid al-Mansouri", "Hendrik van der Bijl"
        return 0

    def _particles_end(self, doc, j) -> int:
        """After name particles starting at token j ("van der", "al-"), the capitalised word that
        continues the name: its index, or 0."""
        k = j
        while k < len(doc) and (doc[k].text.islower() and doc[k].lower_ in self.lex.name_particles
                                or _glued(doc, k) and k > j):
            k += 1
        if k < len(doc) and is_name_token(doc[k]) and not doc[k].is_sent_start and not self.lex.title(doc[k].text):
            return k
        return 0

    def _listed_portfolio(self, doc, i, j) -> int:
        """"Department of Science, Technology and Innovation": after "HEAD of A", a list of capitalised
        words closed by "and"/"&" continues the name; the end of the list, or 0."""
        so_far = doc[i:j]
        if not any(t.lower_ in ("of", "for", "on") for t in so_far) or not self._syntactic_head(so_far):
            return 0        # ("Committee on Land, Environment and Natural Resources" too)
        k = j
        while k < len(doc) and doc[k].text == ",":
            m = k + 1
            while m < len(doc) and is_name_token(doc[m]) and not doc[m].is_sent_start and not self.lex.known(doc[m].text):
                m += 1
            if m == k + 1:
                return 0
            k = m
            if k < len(doc) and doc[k].lower_ in ("and", "&"):
                m = k + 1
                while m < len(doc) and is_name_token(doc[m]) and not doc[m].is_sent_start:
                    m += 1
                return m if m > k + 1 else 0
        return 0

    def _may_join(self, doc, i, j) -> bool:
        """May the name doc[i:j] continue across the connector doc[j]?"""
        so_far = doc[i:j]
        if all(self.lex.title(t.text) for t in so_far) or self.title_length(doc, i) == j - i:
            return False      # "President of …", "Secretary General of …": a title, not a name
        word = doc[j].lower_
        if word in ("of", "for", "on", "de", "des", "du"):
            k = j + 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "the")
            if word == "of" and k + 1 < len(doc) and self.lex.head_type(doc[k].text) == "Document" \
                    and doc[k + 1].lower_ in ("on", "of", "for", "to"):
                return False    # "adoption by the Council of the Regulation on …": a body, then a text
            return self.has_head(so_far) or self._known_across(doc, i, j)
        if word in ("and", "&"):
            if any(doc[k].lower_ in ("of", "for", "on") for k in range(i, j)) and self.has_head(so_far) \
                    and not (j + 1 < len(doc) and (is_acronym(doc[j + 1].text) or self.lex.known(doc[j + 1].text))):
                return True   # inside the complement: "Congress of Leaders of World and Traditional …"
                # (not "the Government of Rwanda and WHO": a second name)
            k = j + 1
            while k < len(doc) and is_name_token(doc[k]):
                k += 1
            right = doc[j + 1:k]
            if not len(right) or not self.lex.head_type(right[-1].text) or self.has_head(so_far):
                return False
            # "Security and Cooperation Forum"; but never join two known names ("Malaysia and …")
            return not self.lex.known(so_far.text) and not self.lex.known(right.text)
        return False

    # ---------------------------------------------------------------- repair
    def _titles_across(self, doc, spans: list[NameSpan]) -> dict[int, int]:
        """Span start → where a title that began before the span ends inside it: "Minister of Industry and
        Trade Tran Quoc Hieu" is cut at "of" and "and" into chunks, the last of which starts with "Trade"."""
        starts = {s.start for s in spans}
        table, cut = tokens(doc), {}
        for i, word in enumerate(table.lower):
            if word not in self.lex.title_reach:
                continue
            found = title_match(doc, i, self.lex)
            if found and found[0] >= 3:
                end = i + found[0]
                while end < len(doc) and doc[end].lower_ in ("for", "of", "the"):
                    end += 1        # "Head of Delegation" + "for Nepal": the name after is Nepal's
                for k in range(i + 1, i + found[0]):
                    if k in starts:
                        cut[k] = end
        return cut

    def split_leading_titles(self, doc, spans: list[NameSpan]) -> list[NameSpan]:
        out = []
        across = self._titles_across(doc, spans)
        for span in spans:
            start = span.start
            if start in across:
                if across[start] >= span.end:
                    continue        # "Industry" in "Minister of Industry and Trade": a word of the title
                start = across[start]
            if span.end - start > 2 and len(doc[start].text) == 1 and doc[start].text.isupper() \
                    and doc[start + 1].text == "-" and start > 0 and doc[start - 1].text in (",", "("):
                start += 2      # "Sen. Peter Langford (D-Silver City)": a party's letter, then the home town
            head = self._syntactic_head(doc[start:span.end])
            named_after = head is not None and (self._place_head_at(doc, head.i) or head.i > start + self.title_length(
                doc, start) and self._named_after_head_at(doc, head.i))     # (not "General Assembly": no name between)
            while start < span.end and not named_after:
                # (but "King Street", "Captain William Spry Community Centre": a place named after someone)
                n = self.title_length(doc, start)
                if n and start + n < span.end:
                    start += n
                    continue
                break
            start = self._after_inner_title(doc, start, span.end, out)
            start = self._after_running_title(doc, start, span.end)
            end = self._before_trailing_title(doc, start, span.end)
            if end < span.end:       # "an ANC MP", "Labour MPs": the owner of a title, no person
                out.append(NameSpan(start, end, doc[start:end].text))
                continue
            owner_end = self._owner_before_person(doc, start, span.end)
            if owner_end:
                out.append(NameSpan(start, owner_end, doc[start:owner_end].text))
                out.append(NameSpan(owner_end, span.end, doc[owner_end:span.end].text, kind="Person",
                                    method="owner-then-person"))
                continue
            if start < span.end - 1 and is_acronym(doc[start].text) and not self.lex.known(doc[start:span.end].text) \
                    and doc[start].text not in self.lex.company_prefixes:
                rest = doc[start + 1:span.end]
                # "KenIPP Grace Wanjiru": an acronym glued in front of a person's name
                if all(t.text[:1].isupper() and t.text[1:].islower() for t in rest if t.is_alpha) \
                        and not self.has_head(rest) and len(rest) >= 2 \
                        and any(t.ent_type_ == "PERSON" for t in rest):
                    out.append(NameSpan(start, start + 1, doc[start].text))
                    start += 1
            end = span.end
            while end - start > 1 and doc[end - 1].lower_ in CONNECTORS | PHOTO_WORDS:
                end -= 1    # "AP Photo/…": the agency; "the Office of" cut off by a line: no "of" at the end
            if start < end:
                out.append(NameSpan(start, end, doc[start:end].text))
        return out

    def _after_inner_title(self, doc, start: int, end: int, out: list[NameSpan]) -> int:
        """"Moldovan Prime Minister Andrei Rusu", "Nordvik Energy Chief Executive Ingrid Dahl": what precedes an
        inner title is its owner (added to ``out``), what follows is the person (where it starts is returned)."""
        if self.lex.known(doc[start:end].text):
            return start
        for p in range(start + 1, end - 1):
            n = self.title_length(doc, p)
            if n and p + n < end and not self.lex.head_type(doc[p + n].text) and doc[p + n].pos_ == "PROPN":
                owner = doc[start:p]
                if not (len(owner) == 1 and self.lex.country_of_adjective(owner.text)):
                    out.append(NameSpan(start, p, owner.text))
                start = p + n
                # "CBK Governor Dr. Samuel Kiprono": more titles may follow the inner one
                while start < end - 1 and self.title_length(doc, start) and start + self.title_length(doc, start) < end:
                    start += self.title_length(doc, start)
                break
        return start

    def _after_running_title(self, doc, start: int, end: int) -> int:
        """"Minister of Foreign Affairs Carolina Fuentes" chunked from "Foreign": a title that starts
        before the span and runs into it ends where the name begins."""
        for k in range(max(0, start - 3), start):
            found = title_match(doc, k, self.lex)
            if found and start < k + found[0] < end and doc[start - 1].lower_ in ("of", "for", "the", "and"):
                return k + found[0]
        return start

    def _before_trailing_title(self, doc, start: int, end: int) -> int:
        """Where a span ending in an office title ("ANC MP", "Labour MPs") ends without it."""
        if end - start < 2 or self.lex.known(doc[start:end].text):
            return end
        for p in range(start + 1, end):
            last = doc[end - 1].text
            words = doc[p:end].text
            for text in (words, words[:-1] if last.endswith("s") and last[:-1].isupper() else None):
                found = text and self.lex.title(text)
                if found and found[1] == "office":
                    return p
        return end

    def _owner_before_person(self, doc, start: int, end: int) -> int:
        """"President of Mongolia Enkhbold Tumurbaatar", "Speaker of the National Assembly Mapula
        Thobejane": after "TITLE of [the]", a known name or a name ending in a head word, then a
        person's name of two words or one initialled word ("D.Enkhbold"). Where the owner ends, or 0."""
        k = start - (start > 0 and doc[start - 1].lower_ == "the")
        if end - start < 2 or k < 2 or doc[k - 1].lower_ not in ("of", "for", "to"):
            return 0
        after_title = any(title_match(doc, t, self.lex) and t + title_match(doc, t, self.lex)[0] == k - 1
                          for t in range(max(0, k - 1 - self.lex.max_title_words - 8), k - 1))
        # (a title's portfolio may add words: "Minister for Foreign Trade and Development of"); else "… of
        # the State Great Khural of Mongolia Dashdorj Ganbold", "Ambassador to Indonesia Zhao Liming": a
        # known country or place, then the person
        for cut in range(end - 1, start, -1):
            owner, person = doc[start:cut], doc[cut:end]
            initialled = len(person) == 1 and INITIALLED_RE.match(person.text)
            if not (len(person) in (2, 3) or initialled):
                continue
            if self.has_head(person) or any(self.lex.known(t.text) for t in person) \
                    or not all(t.text[:1].isupper() or t.text in ("-", ".") for t in person):
                continue
            known = self.lex.known(owner.text)
            if not after_title:
                if known and known.kind in ("Country", "Place") and all(t.ent_type_ == "PERSON" for t in person) \
                        and doc[k - 2].lower_ != "according":
                    return cut
                continue
            if known or self.lex.head_type(owner[-1].text) or is_acronym(owner.text) \
                    or self.has_head(owner) and all(t.ent_type_ == "PERSON" for t in person):
                return cut
        return 0

    def attach_acronyms(self, doc, spans: list[NameSpan]) -> None:
        """"LONG NAME (ABBR)": extend the long name back over "in X" to fit ABBR, record ABBR."""
        by_end = {s.end: s for s in spans}
        for span in list(spans):
            if span.end + 2 < len(doc) + 1 and span.end + 1 < len(doc) and doc[span.end].text == "(":
                abbr = doc[span.end + 1].text
                if not is_acronym(abbr) or span.end + 2 >= len(doc) or doc[span.end + 2].text != ")":
                    continue
                letters = [c for c in abbr if c.isupper()]
                best = span
                # try to join with the name before "in"/"of": "… Measures" + "in" + "Asia"
                prev = by_end.get(span.start - 1)
                if prev and doc[span.start - 1].lower_ in ("in", "of", "for", "on") \
                        and not _fits(letters, span, doc) and _fits(letters, NameSpan(prev.start, span.end, ""), doc):
                    spans.remove(prev)
                    best = NameSpan(prev.start, span.end, doc[prev.start:span.end].text)
                    spans[spans.index(span)] = best
                touching = by_end.get(span.start)
                if touching and touching in spans and doc[touching.end - 1].whitespace_ and not _fits(letters, span, doc) \
                        and _fits(letters, NameSpan(touching.start, span.end, ""), doc):
                    # "Local Government" + "New Zealand" (LGNZ): one name the gazetteer's country cut in two
                    spans.remove(touching)
                    best = NameSpan(touching.start, span.end, doc[touching.start:span.end].text)
                    spans[spans.index(span)] = best
                if _fits(letters, best, doc) or (best.end - best.start >= 2 and abbr.isupper() and len(abbr) <= 6
                                                 and self.has_head(doc[best.start:best.end])):
                    best.acronym = abbr

    def join_known(self, doc, spans: list[NameSpan], long_names: set[str]) -> list[NameSpan]:
        """"Conference on … Measures" + "in" + "Asia" when that whole is a known or defined name."""
        out: list[NameSpan] = []
        for span in spans:
            prev = out[-1] if out else None
            if prev and prev.end + 1 == span.start and doc[prev.end].lower_ in ("in", "of", "for") \
                    and not prev.acronym:
                joined = doc[prev.start:span.end].text
                if self.lex.known(joined) or norm(joined) in long_names:
                    out[-1] = NameSpan(prev.start, span.end, joined, acronym=span.acronym)
                    continue
            out.append(span)
        return out

    # ---------------------------------------------------------------- typing
    def type_span(self, doc, span: NameSpan, acronyms: dict[str, NameSpan]) -> None:
        """Give ``span`` a kind by the first typing rule of TYPING_RULES that decides."""
        if span.method in ("edition", "owner-then-person"):
            self.kind_ending[span.end] = span.kind
            return
        tokens = doc[span.start:span.end]
        for _name, typing_rule in TYPING_RULES:
            decision = typing_rule(self, doc, span, tokens, acronyms)
            if decision is None:
                continue
            if decision is UNTYPED:
                span.untyped = True
            elif decision is not NO_LABEL:
                span.kind, span.method = decision.kind, decision.method
                if decision.label is not None:
                    span.label = decision.label
            self.kind_ending[span.end] = span.kind
            return

    # ---------------------------------------------------------------- typing rules
    # Each returns a Typed decision, UNTYPED (a decision: the span names nothing) or None (no say).
    def _not_a_name(self, doc, span, tokens, acronyms):
        lex, text = self.lex, tokens.text
        if norm(text) in lex.stop_names or lex.title(text) or text in lex.currency_codes or lex.amount.match(text):
            return UNTYPED    # "NOK 2.1 billion": a currency code is a unit; "KSh2.10" an amount
        if span.end < len(doc) and doc[span.end].lower_ in ("dollar", "dollars") and lex.known(text):
            return UNTYPED    # "U.S. dollars", "Australian dollar": a currency, not the country
        if len(tokens) == 1 and lex.head_type(text) and not is_acronym(text) and not (
                tokens[0].lower_ in lex.lone_institutions and not tokens[0].is_sent_start):
            return UNTYPED    # "Summit", "the Congress", "this Programme": a lone head word refers, it does not name
        if len(tokens) == 3 and tokens[1].text in ("-", "‐", "–") and all(
                lex.known(t.text) and lex.known(t.text).kind == "Country" for t in (tokens[0], tokens[2])):
            return UNTYPED    # "the Mongolia–Finland friendship group": two countries, no name of its own
        if len(tokens) == 1 and span.end + 1 < len(doc) and doc[span.end].like_num and doc[span.end].whitespace_ \
                and tokens[0].text.istitle() and not lex.known(text) and doc[span.end + 1].text[:1].isupper() \
                and title_match(doc, span.end + 1, lex):
            return UNTYPED    # "Ward 6 Coun. Anita Kowalczyk": a numbered ward before a title, no one's name
        if len(tokens) == 1 and _in_ticker(doc, span.start):
            return UNTYPED    # "(OSE: NLA)": an exchange and a share's code, not a mention of a body
        return None

    def _gazetteer(self, doc, span, tokens, acronyms):
        if tokens.text in acronyms and acronyms[tokens.text] is not span:
            return None       # "Indian Oil Corporation (IOC) … IOC said": the article's own acronym wins
        known = self.lex.known(tokens.text)
        if known:
            return Typed(known.kind, "gazetteer", known.label)
        for k in range(1, len(tokens)):
            # "UNICEF Bangladesh", "WFP Sudan": a known body's office in a known country is a body
            body, country = self.lex.known(tokens[:k].text), self.lex.known(tokens[k:].text)
            if body and country and body.kind == "Organisation" and country.kind == "Country":
                return Typed("Organisation", "gazetteer")
        return None

    def _acronym(self, doc, span, tokens, acronyms):
        long = acronyms.get(tokens.text)
        if long is not None and long is not span:
            return Typed(long.kind, "acronym", long.label or long.text)
        return None

    def _demonym(self, doc, span, tokens, acronyms):
        if len(tokens) == 1 and self.lex.country_of_adjective(tokens.text):
            return UNTYPED    # "Kenyan", "Malaysian": an adjective, not a name
        return None

    def _head_word(self, doc, span, tokens, acronyms):
        if len(tokens) >= 2 and (tokens.text.split()[-1] in self.lex.company_suffixes
                                 or tokens[0].text in self.lex.company_prefixes):
            return Typed("Organisation", "head-word")    # "Nordvik Seafood ASA", "PT Kereta Api Indonesia"
        if self._event_prefix(tokens):
            return Typed("Event", "head-word")           # "Cyclone Ilona", "Tropical Cyclone Ilaria"
        head = self._syntactic_head(tokens)
        if head is None:
            return None
        if head.i > span.start and norm(f"{doc[head.i - 1].text} {head.text}") in self.lex.heads:
            # "Convention Centre" is a venue, a "Centre" alone a body; "National Park" a place, "Park"
            # alone too ambiguous to be a head
            head = doc[head.i - 1:head.i + 1]
        elif norm(head.text) not in self.lex.heads:
            return UNTYPED    # a plural head ("five IGAD General Assemblies"): occurrences, not one entity
        # "(WRC-23)", "(COP28)": an acronym with a year names one edition, so the name stays an event
        standing = bool(span.acronym) and not EDITION_ACRONYM_RE.match(span.acronym)
        kind = self.lex.head_type(head.text, with_acronym=standing)
        if kind == "Event" and self._described_as_body(doc, span):
            kind = "Organisation"   # "the Passengers' Forum, a Brussels-based umbrella of 34 associations"
        if kind == "Organisation" and head.text.lower() in VENUE_HEADS and head.i == span.end - 1 \
                and self._where_something_is(doc, span.start):
            kind = "Place"          # "held at the India Habitat Centre": a centre one is at is a building
        return Typed(kind, "head-word")

    def _where_something_is(self, doc, start: int) -> bool:
        """Does a preposition of place stand before the name ("at the …", "in the …")?"""
        k = start - 1 - (start > 0 and doc[start - 1].lower_ == "the")
        return k >= 0 and doc[k].lower_ in ("at", "in", "inside", "outside", "near")

    def _described_as_body(self, doc, span) -> bool:
        """Does an appositive after the name describe a body ("X, a Brussels-based umbrella of …", "X, which
        has about 3,200 members", "X, an association of …")?"""
        j = span.end
        if j + 2 < len(doc) and doc[j].text == "(":
            j = next((k + 1 for k in range(j, min(len(doc), j + 6)) if doc[k].text == ")"), j)
        if j + 2 >= len(doc) or doc[j].text != ",":
            return False
        rest = self.text_of(doc)[doc[j].idx:doc[j].idx + 80]
        return bool(BODY_APPOSITIVE.match(rest)) or bool(re.match(r",\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,3}?(?:"
                                                                  + "|".join(map(re.escape, sorted(self.lex.org_nouns)))
                                                                  + r")\b", rest))

    def _based_in(self, doc, span, tokens, acronyms):
        if span.start >= 2 and doc[span.start - 1].lower_ in ("based", "headquartered") \
                and doc[span.start - 2].text in ("-", "‐"):
            return Typed("Organisation", "based-in")     # "the Copenhagen-based Nordhavn Line"
        return None

    def _constituency(self, doc, span, tokens, acronyms):
        lex = self.lex
        if span.start >= 2 and doc[span.start - 1].lower_ == "for" and not lex.known(tokens.text) \
                and not self.has_head(tokens):
            for k in range(max(0, span.start - 5), span.start - 1):
                found = title_match(doc, k, lex)
                if found and k + found[0] == span.start - 1 and (
                        doc[k:k + found[0]].text.lower() in lex.constituency_titles
                        or found[1].lower() in lex.constituency_titles):
                    return Typed("Place", "constituency")    # "the MP for Stroud": a constituency
        return None

    def _title_owner(self, doc, span, tokens, acronyms):
        lex = self.lex
        if all(t.lower_ in lex.portfolios or t.lower_ in ("and", "&", ",") for t in tokens):
            k = span.end
            while k < len(doc) and (doc[k].lower_ in ("and", ",", "&") or doc[k].lower_ in lex.portfolios
                                    and doc[k].text[:1].isupper()):
                k += 1
            found = title_match(doc, k, lex) if k < len(doc) else None
            if found and found[2] == "office" and _government_title(found[1]):
                return UNTYPED    # "Public Works Minister X", "Marine Affairs and Fisheries Minister X": portfolios
        if span.start >= 2 and doc[span.start - 1].lower_ in ("for", "at") and not lex.known(tokens.text) \
                and any(title_match(doc, k, lex) and k + title_match(doc, k, lex)[0] == span.start - 1
                        for k in range(max(0, span.start - 6), span.start - 1)):
            return Typed("Organisation", "title-owner")   # "a spokesperson for Nordhavn Line"
        found = title_match(doc, span.end, lex) if span.end < len(doc) and self._may_own_title(tokens) else None
        after = span.end + found[0] if found else 0
        if found and found[2] == "office" and after < len(doc) and is_name_token(doc[after]) \
                and "\n" not in doc[after - 1].whitespace_ and not lex.title(doc[after].text):
            # "IPU Secretary General Martin Chungong", "Labour MP Rachel Osei": the body that owns the post;
            # "Tiruchi Collector M. Pradeep Kumar", "Kingston Mayor X": a town's post is the town's
            return Typed("Place" if found[1] in lex.place_roles else "Organisation", "title-owner")
        return None

    def _may_own_title(self, tokens) -> bool:
        """A name that can own the title after it on the same line: not a title word or a modifier of
        the title ("Electoral Commissioner", "Opposition Leader", "ACCC Deputy Chair")."""
        last = tokens[-1]
        if self.lex.title(tokens.text) or self.lex.title(last.text) or last.lower_ in TITLE_MODIFIERS \
                or "\n" in last.whitespace_ or last.i + 1 < len(last.doc) and last.doc[last.i + 1].is_space:
            return False        # "The Hon Daniel Okafor MP" + a new line + "Minister for Trade": a signature
        return not (len(tokens) == 1 and not is_acronym(last.text) and last.pos_ == "ADJ")

    def _place_list(self, doc, span, tokens, acronyms):
        if self._in_place_list(doc, span) or self._listed_with_places(doc, span):
            return Typed("Place", "place-list")
        return None

    def _place_context(self, doc, span, tokens, acronyms):
        """"in Jaffna", "at Ras Laffan", "Kurigram district", "in Kandy, Jaffna and Batticaloa",
        "Kourou, French Guiana": the words around an unknown name say it is a place."""
        lex = self.lex
        if span.end - span.start > 4 or self.has_head(tokens) or is_acronym(tokens.text) or lex.known(tokens.text):
            return None
        if tokens[0].lower_ in DATE_WORDS:
            return None     # "in May", "by Oct": a date, not a place
        ents = {t.ent_type_ for t in tokens if t.ent_type_}
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.text.islower() and nxt.lower_ in lex.place_kinds and (
                "ORG" not in ents or span.start >= 2 and doc[span.start - 1].text in ("'s", "’s")
                and self.kind_ending.get(span.start - 1) == "Country"):
            return Typed("Place", "place-context")      # ("Mongolia's Bayan-Ölgii province" too)
        if span.start >= 2 and doc[span.start - 1].lower_ == "for" and doc[span.start - 2].lower_ == "member":
            return Typed("Place", "place-context")      # "the Labor member for Mundingburra": a seat
        if nxt is not None and nxt.text in ("’s", "'s", "(") or "ORG" in ents and len(tokens.text.split()) > 1:
            return None     # (one word, "Bayan-Ölgii", may be a place the model took for a body)
        if nxt is not None and nxt.lower_ in ("and", ",") and self._kind_after_list(doc, span.end + 1):
            return Typed("Place", "place-context")      # "Chikwawa and Nsanje districts"
        prev = doc[span.start - 1] if span.start else None
        if prev is None:
            return None
        if prev.lower_ == "of" and span.start >= 2 and doc[span.start - 2].lower_ in lex.place_nouns:
            return Typed("Place", "place-context")      # "the outer islands of Brava and Maio"
        if prev.lower_ in LOCATIVE and not (prev.lower_ == "at" and "ORG" in ents) \
                and not (nxt is not None and nxt.lower_ in lex.speech_verbs):
            return Typed("Place", "place-context")
        before = self.kind_ending.get(span.start - 1)
        if nxt is not None and nxt.lower_ == "of" and span.end + 1 < len(doc) and (
                doc[span.end + 1].lower_ == "the" or self.lex.known(doc[span.end + 1].text)):
            return None     # "judges X of Latvia and Pieter van Oosten of the Netherlands": a person from a country
        if before in ("Place", "Country") and prev.lower_ in ("and", "or", ","):
            after = nxt.lower_ if nxt is not None else "."
            if prev.lower_ != "," or after in ("and", "or", ",", ".", ";", ")") and "PERSON" not in ents \
                    or after in ("and", "or"):
                return Typed("Place", "place-context")
        return None

    def _after_contact_title(self, doc, comma: int) -> bool:
        """Does a title set off by commas after a person's name end at the comma ("Sofie Brandt, Head of
        Communications," + the body of a contact line)?"""
        for start in range(max(2, comma - self.lex.max_title_words - 4), comma):
            found = title_match(doc, start, self.lex)
            if found and found[2] == "office" and start + found[0] == comma and doc[start - 1].text == "," \
                    and doc[start - 2].ent_type_ == "PERSON":
                return True
        return False

    def _kind_after_list(self, doc, k: int) -> bool:
        """Does a capitalised name start at token k and a place's kind in lower case follow it ("… and Nsanje
        districts")?"""
        j = k
        while j < len(doc) and j - k < 4 and is_name_token(doc[j]):
            j += 1
        return k < j < len(doc) and doc[j].text.islower() and doc[j].lower_ in self.lex.place_kinds

    def _team(self, doc, span, tokens, acronyms):
        """"West Indies Women", "Hanoi FC": a place's name and a team word; "Nemunas Kaunas beat hosts Baltija
        Klaipeda": two words ending in a known town or country beside a word of a match (data/lexicon/team_words.txt,
        match_verbs.txt) name a club, not a person."""
        words = tokens.text.split()
        place = self.lex.known(" ".join(words[:-1])) if len(words) >= 2 else None
        if place and place.kind in ("Country", "Place") and words[-1] in load_cased_words("team_words.txt"):
            return Typed("Organisation", "team")
        last = self.lex.known(words[-1]) if len(words) == 2 else None
        town = (last and last.kind in ("Country", "Place")) or len(words) == 2 and norm(words[-1]) in self.lex.cities
        if not town or self.lex.known(tokens.text):
            return None
        verbs = load_words("match_verbs.txt")
        near = [doc[k].lower_ for k in (span.start - 1, span.start - 2, span.end) if 0 <= k < len(doc)]
        return Typed("Organisation", "team") if any(w in verbs for w in near) else None

    def _org_context(self, doc, span, tokens, acronyms):
        """"consumer group CHOICE", "Rain, a data-only operator,", "Severn Vale Water said it …", "X's
        shareholders": the words around an unknown name say it is a body (data/lexicon/org_nouns.txt,
        corporate_words.txt), which the model and "X said" would otherwise make a person."""
        lex = self.lex
        if span.end - span.start > 5 or lex.known(tokens.text) or self.has_head(tokens) or len(tokens.text) < 3:
            return None
        prev = doc[span.start - 1] if span.start else None
        if prev is not None and prev.text.islower() and prev.lower_ in lex.org_nouns \
                and prev.lower_ not in ("body", "entity", "entities", "group"):
            return Typed("Organisation", "org-context")          # "telecoms operator Rain"
        if prev is not None and prev.text == "," and self._after_contact_title(doc, span.start - 1):
            return Typed("Organisation", "org-context")  # "Media: Sofie Brandt, Head of Communications, Nordhavn"
        if prev is not None and prev.lower_ == "by" and span.start > 1 and doc[span.start - 2].lower_ in (
                "organised", "organized", "co-organised", "co-organized", "sponsored", "funded") \
                and not self._titled(doc, span.start):
            return Typed("Organisation", "org-context")  # "the forum, organised by Riverton Invest"
        if prev is not None and prev.lower_ == "group" and span.start > 1 and doc[span.start - 2].is_alpha \
                and (doc[span.start - 2].text.islower() or doc[span.start - 2].is_sent_start):
            return Typed("Organisation", "org-context")          # "consumer group CHOICE"
        j = span.end
        if j + 1 < len(doc) and doc[j].text == ",":
            k = j + 1
            if doc[k].lower_ in ("a", "an", "the"):
                k += 1
                while k < min(len(doc), j + 7) and doc[k].text.islower() \
                        and doc[k].pos_ in ("ADJ", "NOUN", "PUNCT", "ADV", "VERB") and doc[k].lower_ not in lex.org_nouns:
                    k += 1
                # ("X, the association's chief executive": a body's possessive describes a person's post)
                if k < len(doc) and doc[k].lower_ in lex.org_nouns and doc[k].text.islower() \
                        and not (k + 1 < len(doc) and doc[k + 1].lower_ in ("of", "for", "at", "'s", "’s")):
                    return Typed("Organisation", "org-context")  # "Rain, a data-only operator,"
        if j + 1 < len(doc) and doc[j].text in ("’s", "'s") and doc[j + 1].lower_ in lex.corporate_words:
            return Typed("Organisation", "org-context")          # "Fjordline's shareholders"
        if j + 2 < len(doc) and doc[j].lower_ in lex.speech_verbs and doc[j + 1].lower_ in ("it", "its") \
                and doc[j + 1].dep_ in ("nsubj", "poss", "nsubjpass") and not self._titled(doc, span.start):
            return Typed("Organisation", "org-context")          # "Severn Vale Water said it was investing"
            # (not "Councillor Peter Lindqvist said it was unfair": a title before the name says a person)
        return None

    def _city(self, doc, span, tokens, acronyms):
        after_place_word = span.start > 0 and doc[span.start - 1].lower_ in LOCATIVE
        if norm(tokens.text) in self.lex.cities and not is_acronym(tokens.text) and (after_place_word or not (
                span.end < len(doc) and doc[span.end].lower_ in self.lex.speech_verbs)):
            return Typed("Place", "city")       # "Cairns", "Taguig": a town of the GeoNames table
        return None

    def _title_context(self, doc, span, tokens, acronyms):
        return Typed("Person", "title-context") if self._person_context(doc, span) else None

    def _spacy_label(self, doc, span, tokens, acronyms):
        lex, text = self.lex, tokens.text
        ents = {t.ent_type_ for t in tokens if t.ent_type_}
        label = next((SPACY_TYPES[e] for e in ("PERSON", "ORG", "GPE", "LOC", "EVENT", "LAW") if e in ents), None)
        if label is None:
            return NO_LABEL
        if len(tokens) == 1 and (tokens[0].pos_ != "PROPN" or lex.head_type(text)) and not is_acronym(text):
            return UNTYPED    # a lone common word the model tagged ("Programme", "Future")
        if _in_short_quote(self.text_of(doc), doc[span.start].idx):
            return UNTYPED    # "Agenda for the Future": words of a title or theme, not a name
        if label == "Organisation" and len(tokens) == 1 and span.start > 0 and doc[span.start - 1].lower_ in (
                "in", "near") and not is_acronym(text):
            label = "Place"     # "run-offs in Cork": a town the model took for an organisation
        if label == "Person" and (span.acronym or len(tokens) >= 3) and (known := lex.known(tokens[0].text)) \
                and known.kind == "Country":
            label = "Organisation"      # "Freedonia Temir Zholy (FTZ)": a body; ("Jordan Whyte" may be a person)
        return Typed(label, "ner")

    def _listed_with_places(self, doc, span: NameSpan) -> bool:
        """"in Dublin, Galway and Cork": an unknown name listed with known places is a place."""
        if span.end - span.start != 1 or span.start < 2 or doc[span.start - 1].lower_ not in ("and", "or") \
                or span.end < len(doc) and doc[span.end].text in ("’s", "'s"):
            return False
        k, places = span.start - 1, 0
        while k > 0 and doc[k].lower_ in ("and", ",", "or"):
            known = self.lex.known(doc[k - 1].text)
            if not (known and known.kind in ("Place", "Country") or doc[k - 1].ent_type_ in ("GPE", "LOC")):
                break
            places += 1
            k -= 2
        return places >= 1 and k >= 0 and doc[k].lower_ in ("in", "to", "from", "and", ",", "across", "near")

    def _in_place_list(self, doc, span: NameSpan) -> bool:
        """"in 19 towns, including Balti and Cahul": names listed after a plural place noun."""
        k = span.start - 1
        for _ in range(12):
            if k < 1:
                return False
            word = doc[k].lower_
            if word in ("including", "like", "as"):
                if word == "as" and doc[k - 1].lower_ != "such":
                    return False
                j = k - (2 if word == "as" else 1)
                while j >= 0 and doc[j].text in (",", "—", "–"):
                    j -= 1
                return j >= 0 and doc[j].lower_ in self.lex.place_nouns
            if not (doc[k].text in (",", "and") or doc[k].text[:1].isupper()):
                return False
            k -= 1
        return False

    def _event_prefix(self, tokens) -> bool:
        """Does the name start with a word or two that make it an event (data/lexicon/event_prefixes.txt)?"""
        words = [t.lower_ for t in tokens[:3]]
        return tokens[0].text[:1].isupper() and tokens[-1].text[:1].isupper() and any(
            " ".join(words[:n]) in self.lex.event_prefixes and len(tokens) > n for n in (1, 2))

    def _syntactic_head(self, tokens):
        """The head word that types a name: the last one before an of/for/on complement."""
        head = None
        for t in tokens:
            if t.lower_ in ("of", "for", "on") and head is not None:
                return head
            if t.text[:1].isupper() and (self.lex.head_type(t.text) or t.i > tokens.start and
                                         self.lex.head_type(f"{t.nbor(-1).text} {t.text}")):
                head = t        # a two-word head too: "National Park", whose "Park" alone is none
        if head is not None and head.i == tokens.start and len(tokens) == 2 \
                and all(t.ent_type_ == "PERSON" for t in tokens):
            return None         # "Bill Duchesne": a given name that is also a head word
        return head

    def _titled(self, doc, i: int) -> bool:
        """Does a title end right before token ``i`` ("Councillor X", "Cr X")?"""
        return any((found := title_match(doc, start, self.lex)) and start + found[0] == i
                   for start in range(max(0, i - self.lex.max_title_words), i))

    def _person_context(self, doc, span: NameSpan) -> bool:
        i = span.start
        # "President X", "Dr X", "director of KenIPP X", "… Minister of State Administration, X,"
        k = i - 1 if i > 0 and doc[i - 1].text == "," else i
        for start in range(max(0, k - self.lex.max_title_words - 8), k):
            found = title_match(doc, start, self.lex)
            if found and start + found[0] == k and (k == i or found[2] == "office" and not (
                    span.end - span.start == 1 and is_acronym(doc[i].text))):
                return span.end - span.start <= 4
            if found and found[2] == "office" and k < i and self._body_named_to(doc, start + found[0], k):
                return 2 <= span.end - span.start <= 4      # "the Chair of the Committee, Karin Lindqvist"
            # ("Eimear Walsh, Communications Officer, AHPU": after a title and a comma an acronym is the body)
        # "X, the Secretary General of …", "X, Kenya's Deputy Prime Minister"
        j = span.end
        if j < len(doc) and doc[j].text == ",":
            k = j + 1
            while k < len(doc) and k < j + 5 and (doc[k].lower_ in ("the", "a", "its", "his", "her", "’s", "'s")
                                                   or doc[k].text[:1].isupper() and not self.title_length(doc, k)
                                                   or doc[k].text.islower() and k + 1 < len(doc)
                                                   and doc[k + 1].text in ("’s", "'s")):
                k += 1      # ("X, the forum's secretary general": a body's noun and its possessive too)
            if k < len(doc) and self.title_length(doc, k):
                return True
        # "had appointed Petrus Nghifindaka as chief executive officer": chosen for a post
        if i >= 1 and doc[i - 1].lower_ in ("appointed", "named", "elected", "nominated", "re-elected") \
                and j + 1 < len(doc) and doc[j].lower_ == "as" and self.title_length(doc, j + 1 + (doc[j + 1].lower_ in (
                    "the", "its", "new"))):
            return span.end - span.start <= 4
        # "Krenn's lawyer, Georg Imhoff,", "her co-author, X": a noun for a person just before the comma;
        # "X, the bank's chief executive designate," / "X, a lawyer for …" after it
        if i >= 2 and doc[i - 1].text == "," and doc[i - 2].lower_ in self.lex.person_nouns \
                and span.end - span.start <= 4:
            return True
        if i >= 2 and doc[i - 1].text.islower() and doc[i - 1].lower_ in self.lex.person_nouns \
                and doc[i - 2].lower_ in ("his", "her", "their", "its") | self.lex.demonyms.keys() \
                and 2 <= span.end - span.start <= 4:
            return True     # "his Mongolian counterpart Enkhjargal Tserendorj"
        if j + 1 < len(doc) and doc[j].text == ",":
            k = j + 1
            while k < min(len(doc), j + 6) and (doc[k].lower_ in ("the", "a", "an", "his", "her", "its", "’s", "'s")
                                                or doc[k].text.islower() and doc[k].pos_ in ("NOUN", "ADJ", "PROPN")):
                if doc[k].lower_ in self.lex.person_nouns:
                    return span.end - span.start <= 4
                k += 1
        if self._party_after(doc, span):
            return True
        # "X said", "X told"
        if j < len(doc) and doc[j].lower_ in self.lex.speech_verbs and span.end - span.start >= 2:
            return all(t.text[:1].isupper() for t in doc[span.start:span.end])
        return self._described_or_credited(doc, span)

    def _party_after(self, doc, span: NameSpan) -> bool:
        """"Karin Lindqvist (Moderate Party)": a name, then the party of its holder in brackets."""
        j = span.end
        if j + 2 >= len(doc) or doc[j].text != "(" or not 2 <= span.end - span.start <= 4 \
                or self.has_head(doc[span.start:span.end]):
            return False
        close = next((m for m in range(j + 1, min(len(doc), j + 7)) if doc[m].text == ")"), None)
        inside = doc[j + 1:close] if close else None
        return bool(inside) and all(t.text[:1].isupper() for t in inside) and inside[-1].lower_ in ("party", "democrats")

    def _body_named_to(self, doc, m: int, k: int) -> bool:
        """Does "of [the] Capitalised Words" run from token m to token k ("Chair" + "of the Committee" + ",")?"""
        if m >= k or doc[m].lower_ not in ("of", "at"):
            return False
        m += 1 + (m + 1 < k and doc[m + 1].lower_ == "the")
        return m < k and all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in doc[m:k]) \
            and self.has_head(doc[m:k]) or m < k and bool(self.lex.known(doc[m:k].text))

    def _particle_name(self, tokens) -> bool:
        """"Pieter van Oosten", "Anneke de Vries": a lower-case name particle between capitalised words is a
        personal name's (names of places the gazetteer knows are typed before this)."""
        words = [t.text for t in tokens]
        return 3 <= len(words) <= 4 and words[0][:1].isupper() and words[-1][:1].isupper() \
            and any(w in PERSON_PARTICLES for w in words[1:-1]) and not self.lex.known(words[-1]) \
            and all(w in self.lex.name_particles or w[:1].isupper() for w in words) and not self.has_head(tokens)

    def _described_or_credited(self, doc, span: NameSpan) -> bool:
        """"flanker Isoa Naivalu", "retired architect Helen Sato": a noun for a person right before a name of
        two to four words; "(Xinhua/Agung Kuncahya)", "Credit: University of Tartu/Priit Lepp", "Editor: Rina
        Wulandari": the personal name of a photo credit or a byline's role."""
        i, j, tokens = span.start, span.end, doc[span.start:span.end]
        if self._particle_name(tokens):
            return True
        if not 2 <= j - i <= 4 or not all(t.is_alpha and t.text[:1].isupper() for t in tokens if t.text != "-"):
            return False
        if i >= 1 and doc[i - 1].text.islower() and doc[i - 1].lower_ in self.lex.person_nouns:
            return True
        other = doc[i - 2] if i >= 2 and doc[i - 1].text == "/" else doc[j + 1] if j + 1 < len(doc) and \
            doc[j].text == "/" else None
        if other is not None and other.lower_ in PHOTO_WORDS and other.i >= 1:
            other = doc[other.i - 1]        # "(AP Photo/Jane Roe)": the agency before its credit word
        if other is not None and j - i <= 3 and not self.has_head(tokens) and not self.lex.known(tokens.text) and (
                any(t.ent_type_ == "PERSON" for t in tokens) or is_acronym(other.text) or self.lex.known(other.text)):
            return True     # the other side of the slash is the agency or the paper
        if i >= 2 and doc[i - 1].lower_ == "by" and doc[i - 2].lower_ in self.lex.credit_words \
                and doc[i - 2].lower_ != "by" and not self.has_head(tokens) and not self.lex.known(tokens.text):
            return True     # "(Reporting by Duncan Mwangi; Editing by Helen Price)": a wire's credit line
        return i >= 2 and doc[i - 1].text == ":" and doc[i - 2].lower_ in self.lex.credit_words

    # ---------------------------------------------------------------- editions
    def editions(self, doc) -> list[NameSpan]:
        """"the 47th Session of the United Nations General Assembly", "7th session of the X"."""
        out = []
        for tok in doc:
            if not (ORDINAL_RE.match(tok.text) or tok.lower_ in ORDINAL_WORDS):
                continue
            j = tok.i + 1
            if j < len(doc) and doc[j].lower_ in ("plenary",):
                j += 1
            if j >= len(doc) or doc[j].lower_ not in ("session", "summit", "meeting", "congress", "conference",
                                                      "edition", "assembly", "general"):
                continue
            if doc[j].lower_ == "general" and j + 1 < len(doc) and doc[j + 1].lower_ == "assembly":
                j += 1
            if j + 1 < len(doc) and doc[j + 1].lower_ == "of":
                k = j + 2
                if k < len(doc) and doc[k].lower_ == "the":
                    k += 1
                if k < len(doc) and is_name_token(doc[k]):
                    first = tok.i
                    if first >= 2 and doc[first - 1].text == "-" and doc[first - 2].lower_ in TENS:
                        first -= 2      # "Seventy-fifth session of …"
                    out.append(NameSpan(first, k, doc[first:k].text, kind="Event", method="edition"))
        return out


TITLE_MODIFIERS = ("deputy", "acting", "vice", "assistant", "senior", "chief", "interim", "former", "opposition",
                   "electoral", "municipal", "european")


def _in_ticker(doc, i: int) -> bool:
    """Token i is a part of a stock ticker "(EXCHANGE: CODE)"."""
    n = len(doc)
    if 1 <= i and i + 3 < n and doc[i - 1].text == "(" and doc[i + 1].text == ":" and doc[i + 3].text == ")":
        return doc[i].text.isupper()
    return 3 <= i and i + 1 < n and doc[i - 3].text == "(" and doc[i - 1].text == ":" and doc[i + 1].text == ")" \
        and doc[i - 2].text.isupper()


WEAK_METHODS = ("ner", "chunk")           # spaCy's label alone
MEDIUM_METHODS = ("city",)               # a table of towns, without a word of context


def _same_name_kinds(spans: list[NameSpan], groups: dict[str, list[NameSpan]]) -> None:
    """A name no rule could type in one sentence is what it is where a rule did ('"…," D.Enkhbold said' after
    "Head of the Customs General Administration D.Enkhbold"); not one a rule decided names nothing."""
    for span in spans:
        named = groups.get(norm(span.text)) if span.kind is None and not span.untyped and span.method != "edition" \
            else None
        if named and len({s.kind for s in named}) == 1 and span.end - span.start <= 4:
            span.kind, span.method = named[0].kind, "same-name"


def settle_kinds(doc, spans: list[NameSpan]) -> None:
    """One kind per name in a document, and short forms of long names.

    - "Andean Sky" (model: a place) is "Andean Sky Airlines" named in full elsewhere: an organisation
      or event whose name starts with the same two or more words, typed by a stronger rule.
    - "Eskom" typed Person in one sentence and Organisation in another: the mentions of one name take
      the kind the strongest rule gave (context rules over the town table over the model); between
      the model's labels alone, the most frequent, and never Person for a one-word name if another
      label was given (a lone surname is resolved elsewhere).
    """
    long_names = {}
    for span in spans:
        if span.kind in ("Organisation", "Event") and span.method not in WEAK_METHODS and span.end - span.start >= 3:
            words = doc[span.start:span.end].text.split()
            for n in range(2, len(words)):
                long_names.setdefault(norm(" ".join(words[:n])), span)
    for span in spans:
        if span.method in WEAK_METHODS + MEDIUM_METHODS and span.end - span.start >= 2:
            full = long_names.get(norm(span.text))
            if full is not None:
                span.kind, span.label, span.method = full.kind, full.label or full.text, "short-name"
    groups: dict[str, list[NameSpan]] = {}
    for span in spans:
        if span.kind and span.method != "edition":
            groups.setdefault(norm(span.label or span.text), []).append(span)
    _same_name_kinds(spans, groups)

    def tier(span):
        return 0 if span.method in WEAK_METHODS else 1 if span.method in MEDIUM_METHODS else 2

    for group in groups.values():
        if len({s.kind for s in group}) < 2:
            continue
        best = max(tier(s) for s in group)
        votes = Counter(s.kind for s in group if tier(s) == best)
        if best == 0 and len(votes) > 1 and all(s.end - s.start == 1 for s in group):
            votes.pop("Person", None)
        kind = votes.most_common(1)[0][0]
        for span in group:
            if tier(span) < best or (tier(span) == 0 and span.kind != kind):
                span.kind = kind


@dataclass(frozen=True)
class Typed:
    """A typing rule's decision: the kind, the method recorded on the span, maybe a canonical label."""

    kind: str | None
    method: str
    label: str | None = None


UNTYPED = Typed(None, "untyped")     # a decision that the span names no entity
NO_LABEL = Typed(None, "no-label")   # no rule could type the span (the model gave no label either)

# The typing rules, in order: the first that decides types the span (kg/extract/README.md).
TYPING_RULES = (
    ("not-a-name", NameFinder._not_a_name),
    ("gazetteer", NameFinder._gazetteer),
    ("acronym", NameFinder._acronym),
    ("demonym", NameFinder._demonym),
    ("head-word", NameFinder._head_word),
    ("based-in", NameFinder._based_in),
    ("constituency", NameFinder._constituency),
    ("title-owner", NameFinder._title_owner),
    ("team", NameFinder._team),
    ("place-list", NameFinder._place_list),
    ("place-context", NameFinder._place_context),
    ("org-context", NameFinder._org_context),
    ("title-context", NameFinder._title_context),
    ("city", NameFinder._city),
    ("ner", NameFinder._spacy_label),
)


# ", a Brussels-based umbrella", ", which has about 3,200 members", ", which represents 41 banks"
BODY_APPOSITIVE = re.compile(r",\s+(?:(?:an?|the)\s+[\w.\- ]{0,30}?-based\b|an?\s+umbrella\b|which\s+(?:has|represents|"
                             r"groups|brings\s+together|unites)\s+(?:about\s+|some\s+|more\s+than\s+|over\s+)?[\d,]+\s)")


def title_match(doc, i, lex) -> tuple[int, str, str] | None:
    """(length, role, kind) of the title starting at token i, portfolio included:
    "Minister of Climate and Environment" → (5, "Minister of Climate and Environment", "office")."""
    table = tokens(doc)
    reach = lex.title_reach.get(table.lower[i])
    if reach is None:
        return None      # most tokens start no title: answer before slicing the Doc
    best = None
    for n in range(min(reach, len(table) - i), 0, -1):
        found = lex.title(table.span_text(i, i + n))
        if found:
            has_portfolio = any(t.lower_ in ("of", "for") for t in doc[i:i + n])
            extra = portfolio_length(doc, i + n, lex, continuing=has_portfolio) \
                or (doc[i].text.islower() and found[1] == "office" and lower_portfolio_length(doc, i + n, lex))
            if best is None or n + extra > best[0]:
                # "Minister of State" + "Administration" loses to "Minister" + "of State Administration"
                best = (n + extra, found[0] + (" " + doc[i + n:i + n + extra].text if extra else ""), found[1])
    return best


def portfolio_length(doc, i, lex, continuing: bool = False) -> int:
    """Tokens of "of Climate and Environment" after a title: a portfolio, part of the title.
    ``continuing``: the title already names one ("Minister of Industry" + "and Trade")."""
    if i >= len(doc) or (doc[i].lower_ not in ("of", "for") and not (continuing and doc[i].lower_ in ("and", ","))):
        return 0
    j = i + 1
    last_word, others = None, 0
    while j < len(doc):
        tok = doc[j]
        if tok.text[:1].isupper() and tok.lower_ in lex.portfolios:
            last_word = j
        elif tok.text[:1].isupper() and tok.is_alpha and others < 2 and not lex.known(tok.text):
            others += 1       # "Canal" in "Minister of Canal Affairs": fine if a portfolio word ends it
        elif tok.lower_ not in ("and", ",", "the", "&") or last_word is None and not (j == i + 1 and tok.lower_ == "the" and doc[i].lower_ == "for"):
            break       # ("Minister for the Environment": "the" may open the portfolio; "of the" names a body)
        j += 1
    if last_word is not None and doc[i + 1].lower_ == "the":
        run = i + 2
        while run < len(doc) and (doc[run].text[:1].isupper() or doc[run].lower_ in ("and", "of", "&")):
            run += 1
        if lex.head_type(doc[run - 1].text) or lex.known(doc[i + 2:run].text):
            return 0    # "a spokesman for the Public Security Police": a body, not a portfolio
    return (last_word + 1 - i) if last_word is not None else 0


def lower_portfolio_length(doc, i, lex) -> int:
    """Tokens of "of enforcement" / "for energy policy" after a title written in lower case ("director of
    enforcement, X"): one to three lower-case words that name a field, not a body ("of the bank") and
    not the rest of the sentence (a comma, a name or the sentence's end must follow)."""
    if i >= len(doc) or doc[i].lower_ not in ("of", "for"):
        return 0
    j = i + 1
    while j < len(doc) and j - i <= 3 and doc[j].is_alpha and doc[j].text.islower() \
            and doc[j].pos_ in ("NOUN", "ADJ") and doc[j].lower_ not in lex.org_nouns:
        j += 1
    if j == i + 1 or j < len(doc) and not (doc[j].is_punct or doc[j].text[:1].isupper()):
        return 0
    return j - i


def _one_entity(doc, i, j) -> bool:
    """Do tokens i..j lie inside one entity of the statistical model ("Cox's Bazar")?"""
    return 0 <= i and j < len(doc) and bool(doc[i].ent_type_) and all(
        doc[k].ent_iob_ == "I" and doc[k].ent_type_ == doc[i].ent_type_ for k in range(i + 1, j + 1))


def _fits(letters: list[str], span: NameSpan, doc) -> bool:
    """Do the acronym's capitals follow the name's capitalised words, first to last? ("PT Kereta Api Indonesia"
    (KAI): a company's legal form before the name is no part of its acronym.)"""
    words = [t.text for t in doc[span.start:span.end] if t.text[:1].isupper()]
    if len(words) > 2 and words[0].isupper() and letters and letters[0] != words[0][0] and letters[0] == words[1][0]:
        words = words[1:]
    initials = "".join(w[0] for w in words)
    if not letters or not initials or letters[0] != initials[0] or letters[-1] != words[-1][0]:
        return False
    if not _subsequence(letters, initials):
        # "AMCOW": African Ministers' Council On Water; the connector's letter counts too
        every = "".join(t.text[0].upper() for t in doc[span.start:span.end] if t.text[:1].isalpha())
        return _subsequence(letters, every)
    return True


def _subsequence(letters, initials) -> bool:
    # capitals inside words count too ("KenIPP": Kenya Institute for Public Policy)
    pos = 0
    for letter in letters:
        pos = initials.find(letter, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _in_short_quote(text: str, start: int, max_words: int = 12) -> bool:
    """Is offset ``start`` inside a short quotation ("“Agenda for the Future”") opened at most 120
    characters before it? Only a window around ``start`` is read, so the cost does not grow with
    the length of the text."""
    low = max(0, start - 120)
    opening = max(text.rfind("“", low, start), text.rfind('"', low, start))
    if opening < 0 or text.rfind("”", opening, start) >= 0:
        return False
    closing = text.find("”", start, opening + 200)
    return closing >= 0 and len(text[opening:closing].split()) <= max_words
