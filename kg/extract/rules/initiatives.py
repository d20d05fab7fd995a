"""Initiative rules: who initiated, founded or proposed a body or event, and where and when."""

from __future__ import annotations

import re
from functools import cache

from ...lexicon import load_words
from ..lexicon import lexicon, participles_before_by
from ..model import EntityRef
from ..tokens import tokens
from . import get, rule
from .site import Site

EVENTS = ("Event",)
INSTITUTIONS = ("Organisation", "Event")
INITIATIVES = INSTITUTIONS + ("Document",)     # a plan or strategy is initiated too (ontology: kg:initiatedBy)
AGENTS = ("Person", "Organisation", "Country")
ESTABLISHING = ("establish", "set", "create", "launch")
ORDINAL = re.compile(r"^(?:\d+(?:st|nd|rd|th)|(?:19|20)\d{2})$", re.I)


@cache
def passive_initiative() -> re.Pattern:
    """"initiated by", "founded in 1998 by", "set up by": data/lexicon/initiative_participles.txt
    before "by". (None of them is an organiser verb, so organised-by and this rule never both fire.)"""
    return participles_before_by(lexicon().initiative_participles, r"(?:\s+in\s+(?:19|20)\d{2})?")


@rule("initiated-by")
def initiated_by(site: Site):
    """"The council was initiated by Freedonia", "Founded in 1998 by X, Acme now employs …"."""
    by_tok, sent, doc, refs = site.token, site.sent, site.doc, site.refs
    if not passive_initiative().search(site.text[sent.start_char:by_tok.idx] + "by"):
        return []
    agent = refs.agent_after(by_tok.i + 1, sent)
    if not agent or site.kind(agent) == "Document":
        return []
    verb = next((t for t in reversed(doc[sent.start:by_tok.i]) if t.pos_ == "VERB"), doc[by_tok.i - 1])
    subject = refs.subject_before(verb.i, sent, INITIATIVES)
    if subject is None and verb.i - sent.start <= 1 and verb.dep_ in ("advcl", "acl", "ROOT"):
        # "Founded in 1998 by X, Tarang now employs …": the subject of the main clause
        for subj in (c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")):
            placed = site.ctx.at(subj.i)
            subject = placed.key if placed and site.kind(placed.key) in INSTITUTIONS else None
    return site.fact(subject, "initiatedBy", EntityRef(agent)) + proposed_at(site, subject)


@rule("at-the-initiative-of")
def at_the_initiative_of(site: Site):
    """"… was convened at the initiative of Kenyanstan"."""
    tok, sent = site.token, site.sent
    if not _at_the_initiative(site):
        return []
    start = tok.i - 2 - (site.doc[tok.i - 1].lower_ != "the")
    subject = site.refs.subject_before(start, sent, INSTITUTIONS)
    out = [fact for agent in site.refs.agents_listed(tok.i + 2, sent)
           for fact in site.fact(subject, "initiatedBy", EntityRef(agent))]
    return out + proposed_at(site, subject)


def _at_the_initiative(site: Site) -> bool:
    """"at the initiative of", "on the joint initiative of", "upon the initiative of"."""
    tok, sent, doc = site.token, site.sent, site.doc
    k = tok.i - 1 - (tok.i > 1 and doc[tok.i - 1].lower_ in ("joint", "personal", "original"))
    return tok.i + 2 < sent.end and doc[tok.i + 1].lower_ == "of" and k >= 1 \
        and doc[k].lower_ == "the" and doc[k - 1].lower_ in ("at", "on", "upon")


@rule("agent-initiative")
def agent_initiative(site: Site):
    """"Kenya's initiative to establish the agency", "Another success story of Kenya's international
    initiative was the Congress …"."""
    tok, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    if tok.i + 1 >= sent.end or _at_the_initiative(site):
        return []
    k = tok.i - 1
    while k > sent.start and doc[k].pos_ == "ADJ":
        k -= 1
    if doc[k].text not in ("’s", "'s"):
        return []
    placed = ctx.at(k - 1)
    owner = placed.key if placed and site.kind(placed.key) in AGENTS else None
    if not owner:
        return []
    if placed.start > sent.start + 1 and doc[placed.start - 1].lower_ == "at":
        # "X was proposed at the summit in 2024 at Kenya's initiative": the clause's subject
        subject = site.refs.subject_before(placed.start - 1, sent, INSTITUTIONS)
        return site.fact(subject, "initiatedBy", EntityRef(owner)) + proposed_at(site, subject)
    # "… initiative to establish the X" / "… initiative was the X"
    for j in range(tok.i + 1, min(sent.end, tok.i + 6)):
        placed = ctx.at(j)
        if placed and site.kind(placed.key) in INSTITUTIONS:
            return site.fact(placed.key, "initiatedBy", EntityRef(owner))
    return []


@rule("agent-initiated")
def agent_initiated(site: Site):
    """"Kenyanstan … initiated other initiatives such as the OSCE, the Davos forum …", "X is
    proposing to establish Y"."""
    verb, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    if verb.pos_ != "VERB" or verb.dep_ == "amod" or (verb.i + 1 < sent.end and doc[verb.i + 1].lower_ == "by"):
        return []
    agent = None
    subjects = [c for c in verb.children if c.dep_ == "nsubj"] or (
        [c for c in verb.head.children if c.dep_ == "nsubj"]
        if verb.dep_ == "conj" and verb.head.lower_ in ctx.lex.speech_verbs else [])
    for subj in subjects:       # ("X said … and proposed …": the subject of the verb of saying)
        placed = ctx.at(subj.i)
        if placed and site.kind(placed.key) in AGENTS:
            agent = placed.key
        elif subj.lower_ in ("it", "they"):
            for prev in ctx.before(subj.i, ("Country", "Organisation"), 80):
                agent = prev.key
                break
        elif subj.lower_ in ("he", "she"):
            for prev in ctx.before(subj.i, ("Person",), 120):
                agent = prev.key        # "He proposed setting up a joint working group": the person last named
                break
    if not agent:
        return []
    announcer = announced_initiative(site)
    out = []
    for placed in _objects_listed(site):
        # a body proposed before it has a name: the fact is that reading's (rule proposed-body)
        proposed = any(m.method == "proposed-body" for m in ctx.entities[placed.key].mentions)
        out += site.fact(placed.key, "initiatedBy", EntityRef(agent), rule=get("proposed-body") if proposed else None)
        if announcer and announcer != agent:
            out += site.fact(placed.key, "initiatedBy", EntityRef(announcer), rule=get("announced-initiative"))
        out += proposed_at(site, placed.key)
    return out


def _objects_listed(site: Site):
    """The institutions the verb names, up to the end of the object list (a new clause ends it)."""
    verb, doc = site.token, site.doc
    listed = []
    for placed in site.ctx.within(verb.i + 1, site.sent.end, INSTITUTIONS):
        between = doc[(listed[-1].end if listed else verb.i + 1):placed.start]
        if any(t.dep_ == "mark" or t.pos_ == "VERB" and not t.lower_.startswith(ESTABLISHING) for t in between):
            break
        k = placed.start - 1 - (doc[placed.start - 1].lower_ in ("a", "an", "the"))
        if doc[k].lower_ in ("at", "during"):
            break       # "proposed the laboratory at a workshop": where it was proposed, not what
        listed.append(placed)
    return listed


@rule("announced-initiative")
def announced_initiative(site: Site) -> str | None:
    """"President X announced that Y is proposing …": X speaks for the initiative (called by
    agent-initiated, which records the fact under this rule's name)."""
    head = site.token.head
    while head is not None and head.i != head.head.i and head.dep_ not in ("ROOT",):
        head = head.head
    if head is None or head.lower_ not in site.ctx.lex.speech_verbs:
        return None
    for subj in (c for c in head.children if c.dep_ == "nsubj"):
        placed = site.ctx.at(subj.i)
        if placed and site.kind(placed.key) == "Person":
            return placed.key
    return None


@rule("proposed-at-event")
def proposed_at_event(site: Site):
    """"The fund, proposed at the 2018 summit in Bucharest, …", "The mission was proposed at the ESA
    Council in Seville in 2019": where an initiative was proposed, its proposer unnamed."""
    tok, sent, doc = site.token, site.sent, site.doc
    if tok.pos_ != "VERB" or tok.i + 2 >= sent.end or doc[tok.i + 1].lower_ != "at":
        return []
    if re.search(r"\binitiative\b|\bby\b", site.sent_text, re.I):
        return []       # an initiator is named: the initiative rules place the proposal themselves
    subject = site.refs.subject_before(tok.i, sent, INITIATIVES)
    return proposed_at(site, subject, found_by=get("proposed-at-event")) if subject else []


@rule("proposed-at")
def proposed_at(site: Site, subject, found_by=None):
    """"… at the 47th Session of the UN General Assembly in October 1992": where and when the
    initiative ``subject`` was proposed (called by the initiative rules)."""
    if not subject:
        return []
    doc, this = site.doc, get("proposed-at")
    for placed in site.ctx.within(site.sent.start, site.sent.end, EVENTS):
        k = placed.start - 1
        while k > site.sent.start and ORDINAL.match(doc[k].text):
            k -= 1      # "at the 7th Gas Summit", "at the 2018 Summit": the edition before the name
        owner = site.ctx.at(k) if k > site.sent.start else None
        if owner is not None and site.kind(owner.key) in ("Organisation", "Country") and owner.end == k + 1:
            k = owner.start - 1     # "at the CAA congress in Saint-Pierre": the body whose event it is
        if placed.key == subject or k < 1 or doc[k].lower_ not in ("at", "the"):
            continue
        if doc[k].lower_ == "the" and doc[k - 1].lower_ != "at":
            continue
        out = site.fact(subject, "proposedAt", EntityRef(placed.key), rule=found_by or this)
        dates = [f for f in site.found if f.subject == placed.key and f.predicate == "date"]
        if dates:
            return out + site.fact(subject, "proposalDate", dates[-1].value, "event-date", rule=this)
        from ..dates import find_dates
        months = [d.value for d in find_dates(site.sent_text, site.anchor) if d.value.month]
        if months:
            return out + site.fact(subject, "proposalDate", months[0], "month-in-sentence", rule=this)
        return out
    return []


PROPOSING = ("propose", "proposes", "proposed", "proposing", "suggest", "suggests", "suggested", "suggesting")
SETTING_UP = ("establishing", "setting", "creating", "forming", "launching", "building", "establish", "set", "create",
              "form", "launch", "build")
FORUMS = ("dialogue", "forum")


@rule("proposed-body")
def proposed_body(ctx) -> list:
    """"He proposed setting up a joint working group on logistics", "Kenya proposed a joint laboratory team",
    "Freedonia's initiative for a regional space agency": a body or forum proposed before it has a name is an
    entity of its own (data/lexicon/proposed_body_nouns.txt), which agent-initiated then dates and ascribes.
    A document-scope pass over the entity table before mentions are indexed; returns no facts."""
    doc, table = ctx.doc, ctx.table
    heads = load_words("proposed_body_nouns.txt")
    taken = {i for p in table.placed for i in range(p.start, p.end)}
    cues = set(PROPOSING) | {"initiative"}
    for i in [i for i, word in enumerate(tokens(doc).lower) if word in cues]:   # (a list scan, not doc[i] each)
        tok = doc[i]
        if not (tok.lower_ in PROPOSING and tok.pos_ == "VERB" or tok.lower_ == "initiative"
                and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "for"):
            continue
        k = tok.i + 1 + (doc[tok.i + 1].lower_ == "for" if tok.i + 1 < len(doc) else 0)
        if k < len(doc) and doc[k].lower_ in SETTING_UP:
            k += 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "up")
        if k >= len(doc) or doc[k].lower_ not in ("a", "an"):
            continue
        found = _proposed_phrase(doc, k + 1, heads, taken)
        if found is None:
            continue
        head_end, end = found
        span = doc[k + 1:end]
        label = span.text
        aliases = [doc[k + 1:head_end].text] if end > head_end else []
        kind = "Event" if doc[head_end - 1].lower_ in FORUMS else "Organisation"
        table.add(kind, label, aliases=aliases, mention=(span.start_char, span.end_char, span.text),
                  tokens=(k + 1, end), method="proposed-body")
        taken.update(range(k + 1, end))
    return []


