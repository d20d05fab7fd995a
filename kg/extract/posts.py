"""Posts people hold: "President X", "X, the Secretary General of Y", "Y's Deputy Prime Minister X".

A post is a node ("President of Kenyanstan", kg:positionOf Kenyanstan); the person
kg:holdsPosition it. The post belongs to the organisation or country named with the title
("of Y", "Y's", "Kenyan"); a state title with none ("President X") takes the country the article
is about when one dominates, else the dateline's country, else the country the same title is given
elsewhere in the article, else the country the article names most.
"""

from __future__ import annotations

import re
from collections import Counter

from ..lexicon import load_table, load_words
from .lexicon import norm
from .model import EntityRef, Fact, Span
from .names import title_match
from .rules import get as get_rule
from .tokens import tokens

AGENTS = ("Country", "Organisation")
CHAIRED = {"chaired": "Chair", "headed": "Head", "presided": "President"}      # "…, chaired by X"
CHAIRING = {"chairs": "Chair", "chaired": "Chair", "heads": "Head", "headed": "Head", "leads": "Leader"}  # "X, who chairs"
CHOOSING = {"elected", "re-elected", "reelected", "appointed", "named", "chosen", "nominated"}
SKIPPABLE = {"the", "a", "an", "its", "his", "her", "their", "first", "former", "then", "current", "new", "late"}


