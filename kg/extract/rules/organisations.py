"""Organisation rules: where a body is headquartered and what it is part of."""

from __future__ import annotations

import re

from ..model import EntityRef
from . import rule
from .site import Site

ORGS = ("Organisation",)
PLACES = ("Place", "Country")
HEADQUARTERS = re.compile(r"\b(?:headquartered|based|seated)\s+in\s*$", re.I)


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
    """"The secretariat, which is headquartered in Georgetown"."""
    tok, sent, ctx = site.token, site.sent, site.ctx
    if not HEADQUARTERS.search(site.text[sent.start_char:tok.idx] + "in"):
        return []
    places = [p for p in ctx.within(tok.i + 1, min(sent.end, tok.i + 7), PLACES)
              if not any(t.text in (",", ";") for t in site.doc[tok.i + 1:p.start])]
    subject = site.refs.subject_before(tok.i, sent, ORGS)
    return site.fact(subject, "headquarters", EntityRef(places[0].key)) if places else []


@rule("place-based")
def place_based(site: Site):
    """"the London-based International Chamber of Shipping", "the Rome-based agency"."""
    tok, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    if tok.i < 2 or doc[tok.i - 1].text not in ("-", "‐"):
        return []
    place = ctx.at(tok.i - 2)
    if not place or site.kind(place.key) not in PLACES:
        return []
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
    tok, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    k = tok.i - 3
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