def _proposed_phrase(doc, start: int, heads, taken) -> tuple[int, int] | None:
    """(end of the head, end of the phrase) of "joint working group [on logistics]" starting at token
    ``start``: modifiers (lower case, or a proper adjective such as "Indonesia-Chile", "Turkic"), a head
    noun of the list, and a short complement "on X" / "of the two parliaments"."""
    j = start
    while j < len(doc) and j - start < 6 and j not in taken and (
            doc[j].pos_ in ("ADJ", "NOUN", "PROPN", "PUNCT", "NUM") or doc[j].tag_ == "VBG") \
            and doc[j].text not in (",", ".", ";", ":", "(", ")", "“", "\""):
        j += 1      # ("working" in "a joint working group" is tagged a gerund)
    # the longest list noun the run ends in ("working group" before "group")
    for head_end in range(j, start, -1):
        two = f"{doc[head_end - 2].lower_} {doc[head_end - 1].lower_}" if head_end - 2 >= start else None
        if doc[head_end - 1].text.islower() and (doc[head_end - 1].lower_ in heads or two in heads):
            break
    else:
        return None
    end = head_end
    if end + 1 < len(doc) and doc[end].lower_ in ("on", "of", "for") and doc[end + 1].text.islower():
        k = end + 1 + (doc[end + 1].lower_ == "the")
        while k < len(doc) and k - end <= 4 and doc[k].text.islower() and doc[k].is_alpha and doc[k].pos_ in (
                "NOUN", "ADJ", "NUM") or k < len(doc) and doc[k].lower_ in ("two", "three"):
            k += 1
        if k > end + 1 and doc[k - 1].pos_ == "NOUN":
            end = k
    return head_end, end