class PostFinder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.doc = ctx.doc
        self.lex = ctx.lex
        self._refs = None

    @property
    def refs(self):
        """References without posts (the posts are what this pass finds), made once when first needed."""
        if self._refs is None:
            from .references import References

            self._refs = References(self.ctx)
        return self._refs

    def sentence_body(self, title_i: int) -> str | None:
        """"The company … is now run by his daughter, chief executive X": the body the title's sentence is about."""
        found = self.refs.clause_subject(self.doc[title_i].sent.root.i, ("Organisation",))
        return found if found and self.ctx.kind(found) == "Organisation" else None

    def _named_with(self, word: str, before) -> str | None:
        """The first of the mentions ``before`` (nearest first) whose name has ``word`` in it."""
        return next((p.key for p in before if word in self.ctx.entities[p.key].label.lower().split()), None)

    def title_ending_at(self, i: int) -> tuple[int, str] | None:
        """(start, role) of the longest office title that ends just before token i ("Justice X" too: a
        judge's style is a post when title_owners.tsv names the bodies that hold it)."""
        for start in range(max(0, i - self.lex.max_title_words - 8), i):
            found = title_match(self.doc, start, self.lex)
            if found and start + found[0] == i and (found[2] == "office" or found[1] in self.ctx.memo.get(
                    "ranked_posts", ())):
                return start, found[1]
        return None

    def _stacked(self, title: tuple[int, str] | None) -> tuple[int, str] | None:
        """"UCT Vice-Chancellor Professor X": a style (data/lexicon/style_titles.txt) right after an office
        is the person's style, and the office before it the post."""
        if title is None or title[1].lower() not in self.lex.style_titles:
            return title
        return self.title_ending_at(title[0]) or title

    def _joined_title(self, start: int) -> tuple[int, str] | None:
        """The office before a dash before token ``start``: "Deputy Prime Minister - Minister of X"."""
        if start < 2 or self.doc[start - 1].text not in ("-", "–", "—"):
            return None
        return self.title_ending_at(start - 1)

    def _honorific_ending_at(self, i: int) -> int:
        """Start of a courtesy title ("Dr", "Prof.") ending just before token i, or 0; a style after a comma
        too ("the President of Kyoto University, Professor Kenichi Hayashi")."""
        for start in range(max(0, i - 3), i):
            found = title_match(self.doc, start, self.lex)
            if found and start + found[0] == i and (found[2] == "honorific" or start > 0 and self.doc[
                    start - 1].text == "," and found[1].lower() in self.lex.style_titles):
                return start
        return 0

    def _title_to_ending_at(self, i: int) -> tuple[int, str] | None:
        """"Philippine Ambassador to the United States X": a title whose "to …" names where it is held,
        ending just before token i; its owner is named before the title."""
        placed = self.ctx.at(i - 1) if i > 0 else None
        if not placed or placed.end != i or self.ctx.kind(placed.key) not in AGENTS + ("Place",):
            return None
        j = placed.start - (placed.start > 0 and self.doc[placed.start - 1].lower_ == "the")
        # "Ambassador to Indonesia", "head of mission in Chad", "regional director for Asia Pacific"
        if j < 2 or self.doc[j - 1].lower_ not in ("to", "in", "for"):
            return None
        return self.title_ending_at(j - 1)

    def _title_of_to_ending_at(self, i: int) -> tuple[str, str, int] | None:
        """(role, owner, title start) of "the Ambassador of Freedonia to Ruritania" ending before token i:
        the owner after "of", the place the post is held in after "to"."""
        doc, ctx = self.doc, self.ctx
        placed = ctx.at(i - 1) if i > 0 else None
        if not placed or placed.end != i or ctx.kind(placed.key) not in AGENTS + ("Place",):
            return None
        j = placed.start - (placed.start > 0 and doc[placed.start - 1].lower_ == "the")
        owner = ctx.at(j - 2) if j >= 4 and doc[j - 1].lower_ == "to" else None
        if not owner or owner.end != j - 1 or ctx.kind(owner.key) not in AGENTS:
            return None
        m = owner.start - (doc[owner.start - 1].lower_ == "the")
        title = self.title_ending_at(m - 1) if m >= 2 and doc[m - 1].lower_ == "of" else None
        return (title[1], owner.key, title[0]) if title else None

    def title_starting_at(self, i: int) -> tuple[int, str] | None:
        """(end, role) of the longest office title that starts at token i."""
        found = title_match(self.doc, i, self.lex) if i < len(self.doc) else None
        if found and found[2] == "office":
            return i + found[0], found[1]
        return None

    def agent_ending_at(self, i: int) -> str | None:
        placed = self.ctx.at(i - 1)
        if placed and placed.end == i and self.ctx.kind(placed.key) in AGENTS:
            return placed.key
        return None

    def _town_before(self, i: int) -> str | None:
        """"Ruidoso Mayor Tom Kessler", "Tiruchi Collector X": a place right before a title a place holds."""
        placed = self.ctx.at(i - 1) if i > 0 else None
        found = title_match(self.doc, i, self.lex) if i < len(self.doc) else None
        if placed and placed.end == i and self.ctx.kind(placed.key) == "Place" and found \
                and found[1] in self.lex.place_roles:
            return placed.key
        return None

    def _town_ending_at(self, i: int) -> str | None:
        """"the Mayor of Greater Sudbury, X": a place after "TITLE of" owns the post when the title is one a
        place holds (data/lexicon/title_owners.tsv: owner Place)."""
        placed = self.ctx.at(i - 1) if i > 0 else None
        if not placed or placed.end != i or self.ctx.kind(placed.key) != "Place":
            return None
        j = placed.start - (placed.start > 0 and self.doc[placed.start - 1].lower_ == "the")
        title = self.title_ending_at(j - 1) if j > 1 and self.doc[j - 1].lower_ == "of" else None
        return placed.key if title and title[1] in self.lex.place_roles else None

    def owner_before(self, i: int) -> str | None:
        """"Kenya's", "Kenyan", "Its" or "Forum" (a name cut short) just before token i."""
        doc = self.doc
        if i >= 4 and doc[i - 1].text == ")" and doc[i - 3].text == "(":
            return self.agent_ending_at(i - 3)      # "Fiji Rugby Union (FRU) chief executive X"
        if i >= 2 and doc[i - 1].text in ("’s", "'s"):
            return self._possessive_owner(i)
        k = i
        while k > 1 and doc[k - 1].text.islower() and doc[k - 1].pos_ in ("NOUN", "ADJ") and i - k < 2:
            k -= 1      # "its housing spokesperson"
        if k >= 1 and doc[k - 1].lower_ == "its":
            return self._its_owner(k)
        if i >= 3 and doc[i - 1].lower_ == "where" and doc[i - 2].text == "," \
                and (placed := self.ctx.at(i - 3)) and self.ctx.kind(placed.key) == "Organisation":
            return placed.key       # "visited the Nuclear Safety Commission, where President X described …"
        if k >= 2 and doc[k - 1].lower_ == "whose":
            # "World Athletics, whose president, X": the body the clause is about
            return self.agent_ending_at(k - 1 - (doc[k - 2].text == ","))
        if i >= 1 and doc[i - 1].text[:1].isupper() and self.lex.head_type(doc[i - 1].text) \
                and not self.ctx.at(i - 1) and doc[i - 1].lower_ not in self.lex.portfolios:
            found = self._named_with(doc[i - 1].lower_, self.ctx.before(i - 1, AGENTS, 400))
            if found:
                return found
        body = self._body_word_owner(i) or self._delegation_owner(i) or self._town_before(i)
        if body:
            return body
        found = title_match(doc, i, self.lex) if i < len(doc) else None
        if i >= 1 and not (found and found[1].lower() in self.lex.nationality_titles):
            country = self.lex.country_of_adjective(doc[i - 1].text)
            if country:
                return self.ctx.table.lookup(country, "Country") or self._country_key(country)
        return None

    def _delegation_owner(self, i: int) -> str | None:
        """"The Chinese delegation [was led] by Vice Foreign Minister X": the country whose delegation the
        holder of a government's title leads."""
        doc = self.doc
        k = i - 1
        if k < 2 or doc[k].lower_ != "by":
            return None
        k -= 1
        while k > 0 and doc[k].lower_ in ("led", "headed", "was", "were", "is"):
            k -= 1
        if doc[k].lower_ not in ("delegation", "delegations", "team") or k < 1:
            return None
        country = self.lex.country_of_adjective(doc[k - 1].text) if doc[k - 1].text[:1].isupper() else None
        return (self.ctx.table.lookup(country, "Country") or self._country_key(country)) if country else None

    def _its_owner(self, k: int) -> str | None:
        """"Its director, X" (doc[k - 1] is "its"): the body the sentence before was about, else the last named."""
        doc = self.doc
        if doc[k - 1].is_sent_start and k - 1 > 0:
            # "… the Gas Research Institute, was opened last year. Its director, X"
            previous = doc[k - 2].sent
            found = self.refs.clause_subject(previous.root.i, AGENTS[1:])
            if found:
                return found
        for placed in self.ctx.before(k - 1, AGENTS, 150):
            return placed.key
        return None

    def _body_word_owner(self, i: int) -> str | None:
        """"association president Dr X": the association named before; "Government spokeswoman X": the
        dateline's country."""
        doc = self.doc
        if i < 1 or not (doc[i - 1].text.islower() or doc[i - 1].is_sent_start) or self.ctx.at(i - 1):
            return None
        word = doc[i - 1].lower_
        found = self._named_with(word, self.ctx.before(i - 1, ("Organisation",), 600)) \
            if word in self.lex.org_nouns else None
        return found or (dateline_country(self.ctx) if word == "government" else None)

    def _possessive_owner(self, i: int) -> str | None:
        """"Kenya's", "the board's", "the city's" just before token i (doc[i - 1] is the "'s")."""
        doc = self.doc
        owner = self.agent_ending_at(i - 1) or self._region_ending_at(i - 1)
        if owner is not None or i < 3 or doc[i - 3].lower_ != "the":
            return owner
        noun = doc[i - 2].lower_
        if noun in self.lex.org_nouns:
            return self.described_organisation(noun, i - 3)     # "the board's chairperson, X"
        if noun in ("city", "town"):
            return dateline_place(self.ctx)         # "the city's director of planning, X": the story's town
        if noun == "country":
            return dateline_country(self.ctx)
        return None

    def _region_ending_at(self, i: int) -> str | None:
        """"Nova Scotia's", "Queensland's": a state or province (the verified table's first-level regions) owns
        the posts of its government."""
        placed = self.ctx.at(i - 1)
        return placed.key if placed and placed.end == i and is_region(self.ctx, placed.key) else None

    def _country_key(self, label):
        return self.ctx.table.add("Country", label, method="demonym")

    def described_organisation(self, noun: str, i: int) -> str | None:
        """"the bank's", "the company's": the last organisation named before with that word, else the
        organisation the article is about."""
        before = self.ctx.before(i, ("Organisation",), 600)
        found = self._named_with(noun, before)
        if found:
            return found
        # no body is called so: the one named last in the same paragraph ("KCB said its board … the
        # board's chairperson"), else the one the article is about
        if before and "\n" not in self.ctx.document.text[self.doc[before[0].start].idx:self.doc[i].idx]:
            return before[0].key
        return subject_organisation(self.ctx)

    def owner_after(self, i: int) -> tuple[int, str] | None:
        """"of [the] Y" at token i: (end, Y)."""
        doc = self.doc
        if i < len(doc) and doc[i].lower_ in ("of", "at", "for"):
            j = i + 1 + (i + 1 < len(doc) and doc[i + 1].lower_ == "the")
            # "head of the election observation mission of the OSCE": a unit of the named body
            k = j
            while k < min(len(doc), j + 5) and doc[k].text.islower() and doc[k].is_alpha and doc[k].lower_ != "of" \
                    and not self.ctx.at(k):
                k += 1
            if k > j and k + 1 < len(doc) and doc[k].lower_ == "of":
                j = k + 1 + (doc[k + 1].lower_ == "the")
            if j + 2 < len(doc) and doc[j].text.islower() and doc[j + 1].text in ("’s", "'s") and doc[j - 1].lower_ == \
                    "the":
                j += 2      # "an associate professor at the university's Graduate School of Engineering"
            if j + 3 < len(doc) and (doc[j].like_num or doc[j].is_digit) and doc[j + 1].text in ("-", "–") \
                    and doc[j + 2].text.islower():
                j += 3      # "chair of the three-member Tillamook County Board": a count before the name
            placed = self.ctx.at(j)
            if placed and placed.start == j and self.ctx.kind(placed.key) in AGENTS:
                end = placed.end
                if end + 1 < len(doc) and doc[end].text in ("’s", "'s"):     # "of the WHO's Programme"
                    owned = self.ctx.at(end + 1)
                    if owned and owned.start == end + 1 and self.ctx.kind(owned.key) in AGENTS:
                        return owned.end, owned.key
                return end, placed.key
        return None

    def _owner_listed_after(self, i: int) -> tuple[int, str] | None:
        """", Havbris ASA" ending a line or a sentence after a title: a press release's contact line
        ("Kari Vågen, Head of Communications, Havbris ASA")."""
        doc = self.doc
        if i + 1 >= len(doc) or doc[i].text != ",":
            return None
        placed = self.ctx.at(i + 1)
        if not placed or placed.start != i + 1 or self.ctx.kind(placed.key) not in AGENTS[1:]:
            return None
        end = placed.end
        if end < len(doc) and not (doc[end].is_space or doc[end].text in (".", ",", ";") or doc[end].is_sent_start
                                   or "\n" in doc[end - 1].whitespace_):
            return None
        return end, placed.key

    def posts_of(self, person) -> list[tuple[str, str | None, int]]:
        """(role, owner key or None, token index of the title) for one person mention."""
        return self._posts_before(person) + self._posts_after(person) + self._elected(person) \
            + self._chaired_by(person) + self._who_chairs(person)

    def _posts_before(self, person) -> list[tuple[str, str | None, int]]:
        """"[Y's|Kenyan] TITLE X", "the TITLE of Y – X"."""
        doc = self.doc
        found = []
        k = person.start
        while k > 0 and self._honorific_ending_at(k):
            k = self._honorific_ending_at(k)        # "Its director, Dr Leila Haddad"
        direct = k       # "Prime Minister Datuk Seri X": the title stands right before the name
        while k > 0 and doc[k - 1].text in ("–", "-", "—", ","):
            k -= 1
        of_to = self._title_of_to_ending_at(k)
        if of_to:
            return [of_to]      # "The Ambassador of Freedonia to Ruritania, Ana Ruiz"
        held_in = self._title_to_ending_at(k)
        owner = self.agent_ending_at(k) or self._town_ending_at(k) if held_in is None else None
        if owner is not None:
            placed = self.ctx.at(k - 1)
            j = placed.start - (placed.start > 0 and doc[placed.start - 1].lower_ == "the")
            if j > 0 and doc[j - 1].lower_ in ("of", "at"):
                title = self.title_ending_at(j - 1)
                if title:
                    found.append((title[1], owner, title[0]))
                    joined = self._joined_title(title[0])
                    if joined:      # "Deputy Prime Minister - Minister of Trade of Freedonia X": both Freedonia's
                        found.append((joined[1], owner, joined[0]))
        else:
            # "President X", "IGAD's Executive Secretary, X", "Nordvik Energy Chief Executive X",
            # "Prime Minister X of Barbados"
            title = self._stacked(self.title_ending_at(k)) or held_in
            # ("Nova Scotia's Public Works Minister, X": the owner before the portfolio words)
            first = _portfolios_before(self.ctx, title[0]) if title else None
            if title and (k == direct or self.owner_before(title[0]) or self.owner_before(first) or title[0] > 0
                          and doc[title[0] - 1].lower_ == "the"):
                owner = self.owner_before(title[0]) or self.agent_ending_at(title[0]) or self.owner_before(first)
                after = self.owner_after(person.end) if owner is None else None
                found.append((title[1], owner or (after[1] if after else None), title[0]))
        return found

    def _posts_after(self, person) -> list[tuple[str, str | None, int]]:
        """"X, [the] [Y's] TITLE [of Y] [and TITLE [of Y]]"."""
        doc = self.doc
        found = []
        j = person.end
        if j < len(doc) and doc[j].text == ",":
            j += 1
            while j < len(doc) and doc[j].lower_ in SKIPPABLE:
                j += 1
            owner = None
            placed = self.ctx.at(j)
            if placed and placed.start == j and self.ctx.kind(placed.key) in AGENTS and placed.end < len(doc) \
                    and doc[placed.end].text in ("’s", "'s"):
                owner, j = placed.key, placed.end + 1
            elif j < len(doc) and self.lex.country_of_adjective(doc[j].text):
                owner, j = self.owner_before(j + 1), j + 1
            elif j + 1 < len(doc) and doc[j + 1].text in ("’s", "'s") and doc[j].lower_ in self.lex.org_nouns:
                owner, j = self.described_organisation(doc[j].lower_, j), j + 2    # "X, the bank's chief executive"
            elif placed and placed.start == j and self.ctx.kind(placed.key) in AGENTS[1:] \
                    and self.title_starting_at(placed.end):
                owner, j = placed.key, placed.end       # "Claire Dubois, IFRC Senior Media Officer"
            k = j
            while k < min(len(doc), j + 3) and doc[k].text.islower() and doc[k].pos_ in ("NOUN", "ADJ") \
                    and not self.title_starting_at(k):
                k += 1      # "X, a food sector analyst at Y": a field before the title
            if k > j and self.title_starting_at(k) and doc[j - 1].lower_ in ("a", "an"):
                j = k
            joined = len(found)
            while True:
                title = self.title_starting_at(j)
                if not title:
                    break
                end, role = title
                named = self.ctx.at(end) if end < len(doc) else None
                if named and named.start == end and self.ctx.kind(named.key) == "Person":
                    break       # "Board chair X, vice chair Y and …": the next person's title
                after = self.owner_after(end) or self._owner_listed_after(end)
                found.append((role, after[1] if after else owner, j))
                if after:       # "X, President and Chief Executive Officer of Kestrel": both Kestrel's
                    found[joined:] = [(r, o or after[1], t) for r, o, t in found[joined:]]
                j = after[0] if after else end
                if j < len(doc) and doc[j].lower_ == "and":
                    j += 1
                    continue
                break
        return found

    def _who_chairs(self, person) -> list[tuple[str, str | None, int]]:
        """"Raj Malhotra, who chairs the Planning Committee", "X, who heads the Y": the body's chair (head)."""
        doc, j = self.doc, person.end
        if j + 3 >= len(doc) or doc[j].text != "," or doc[j + 1].lower_ != "who" or doc[j + 2].lower_ not in CHAIRING:
            return []
        k = j + 3 + (doc[j + 3].lower_ == "the")
        body = self.ctx.at(k)
        if body and body.start == k and self.ctx.kind(body.key) == "Organisation":
            return [(CHAIRING[doc[j + 2].lower_], body.key, j + 1)]    # ("chairs" would read as a plural title)
        return []

    def _chaired_by(self, person) -> list[tuple[str, str | None, int]]:
        """"the Standing Committee on Natural Resources, chaired by X": the body's chair (its head for
        "headed by")."""
        doc, i = self.doc, person.start
        if i < 3 or doc[i - 1].lower_ != "by" or doc[i - 2].lower_ not in CHAIRED:
            return []
        k = i - 2 - (doc[i - 3].text == ",")
        body = self.ctx.at(k - 1)
        if not body or body.end != k or self.ctx.kind(body.key) != "Organisation":
            return []
        return [(CHAIRED[doc[i - 2].lower_], body.key, i - 2)]

    def _elected(self, person) -> list[tuple[str, str | None, int]]:
        """"X was elected president of the Y", "X, who was named chief executive", "appointed X as chief
        executive officer": a post given to the person by a verb of choosing."""
        doc, j = self.doc, person.end
        if person.start > 0 and doc[person.start - 1].lower_ in CHOOSING and j < len(doc) and doc[j].lower_ == "as":
            j += 1
        else:
            if j + 1 < len(doc) and doc[j].lower_ == "of":
                nation = self.ctx.at(j + 1 + (doc[j + 1].lower_ == "the"))
                if nation and self.ctx.kind(nation.key) == "Country":
                    j = nation.end      # "Marieke van Dalen of the Netherlands was elected president of …"
            j += j < len(doc) and doc[j].text == ","
            j += j < len(doc) and doc[j].lower_ == "who"
            verbs = 0
            while j < len(doc) and doc[j].lower_ in ("was", "were", "is", "has", "had", "been", "be", "will") \
                    and verbs < 3:
                j, verbs = j + 1, verbs + 1
            if not verbs or j >= len(doc) or doc[j].lower_ not in CHOOSING:
                return []
            j += 1 + (j + 1 < len(doc) and doc[j + 1].lower_ == "as")
        while j < len(doc) and doc[j].lower_ in ("the", "its", "new", "a"):
            j += 1
        title = self.title_starting_at(j)
        if not title:
            return []
        after = self.owner_after(title[0])
        return [(title[1], after[1] if after else None, j)]


