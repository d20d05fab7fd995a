"""Count rules: how many members a body has, how many people a country has."""

from __future__ import annotations

import re
from functools import cache

from ...lexicon import load_words
from . import rule
from .site import Site


@cache
def membership_heads() -> frozenset[str]:
    return load_words("membership_heads.txt")

ORGS = ("Organisation",)
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                            "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
                                            .split())}
NUMBER = r"(\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
COUNTS = {
    "memberCount": re.compile(NUMBER + r"\s+member\s+(?:states|countries|nations|organisations|organizations)\b", re.I),
    "observerCount": re.compile(NUMBER + r"\s+observer\s+(?:states|countries|organisations|organizations|members)\b", re.I),
    "partnerCount": re.compile(NUMBER + r"\s+partner\s+(?:states|countries|organisations|organizations)\b", re.I),
}
# "which has about 1,000 members", "represents 41 commercial banks", "brings together ten countries",
# "whose four members": a count of the body's own members when a verb of having or grouping leads to it
MEMBERS = re.compile(r"(?:about|some|around|nearly|more than|over|almost)?\s*" + NUMBER +
                     r"\s+(?:[A-Za-z][\w\-]*\s+){0,6}?(?:members|countries|states|nations|banks|companies|councils|associations|"
                     r"federations|societies|unions|businesses|firms|mills|clubs|parliaments|deputies|senators|"
                     r"lawmakers|municipalities|universities|cities|schools|hospitals|cooperatives|producers|"
                     r"employers|operators|airlines|insurers|chambers)\b", re.I)
GROUPING = re.compile(r"\b(?:has|have|having|represents|representing|brings\s+together|bringing\s+together|"
                      r"comprises|comprising|groups|unites|whose|of\s+its|association\s+of)\b(?:\s+(?:its\s+headquarters|its\s+secretariat)"
                      r"\s+in\s+[A-Z][\w\s]{0,30}?\s+and)?\s*(?:about|some|around|nearly|more than|over|almost|all)?\s*$",
                      re.I)
ALL_MEMBERS_OF = re.compile(r"\b(?:all|the)\s+" + NUMBER + r"\s+(?:members|member\s+[a-z]+|seats)\s+(?:of|in)\s+",
                            re.I)
CURRENT = re.compile(r"\b(today|now|currently|at present|presently)\b[^.;]*$", re.I)
CURRENT_NEAR = re.compile(r"\b(today|now|currently)\b", re.I)
# "has 28 member states", "today having 28 …", "with 27 member states": a count of the body's own
# members, not "27 member states agreed …"
OWN_COUNT = re.compile(r"\b(has|have|having|with|comprises|comprising|counts|numbers|includes|including|grown to|now)"
                       r"\b[^.;]{0,60}$|\b(?:organi[sz]ation|bloc|group|grouping|union|alliance|forum|body|agency)\s+of\s*$",
                       re.I)
POPULATION = re.compile(r"(?:with|has|of|having)\s+(?:a\s+population\s+of\s+)?(?:some|about|around|nearly|over|almost|"
                        r"roughly|approximately|more than)?\s*(\d[\d,]*(?:\.\d+)?)\s*(million|billion)?\s+"
                        r"(?:population|people|inhabitants|residents)", re.I)
POPULATION_OF = re.compile(r"\bpopulation\s+of\s+(?:some|about|around|nearly|over|almost|roughly|approximately|"
                           r"more than)?\s*(\d[\d,]*(?:\.\d+)?)\s*(million|billion)?", re.I)
SCALE = {"million": 1e6, "billion": 1e9}


def number(raw: str) -> int:
    raw = raw.lower().replace(",", "")
    value = NUMBER_WORDS.get(raw)
    return value if value is not None else int(float(raw))


@rule("all-members-of")
def all_members_of(site: Site):
    """"all 15 members of the CARICOM", "the 10 member states of the Association of …", "44 of the 79
    seats in the House of Representatives" → memberCount."""
    sent, doc = site.sent, site.doc
    out = []
    for match in ALL_MEMBERS_OF.finditer(site.sent_text):
        target = site.char_token(sent.start_char + match.end())
        if doc[target].lower_ == "the":
            target += 1
        placed = site.ctx.at(target)
        if placed and placed.start != target:
            continue        # "the 45 seats of the Bishkek City Kenesh": the body must start right there
        key = placed.key if placed and site.kind(placed.key) in ORGS else site.refs.described(doc[target], ORGS)
        raw = match.group(1).lower()
        value = NUMBER_WORDS.get(raw, None)
        out += site.fact(key, "memberCount", value if value is not None else int(raw.replace(",", "")))
    return out


# a count needs a number and one of the counted nouns ("member", "seat", "-nation" …; MEMBERS' list)
COUNT_HINT = re.compile(r"(?=.*(?:\d|\b(?:" + "|".join(NUMBER_WORDS) + r")\b))(?=.*(?:member|observer|partner|seat|"
                        r"nation|countr|states|bank|compan|council|association|federation|societ|union|business|"
                        r"firm|mill|club|parliament|deput|senator|lawmaker|municipalit|universit|cit|school|hospital|"
                        r"cooperative|producer|employer|operator|airline|insurer|chamber|judge))", re.I | re.S)
MEMBERED = re.compile(r"\b" + NUMBER + r"-(?:member|seat|nation|country|judge)\s+", re.I)


