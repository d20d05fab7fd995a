"""Organisation rules: where a body is headquartered and what it is part of."""

from __future__ import annotations

import re

from ...lexicon import load_words
from ..model import EntityRef
from . import rule
from .site import Site

ORGS = ("Organisation",)
PLACES = ("Place", "Country")
HEADQUARTERS = {"in": re.compile(r"\b(?:headquartered|based|seated)\s+in\s*$", re.I),
                # "headquartered at Jodrell Bank", "headquartered near Townsville" ("based at" is often a plan)
                "at": re.compile(r"\bheadquartered\s+at\s*$", re.I),
                "near": re.compile(r"\bheadquartered\s+near\s*$", re.I)}
OWNER_POSSESSIVES = ("its", "their")


@rule("where-headquartered")
def where_headquartered(site: Site):
    """"… in Djibouti, where IGAD is headquartered"."""
    tok, sent, doc = site.token, site.sent, site.doc
    if not (tok.i + 1 < sent.end and doc[tok.i - 1].lower_ in ("is", "are", "was") and doc[tok.i + 1].lower_ != "in"):
        return []
    org = site.ctx.at(tok.i - 2)
    if not org or site.kind(org.key) not in ORGS or org.start < 2 or doc[org.start - 1].lower_ != "where":
        return []
    j = org.start - 3 if doc[org.start - 2].text == "," else org.start - 2
    place = site.ctx.at(j)
    if place and site.kind(place.key) in PLACES:
        return site.fact(org.key, "headquarters", EntityRef(place.key))
    return []


@rule("headquartered-in")
def headquartered_in(site: Site):
    """"The secretariat, which is headquartered in Georgetown", "headquartered at Jodrell Bank"."""
    tok, sent, ctx = site.token, site.sent, site.ctx
    if not HEADQUARTERS[tok.lower_].search(site.text[sent.start_char:tok.idx] + tok.lower_):
        return []
    places = [p for p in ctx.within(tok.i + 1, min(sent.end, tok.i + 7), PLACES)
              if not any(t.text in (",", ";") for t in site.doc[tok.i + 1:p.start])]
    if not places:
        return []
    # "Fjordline Aqua AS, a privately owned fish farmer based in Florø": the name the appositive describes
    doc, k = site.doc, tok.i - 1
    while k > sent.start and doc[k].text.islower() and doc[k].pos_ in ("ADJ", "NOUN", "ADV", "VERB", "PUNCT") \
            and doc[k].lower_ not in ("a", "an", "the", "which", "that") and tok.i - k < 8:
        k -= 1
    if doc[k].lower_ in ("a", "an") and k - 1 > sent.start and doc[k - 1].text == ",":
        named = ctx.at(k - 2)
        if named and site.kind(named.key) in ORGS:
            return site.fact(named.key, "headquarters", EntityRef(places[0].key))
    subject = site.refs.subject_before(tok.i, sent, ORGS)
    return site.fact(subject, "headquarters", EntityRef(places[0].key))


@rule("has-headquarters")
def has_headquarters(site: Site):
    """"It has its headquarters in Helsinki", "Its secretariat is in Istanbul", "the association's
    headquarters in Colombo", "the Department of Energy (DOE) headquarters in Taguig": the seat
    (data/lexicon/headquarters_nouns.txt) of the body that owns it, in the place after it."""
    tok, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    if not tok.text.islower() or tok.i == sent.start:
        return []
    j = tok.i + 1
    if j < sent.end and doc[j].lower_ in ("is", "are", "was", "were"):
        j += 1
    if not (j + 1 < sent.end and doc[j].lower_ == "in"):
        return []
    place = ctx.at(j + 1)
    if not place or place.start != j + 1 or site.kind(place.key) not in PLACES:
        return []
    return site.fact(_seat_owner(site, doc[tok.i - 1]), "headquarters", EntityRef(place.key))


def _seat_owner(site: Site, before) -> str | None:
    """Whose seat "… headquarters" is: the body of "its" (the clause's subject), of "X's" or "the
    bank's", or the name right before it; a qualified seat ("its European headquarters") is none."""
    doc, ctx, sent = site.doc, site.ctx, site.sent
    if before.lower_ in OWNER_POSSESSIVES:
        if before.i == sent.start and sent.start > 0:
            # "… has five member states. Its secretariat is in Istanbul": the body the last sentence was about
            previous = doc[sent.start - 1].sent
            found = site.refs.clause_subject(previous.root.i, ORGS)
            if found:
                return found
        return site.refs.subject_before(before.i, sent, ORGS)
    if before.text in ("'s", "’s") and before.i > sent.start:
        named = ctx.at(before.i - 1)
        if named:
            return named.key if site.kind(named.key) in ORGS else None
        return site.refs.body_called(doc[before.i - 1])
    if before.text == ")" and before.i > sent.start:      # "the Department of Energy (DOE) headquarters"
        before = doc[before.i - 1]
    named = ctx.at(before.i)
    if not named or named.end != before.i + 1 or site.kind(named.key) not in ORGS or before.pos_ == "ADJ":
        return None
    return None if named.start > 0 and doc[named.start - 1].lower_ in OWNER_POSSESSIVES else named.key