def subject_organisation(ctx) -> str | None:
    """The organisation the article is about: the first one named in its first paragraphs that is
    named again later (else the first one named). Computed once per document."""
    if "subject_organisation" not in ctx.memo:
        ctx.memo["subject_organisation"] = _subject_organisation(ctx)
    return ctx.memo["subject_organisation"]


def _subject_organisation(ctx) -> str | None:
    counts = Counter(p.key for p in ctx.placed if ctx.kind(p.key) == "Organisation")
    lead = [p.key for p in ctx.placed if ctx.kind(p.key) == "Organisation"
            and ctx.doc[p.start].idx >= ctx.dateline_end() and ctx.doc[p.start].sent.start_char < 1500]
    return next((key for key in lead if counts[key] >= 2), lead[0] if lead else None)


def subject_country(ctx, counts: Counter) -> str | None:
    """The country the article is about, when one dominates: named in its headline or the first
    sentence of its body, at least three times, and twice as often as any other country (the
    dateline's included)."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 3 or len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    if "opening_keys" not in ctx.memo:
        ctx.memo["opening_keys"] = _opening_keys(ctx)
    return ranked[0][0] if ranked[0][0] in ctx.memo["opening_keys"] else None


def _opening_keys(ctx) -> set[str]:
    """Entities named in the headline's sentences or the body's first sentence (past a byline or
    a dateline: the first sentence of eight words or more that ends after the dateline)."""
    text = ctx.document.text
    head_end = text.find("\n\n")
    head_end = len(text) if head_end < 0 else head_end
    dateline_end = ctx.dateline_end()
    opening = []
    for sent in ctx.doc.sents:
        if sent.start_char < head_end:
            opening.append(sent)
        elif sent.end_char > dateline_end and sum(t.is_alpha for t in sent) >= 8:
            opening.append(sent)
            break
    return {p.key for sent in opening for p in ctx.within(sent.start, sent.end)}


def dateline_country(ctx) -> str | None:
    """The country of the dateline's town ("ULAANBAATAR" → Mongolia), if the article names it."""
    place = ctx.document.dateline
    if not place:
        return None
    country = ctx.lex.country_of_place(place) or (place if ctx.lex.known(place) and
                                                  ctx.lex.known(place).kind == "Country" else None)
    return ctx.table.lookup(country, "Country") if country else None