def _membered(site: Site) -> list:
    """"the 16-member Southern African Development Community", "the National Assembly, the 349-member lower
    house": the body the count stands before, or the one the appositive describes."""
    out, ctx, doc = [], site.ctx, site.doc
    for match in MEMBERED.finditer(site.sent_text):
        target = site.char_token(site.sent.start_char + match.end())
        placed = ctx.at(target)
        if placed and placed.start == target and site.kind(placed.key) in ORGS:
            out += site.fact(placed.key, "memberCount", number(match.group(1)))
            continue
        described = site.refs.described(doc[target], ORGS) if not placed and doc[target].text.islower() else None
        described = described or _described_after_count(site, match, target)
        if described:       # "the seven-member board", "the 27-nation bloc": the body the noun describes
            out += site.fact(described, "memberCount", number(match.group(1)))
            continue
        k = site.char_token(site.sent.start_char + match.start()) - 1
        if k >= 2 and doc[k].lower_ == "the" and doc[k - 1].text == ",":
            described = ctx.at(k - 2)
            if described and described.end == k - 1 and site.kind(described.key) in ORGS:
                out += site.fact(described.key, "memberCount", number(match.group(1)))
    return out


def _described_after_count(site: Site, match, target: int) -> str | None:
    """"the 15-member regional grouping", "the 27-nation bloc", "16 of the 18-member Forum": after "the" and the
    count, a word for a body (adjectives before it) or the last word of a body's name refers to the body
    named last before it."""
    doc, ctx = site.doc, site.ctx
    k = site.char_token(site.sent.start_char + match.start()) - 1
    if k < 0 or doc[k].lower_ not in ("the", "its"):
        return None
    head = target
    while head < site.sent.end and doc[head].text.islower() and (doc[head].pos_ == "ADJ" or doc[head].dep_ in (
            "amod", "compound") and doc[head].head.i > head):
        head += 1
    if head >= site.sent.end or ctx.at(head):
        return None
    word = doc[head].lower_
    named = [p for p in ctx.before(target, ORGS, target) if not (p.start > 0 and doc[p.start - 1].lower_ in ("told", "to"))]
    if doc[head].text.islower() and word in site.ctx.lex.org_nouns and named:
        same = [p for p in named if word in ctx.entities[p.key].label.lower().split()]
        # a body of the kind the word says ("the council"), else, for a word of no kind ("the bloc"), one
        # with members (data/lexicon/membership_heads.txt)
        same = same or [p for p in named if ctx.entities[p.key].label.lower().split()[-1] in membership_heads()]
        return same[0].key if same else None
    if doc[head].text[:1].isupper() and head + 1 < len(doc) and not doc[head + 1].text[:1].isupper():
        return next((p.key for p in named if ctx.entities[p.key].label.split()[-1] == doc[head].text), None)
    return None


@rule("count")
def count(site: Site):
    """"has 57 member states", "with 12 observer states", "today counts 28 partner countries"."""
    text, sent = site.sent_text, site.sent
    if not COUNT_HINT.match(text):
        return []       # no count of members in the sentence: skip the patterns
    out = []
    for predicate, pattern in COUNTS.items():
        matches = list(pattern.finditer(text))
        owned = [(m, _possessor(site, m.start())) for m in matches]
        out += [f for m, owner in owned if owner for f in site.fact(owner, predicate, number(m.group(1)))]
        matches = [m for m, owner in owned if not owner]
        current = [m for m in matches if CURRENT.search(text[:m.start()][-40:] + " ") or
                   CURRENT_NEAR.search(text[max(0, m.start() - 40):m.start()])]
        matches = [m for m in matches if OWN_COUNT.search(text[:m.start()])]
        if not matches:
            continue
        current = [m for m in current if m in matches]
        match = (current or matches)[-1]
        subject = site.refs.subject_before(site.char_token(sent.start_char + match.start()), sent, ORGS)
        out += site.fact(subject, predicate, number(match.group(1)))
    if not any(f.predicate == "memberCount" for f in out):
        out += _membered(site)
    if not any(f.predicate == "memberCount" for f in out):
        for match in MEMBERS.finditer(text):
            if GROUPING.search(text[:match.start()]):
                subject = site.refs.subject_before(site.char_token(sent.start_char + match.start(1)), sent, ORGS)
                out += site.fact(subject, "memberCount", number(match.group(1)))
                break
    return out


def _possessor(site: Site, start: int) -> str | None:
    """"the Council of Europe's 46 member states": the body whose possessive stands right before the count;
    "SADC said its 16 member states would help": the body "its" stands for."""
    k = site.char_token(site.sent.start_char + start) - 1
    if k >= 1 and site.doc[k].lower_ == "its":
        return site.refs.subject_before(k, site.sent, ORGS)
    if k < 1 or site.doc[k].text not in ("'s", "’s"):
        return None
    owner = site.ctx.at(k - 1)
    return owner.key if owner and owner.end == k and site.kind(owner.key) in ORGS else None


@rule("population")
def population(site: Site):
    """"Freedonia, with some 19.8 million people" → population 19800000."""
    sent, base = site.sent, site.sent.start_char
    out = []
    for match in [*POPULATION.finditer(site.sent_text), *POPULATION_OF.finditer(site.sent_text)]:
        places = site.ctx.within(sent.start, site.char_token(base + match.start()), ("Country",))
        if places:
            value = float(match.group(1).replace(",", "")) * SCALE.get((match.group(2) or "").lower(), 1)
            out += site.fact(places[-1].key, "population", int(round(value)))
    return out