@rule("place-based")
def place_based(site: Site):
    """"the London-based International Chamber of Shipping", "the Rome-based agency"."""
    tok, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    if tok.i < 2 or doc[tok.i - 1].text not in ("-", "‐"):
        return []
    place = ctx.at(tok.i - 2)
    if not place or site.kind(place.key) not in PLACES:
        return []
    if place.start >= 2 and doc[place.start - 1].lower_ in ("a", "an") and doc[place.start - 2].text == ",":
        # "Climate Analytics, a Berlin-based research group": the name the appositive describes,
        # not a body whose name shares the description's words
        named = _appositive_based(site, place)
        if named:
            return named
    j = tok.i + 1
    while j < sent.end and doc[j].pos_ in ("ADJ", "NOUN", "PROPN") and not ctx.at(j) and j < tok.i + 4:
        head = site.refs.described(doc[j], ORGS)
        if head:
            return site.fact(head, "headquarters", EntityRef(place.key), "described")
        j += 1
    org = ctx.at(j)
    if org and site.kind(org.key) in ORGS:
        return site.fact(org.key, "headquarters", EntityRef(place.key))
    return _appositive_based(site, place)


def _appositive_based(site: Site, place):
    """"the ICS, a London-based industry association": the name the appositive describes."""
    sent, doc, ctx = site.sent, site.doc, site.ctx
    k = place.start - 1
    if k > sent.start + 2 and doc[k].text in ("'s", "’s") and doc[k - 1].text.islower() and doc[k - 2].lower_ == "the":
        k -= 2      # "World Athletics, the sport's Monaco-based governing body"
    while k > sent.start and doc[k].lower_ in ("a", "an", "the"):
        k -= 1
    if not (k > sent.start and doc[k].text == ","):
        return []
    named = ctx.at(k - 1)
    if named and site.kind(named.key) in ORGS:
        return site.fact(named.key, "headquarters", EntityRef(place.key), "described")
    if k >= 2 and doc[k - 1].text == ")":
        named = ctx.at(k - 2)
        if named and site.kind(named.key) in ORGS:
            return site.fact(named.key, "headquarters", EntityRef(place.key), "described")
    return []


@rule("within")
def within(site: Site):
    """"a food security entity within the OIC" → partOf."""
    tok, doc, ctx = site.token, site.doc, site.ctx
    if tok.i + 1 >= site.sent.end:
        return []
    target = ctx.at(tok.i + 1 + (doc[tok.i + 1].lower_ == "the"))
    if not target or site.kind(target.key) not in ORGS:
        return []
    prev = doc[tok.i - 1]
    subject = ctx.at(prev.i)
    key = subject.key if subject and site.kind(subject.key) in ORGS else site.refs.described(prev, ORGS)
    return site.fact(key, "partOf", EntityRef(target.key))


@rule("unit-of")
def unit_of(site: Site):
    """"the IPU's Committee on …", "its Africa Regional Office", "the university's Department of Earth
    Science", "the Monetary Policy Committee (MPC) of the Bank of Ghana": a body whose name has a unit's
    head (data/lexicon/unit_heads.txt) is part of the body that owns it."""
    ctx, sent = site.ctx, site.sent
    heads = load_words("unit_heads.txt")
    out = []
    for unit in ctx.within(sent.start, sent.end, ORGS):
        words = re.split(r" (?:of|on|for) ", ctx.entities[unit.key].label.lower())[0].split()
        if not words or words[-1] not in heads:
            continue
        owner = _unit_owner_before(site, unit.start) or _unit_owner_after(site, unit.end)
        if owner and owner != unit.key and site.kind(owner) in ORGS:
            out += site.fact(unit.key, "partOf", EntityRef(owner))
    return out


def _unit_owner_before(site: Site, start: int) -> str | None:
    """"Y's [interim] X", "its X", "the university's X": the owner before the unit's name."""
    doc, ctx = site.doc, site.ctx
    k = start
    while k > site.sent.start and doc[k - 1].text.islower() and doc[k - 1].pos_ == "ADJ":
        k -= 1      # "the Legislature's interim Water and Natural Resources Committee"
    if k >= 1 and doc[k - 1].lower_ in OWNER_POSSESSIVES:
        return next((p.key for p in ctx.before(k - 1, ORGS, 150)), None)
    if k < 2 or doc[k - 1].text not in ("'s", "’s"):
        return None
    owner = ctx.at(k - 2)
    if owner and owner.end == k - 1:
        return owner.key
    noun = doc[k - 2].lower_
    if doc[k - 2].text.islower() and k >= 3 and doc[k - 3].lower_ == "the":
        # "the university's Department of …": the last body named with that word
        return next((p.key for p in ctx.before(k - 3, ORGS, 400)
                     if noun in ctx.entities[p.key].label.lower().split()), None)
    return None


def _unit_owner_after(site: Site, end: int) -> str | None:
    """"X (ACR) of the Y": the body named after the unit's name and its acronym."""
    doc = site.doc
    j = end
    if j + 2 < site.sent.end and doc[j].text == "(" and doc[j + 2].text == ")":
        j += 3
    if j == end or j + 1 >= site.sent.end or doc[j].lower_ != "of":
        return None     # without an acronym between, "of the Y" is part of the unit's own name
    j += 1 + (doc[j + 1].lower_ == "the")
    owner = site.ctx.at(j)
    return owner.key if owner and owner.start == j else None