def agency_country(ctx) -> str | None:
    """The country of a national news agency publishing the article (data/lexicon/news_agencies.tsv: "BSS",
    "NNN-Antara"), if the article names it."""
    publisher = ctx.document.publisher
    if not publisher:
        return None
    words = [norm(w) for w in re.split(r"[\s\-/]+", publisher) if w]
    country = ctx.lex.agency_countries.get(norm(publisher)) or next(
        (ctx.lex.agency_countries[w] for w in words if w in ctx.lex.agency_countries), None)
    return ctx.table.lookup(country, "Country") if country else None


def dateline_place(ctx) -> str | None:
    place = ctx.document.dateline
    return ctx.table.lookup(place) if place else None


def is_region(ctx, key: str) -> bool:
    """Is the place a first-level region (a state, a province: the verified table's)?"""
    known = ctx.lex.known(ctx.entities[key].label) if ctx.kind(key) == "Place" else None
    return known is not None and norm(known.label) in ctx.lex.regions


def first_region(ctx) -> str | None:
    """The first first-level region the article names."""
    return next((p.key for p in ctx.placed if is_region(ctx, p.key)), None)


def _own_other_post(ctx, person: str, role: str, row, named) -> str | None:
    """The owner of a title with none named, from the same person's posts that name one: the same role's
    ("Minister Otgonbayar" after "Minister of Economy of Mongolia B.Otgonbayar"), else, for a state's
    title, the country of another of their state posts."""
    own = [(r, o) for key, r, o in named if key == person]
    same = next((o for r, o in own if r == role or r.startswith(role + " ")), None)
    if same or not row or row.get("owner") != "Country":
        return same
    return next((o for _, o in own if ctx.kind(o) == "Country"), None)


def default_owner(ctx, kind: str, role: str, owners_by_role, mentions, others=frozenset()) -> str | None:
    """Whose post a title with no named owner is (data/lexicon/title_owners.tsv gives the kind). ``others``:
    owners the text names for the same title held by other people ("President Kang and Vietnamese President
    Tran": the bare title is not Vietnam's)."""
    same = owners_by_role.get(role)
    same = same if same and (ctx.kind(same) == kind or {ctx.kind(same), kind} <= {"Place", "Country"}) else None
    if kind == "Organisation":
        return same or subject_organisation(ctx)
    if kind == "Place":
        return same or dateline_place(ctx)
    about = subject_country(ctx, mentions["Country"])
    if about and about not in others:
        return about      # "President X" in a story about one country, wherever it is datelined
    own = agency_country(ctx)
    if own and own not in others:
        return own        # "Commerce Minister X" in a national agency's copy from abroad: the agency's country
    home = dateline_country(ctx)
    if home:
        return home       # "Prime Minister X" in a domestic story datelined in a town of that country
    ranked = mentions["Country"].most_common(2)
    clear = ranked and (len(ranked) == 1 or ranked[0][1] >= 2 and ranked[0][1] > ranked[1][1])
    found = same or (ranked[0][0] if clear else None)
    if found is None and not ranked:
        # "Finance Minister X" in a story about a state (named in its opening) that names no country: the state's
        region = first_region(ctx)
        if "opening_keys" not in ctx.memo:
            ctx.memo["opening_keys"] = _opening_keys(ctx)
        found = region if region in ctx.memo["opening_keys"] else None
    return None if found in others else found


def _listed_after_plural_titles(ctx, raw) -> list:
    """"Justices Anne Kariuki, Samuel Rotich and Fatuma Said": a plural title gives its post to every
    person of the list it starts (the first already has it)."""
    doc, more = ctx.doc, []
    for person, role, owner, title_i in raw:
        found = title_match(doc, title_i, ctx.lex)
        if not found or not doc[title_i + found[0] - 1].lower_.endswith("s") or doc[title_i + found[0] - 1].lower_ \
                == role.lower().split()[-1].lower():
            continue        # not a plural ("Justices", "Ministers")
        j = person.end
        while j < len(doc):
            if j + 2 < len(doc) and doc[j].text == "(":
                # "Committee members A (Centre Party), B (Green Party) and C": past each one's party
                j = next((m + 1 for m in range(j + 1, min(len(doc), j + 8)) if doc[m].text == ")"), j)
            k = j
            while k < len(doc) and doc[k].lower_ in (",", "and"):
                k += 1
            nxt = ctx.at(k) if k > j else None
            if nxt is None or nxt.start != k or ctx.kind(nxt.key) != "Person":
                break
            more.append((nxt, role, owner, title_i))
            j = nxt.end
    return more


def _counterparts(ctx, raw) -> list:
    """"Prime Minister Kwon held talks with his Vietnamese counterpart, Tran Quoc Hieu": the counterpart holds
    the same title, of the country of the adjective before "counterpart" (which, for the sentence's bare title,
    is another country's: see ``others`` in extract_posts)."""
    doc, more = ctx.doc, []
    titled = [(person, role, title_i) for person, role, _, title_i in raw]
    for tok in [doc[i] for i, word in enumerate(tokens(doc).lower) if word == "counterpart" and i >= 2]:
        country = ctx.lex.country_of_adjective(doc[tok.i - 1].text)
        k = tok.i + 1 + (tok.i + 1 < len(doc) and doc[tok.i + 1].text == ",")
        other = ctx.at(k)
        if not country or other is None or other.start != k or ctx.kind(other.key) != "Person":
            continue
        holder = next(((role, title_i) for person, role, title_i in reversed(titled)
                       if title_i < tok.i and doc[title_i].sent.start == tok.sent.start), None)
        owner = ctx.table.lookup(country, "Country")
        if holder and owner:
            more.append((other, holder[0], owner, holder[1]))
    return more


def owner_by_heads(ctx, tiers: list[list[str]], title_i: int) -> str | None:
    """The body whose name has one of the head words ("court", "bank"): tier by tier (title_owners.tsv
    separates tiers with ">"), the publisher first, then the first body of the tier the article names (its
    lead names the court that sits, the bank that decides); "@region" is the first region named."""
    publisher = ctx.table.lookup(ctx.document.publisher, "Organisation") if ctx.document.publisher else None
    for tier in tiers:
        if tier == ["@region"]:
            region = first_region(ctx)
            if region:
                return region
            continue
        # a university's own release: its professors are its own
        for key in ([publisher] if publisher else []) + [placed.key for placed in ctx.placed]:
            if _named_by_head(ctx.entities[key], tier):
                return key
    return None


def _named_by_head(entity, heads: list[str]) -> bool:
    names = [name.lower().replace("-", " ").split() for name in (entity.label, *entity.aliases)]
    if entity.kind == "Organisation":
        return any(head in words for words in names for head in heads)
    # a place by its own head ("Nairobi City County"), not "Parliament Buildings"
    return entity.kind in ("Place", "Country") and any(words[-1:] == [head] for words in names for head in heads)


def extract_posts(ctx) -> list[Fact]:
    defaults = load_table("title_owners.tsv")
    ctx.memo["ranked_posts"] = {row["role"] for row in defaults if row.get("heads")}
    finder = PostFinder(ctx)
    people = [p for p in ctx.placed if ctx.kind(p.key) == "Person"]
    raw = []
    for person in people:
        for role, owner, title_i in finder.posts_of(person):
            raw.append((person, role, owner, title_i))
    raw += _listed_after_plural_titles(ctx, raw)
    raw += _counterparts(ctx, raw)
    owners_by_role = {role: owner for _, role, owner, _ in raw if owner}
    named = [(person.key, role, owner) for person, role, owner, _ in raw if owner]
    sentence_of = {title_i: ctx.doc[title_i].sent.start for _, _, _, title_i in raw}
    mentions = {kind: Counter(p.key for p in ctx.placed if ctx.kind(p.key) == kind)
                for kind in ("Country", "Organisation")}
    rule = get_rule("post-title")
    facts, resolved = [], []
    for person, role, owner, title_i in raw:
        confidence = rule.confidence
        row = next((row for row in defaults if role.startswith(row["role"])), None)
        if owner is None and role.lower() in ctx.lex.style_titles and any(key == person.key for key, _, _ in named):
            continue      # "Professor Hayashi" after "the President of Kyoto University, Professor Kenichi Hayashi"
        if owner is None:
            # "Deputy Prime Minister Ruiz" after "… Minister of Trade of Freedonia Ana Ruiz"
            owner = _own_other_post(ctx, person.key, role, row, named) or next(
                # "Board chair X, vice chair Y": the vice chair of the chair's body
                (o for _, r, o, t in raw if o and r != role and role.lower().endswith(" " + r.lower())
                 and sentence_of[t] == sentence_of[title_i]), None)
        if owner is None and row and row.get("heads"):
            # "Justice X" in a story that names the High Court; "Speaker X" and the National Assembly
            owner = owner_by_heads(ctx, [tier.split("|") for tier in row["heads"].split(">")], title_i)
            confidence = rule.confidence_of("default-owner")
        if owner is None and row and row.get("owner"):
            # "President X" in an article about one country; "Chief Executive X" in a company story
            kind = row["owner"]
            if kind == "Country" and role in ("President", "Vice President") and ctx.doc[title_i].text.islower():
                kind = "Organisation"     # "outgoing president X" of the federation: a head of state is "President X"
            # "President Kang and Vietnamese President Tran": the same title with another owner in the sentence
            others = {o for p, r, o, t in raw if o and r == role and p.key != person.key
                      and sentence_of[t] == sentence_of[title_i]}
            owner = (finder.sentence_body(title_i) if kind == "Organisation" and not owners_by_role.get(role) else None) \
                or default_owner(ctx, kind, role, owners_by_role, mentions, others)
            confidence = rule.confidence_of("default-owner")
        elif owner is None and row is None and role in ("Secretary", "Commissioner") and title_i > 0 \
                and ctx.doc[title_i - 1].text[:1].isupper() and ctx.doc[title_i - 1].lower_ in ctx.lex.portfolios:
            # "Energy Secretary X", "Trade Commissioner X": a portfolio makes it a government's post
            owner = default_owner(ctx, "Country", role, owners_by_role, mentions)
            confidence = rule.confidence_of("default-owner")
        if not owner:
            continue      # "Ambassador X" alone: a post of no one we can name is no fact
        resolved.append((person, role, owner, title_i, confidence))
    for person, role, owner, title_i, confidence in resolved:
        if any(key == person.key and other == owner and wider.startswith(role + " ")
               for key, wider, other in {(p.key, r, o) for p, r, o, _, _ in resolved}):
            continue      # "Minister Otgonbayar" after "Minister of Economy and Development of Mongolia B.Otgonbayar"
        owner_label = ctx.entities[owner].label
        label = f"{role} of {owner_label}"
        found = title_match(ctx.doc, title_i, ctx.lex)
        said = _as_written(ctx.doc[_portfolios_before(ctx, title_i):title_i + found[0]].text) if found else None
        aliases = (f"{said} of {owner_label}",) if said and said.lower() != role.lower() else ()
        post = ctx.table.add("Position", label, aliases=aliases, role=role, method="post")
        sentence = ctx.sentence_span(ctx.doc[title_i].sent)
        facts.append(Fact(person.key, "holdsPosition", EntityRef(post), sentence, confidence, rule.name))
        facts.append(Fact(post, "positionOf", EntityRef(owner), sentence, confidence, rule.name))
    return facts + get_rule("byline-title").function(ctx)


BYLINE_TITLE = re.compile(r"^By\s+(?P<name>[^,\n]{3,60}?)(?:,\s*|\s*\n)(?P<title>[A-Z][\w&'’\- ]{2,60}?)\s*$",
                          re.MULTILINE)


def byline_posts(ctx) -> list[Fact]:
    """"By Sophie Lang, State Political Reporter" (or the title on the line after the byline): the author holds
    that post at the publisher (data/lexicon/byline_titles.txt: the title's last word says a journalist's)."""
    document, table = ctx.document, ctx.table
    head = document.text[:600]
    match = BYLINE_TITLE.search(head)
    publisher = table.lookup(document.publisher, "Organisation") if document.publisher else None
    if not match or not publisher or not document.author \
            or norm(match.group("name")) != norm(document.author):
        return []
    title = match.group("title").split()
    if title[-1].lower() not in load_words("byline_titles.txt") \
            or {w.lower() for w in title} & load_words("byline_desks.txt"):
        return []       # ("Staff Reporter": the desk, not a post)
    if len(title) > 1 and (norm(title[0]) == norm(document.publisher)
                           or norm(title[0]) in {norm(a) for a in table.entities[publisher].aliases}):
        title = title[1:]       # "AAP Political Reporter": the publisher's name is the owner, not the title
    author = table.lookup(document.author, "Person")
    if not author:
        return []
    role = " ".join(title)
    rule = get_rule("byline-title")
    post = table.add("Position", f"{role} of {table.entities[publisher].label}", role=role, method="post")
    evidence = Span(match.start(), match.end())
    return [Fact(author, "holdsPosition", EntityRef(post), evidence, rule.confidence, rule.name),
            Fact(post, "positionOf", EntityRef(publisher), evidence, rule.confidence, rule.name)]


def _portfolios_before(ctx, title_i: int) -> int:
    """Where "Youth and Sports Minister", "Agriculture and Food Security Minister" begin: capitalised
    portfolio words joined by "and" or commas before a title that starts with one (title_i)."""
    doc, k = ctx.doc, title_i
    while k >= 1 and doc[k - 1].text[:1].isupper() and doc[k - 1].lower_ in ctx.lex.portfolios and not ctx.at(k - 1):
        k -= 1      # "Energy Secretary"
    while k >= 2 and doc[k - 1].lower_ in ("and", ",", "&") and doc[k - 2].text[:1].isupper() \
            and doc[k - 2].lower_ in ctx.lex.portfolios and not ctx.at(k - 2):
        k -= 2
        while k >= 1 and doc[k - 1].text[:1].isupper() and doc[k - 1].lower_ in ctx.lex.portfolios \
                and not ctx.at(k - 1):
            k -= 1
    return k


def _as_written(title: str) -> str:
    """"foreign minister" → "Foreign Minister"; "MP" stays "MP"."""
    small = {"of", "for", "and", "the", "on"}
    return " ".join(w if w.isupper() or w in small or w[:1].isupper() else w.capitalize() for w in title.split())
