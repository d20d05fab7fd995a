"""Event rules: where and when an event took place, who organised it, its theme and editions."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from ...lexicon import load_words
from ..dates import MONTHS, FoundDate, find_dates
from ..lexicon import lexicon, participles_before_by
from ..model import DateValue, EntityRef, Fact, Span
from ..tokens import tokens
from . import get, rule
from .site import Site

EVENTS = ("Event",)
INSTITUTIONS = ("Organisation", "Event")
PLACES = ("Place", "Country")

SINCE = re.compile(r"\b(?:held|organi[sz]ed|convened|taking place|takes place|running)\b[^.;]{0,40}?\bsince\s+((?:19|20)\d{2})\b", re.I)
FIRST_HELD = re.compile(r"\bfirst\s+(?:held|organi[sz]ed|convened|staged|took place)\b", re.I)
LAST_HELD = re.compile(r"\bthe\s+last\s+(?:one\s+|being\s+|one\s+being\s+)?(?:held\s+)?in\s+((?:19|20)\d{2})\b", re.I)
THEME = re.compile(r"\b(?:themed|under\s+the\s+theme|with\s+the\s+theme|on\s+the\s+theme|theme\s+(?:was|is|will\s+be))"
                   r"\s*:?\s*[“\"]([^”\"]{3,200})[”\"]", re.I)
# after an event's name: "[, which] [will be|was] held", "took place", "to be held", "held" (the tense of the
# announcement), "in Oslo" or "in the Thai capital", then the date
HELD_AUX = (r"(?:(?:will|would|could|may|might|should|is\s+to|are\s+to|was\s+to|is\s+due\s+to|are\s+due\s+to|"
            r"is\s+expected\s+to|are\s+expected\s+to)\s+(?:be\s+)?|"
            r"(?:was|were|is|are|had\s+been|has\s+been|have\s+been|to\s+be)\s+)?")
HELD_VERB = r"(?:held|staged|convened|convene|convenes|took\s+place|take\s+place|takes\s+place|taking\s+place)"
HELD_AFTER = r"(?:\s*,?\s*(?:which\s+|that\s+)?" + HELD_AUX + HELD_VERB + r")"
AFTER_EVENT = re.compile(r"^(?:\s*\([^()\n]{1,15}\))?" + HELD_AFTER + r"?(?:\s+(?:in|at)\s+(?:the\s+)?[A-Z][\w’'\- ]{1,40}?"
                         r"(?:,\s+[A-Z][\w’'\- ]{1,30}?)?)?\s*(?:,\s*)?(?:on|in|from)\s+")
HELD_IN = re.compile(HELD_AFTER + r"\s+(?:in|at)\s+(?:the\s+)?")
HELD_THEN = re.compile(HELD_AFTER + r"\s+(?:in|at|on)\s+")
RANGE_JOINER = re.compile(r"^\s*(?:and|to|-|–|until)\s*$")
OPENING_CLOSING = {"open": "startDate", "begin": "startDate", "start": "startDate", "kick": "startDate",
                   "close": "endDate", "end": "endDate", "conclude": "endDate", "wrap": "endDate"}
# Their word forms, read instead of lemmas (newskg loads no lemmatizer, kg/nlp.py): every form spaCy's English
# rule lemmatizer gives one of these lemmas as a verb (its exceptions and suffix rules, odd spellings included).
OPENING_CLOSING_FORMS = {form: OPENING_CLOSING[lemma] for lemma, forms in {
    "open": "open opens opened opening openes",
    "begin": "begin begins began begun beginning begining begined begines",
    "start": "start starts started starting startes",
    "kick": "kick kicks kicked kicking kickes",
    "close": "close closes closed closing closeed closees closeing",
    "end": "end ends ended ending endes",
    "conclude": "conclude concludes concluded concluding concludeed concludees concludeing",
    "wrap": "wrap wraps wrapped wrapping wraped wrapes wraping",
}.items() for form in forms.split()}


@cache
def organised() -> re.Pattern:
    """"organised by", "hosted this year by": data/lexicon/organiser_participles.txt before "by"."""
    return participles_before_by(lexicon().organiser_participles, r"(?:\s+(?:this|last|each|every)\s+year|\s+jointly)?")


# ---------------------------------------------------------------- unnamed events
DATE_OWNER = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                        r"tomorrow|(?:19|20)\d{2}|night|evening|morning|afternoon)$", re.I)    # ("Monday night's")
EDITION_WORD = re.compile(r"^(?:(?:19|20)\d{2}|\d{1,3}(?:st|nd|rd|th))$")
UNNAMED_DETERMINERS = ("the", "a", "an", "its", "their", "his", "her", "this", "last", "next", "'s", "’s")
PLACE_KINDS = ("Place", "Country")
VISITS = ("visit", "tour", "trip")
BODY_GATHERINGS = ("meeting", "session", "summit", "congress", "plenary", "sitting", "assembly", "conference")        # "a visit to Mozambique": the place visited is where the occasion is


ADDRESSED = ("told", "tells", "telling", "addressed", "addresses", "addressing", "briefed", "briefing")
# the verb right before the date ("said Monday"); not _reported_on, which climbs the parse to the clause's verb and
# so also reads "During a visit … on Tuesday, X warned" as a day of saying
REPORTED_ON = re.compile(r"\b(?:said|says|told|announced|reported|confirmed|added)\s+(?:on\s+)?$", re.I)
ATTENDED = ("attended", "attends", "attending", "chaired", "chairs", "chairing", "hosted", "hosts", "hosting")


@cache
def event_nouns() -> frozenset[str]:
    return load_words("event_nouns.txt")


@rule("unnamed-event")
def unnamed_events(ctx) -> list:
    """"the board meeting in Doha on 4 June", "a public lecture at the University of X": an occasion
    without a proper name becomes an event when a place or a date follows it at once. Its label is
    the phrase ("board meeting"), with the place ("board meeting in Doha", "Doha board meeting") as
    other names. Runs on the entity table before mentions are indexed (a document-scope pass);
    returns the location facts of the place that made the phrase an event."""
    doc, table = ctx.doc, ctx.table
    this = get("unnamed-event")
    facts = []
    taken = {i for p in table.placed for i in range(p.start, p.end)}
    nouns = event_nouns()
    for tok in [doc[i] for i, word in enumerate(tokens(doc).lower) if word in nouns]:
        if tok.lower_ not in nouns or tok.i in taken or not tok.text.islower() or not (
                tok.pos_ == "NOUN" or tok.lower_ == "final" and tok.i - 1 in taken):
            continue        # ("the Pacific Nations Cup final": the tagger calls that "final" an adjective)
        start = _modifiers_start(doc, tok, taken)
        if start is None:
            continue
        if _part_of_event(ctx, start, taken):
            continue        # "the festival's opening ceremony": a part of the event named, not one of its own
        if _describes_named(ctx, start, taken):
            continue        # "the Caribbean Digital Security Summit, a one-day meeting in X": it describes that one
        body = _body_met(ctx, tok, taken) if tok.lower_ in BODY_GATHERINGS else None
        head = body or _complement_end(doc, tok, taken, table)  # "a meeting of humanitarian partners in N'Djamena"
        # where the place or date is looked for: after who the occasion brings together ("a briefing for
        # donors in Maputo"), which is no part of its name
        reach = (_participants_end(doc, tok, taken, table) or head) if head == tok else head
        place = _place_after(ctx, reach, taken) or _place_before(ctx, start, tok, taken) \
            or (_place_after(ctx, tok, taken, "to") or _visited_site(ctx, tok, taken) or _arrived_in(ctx, start, taken)
                if tok.lower_ in VISITS else None)
        text = ctx.document.text      # (doc.text would join every token again)
        held = HELD_THEN.match(text[reach.idx + len(reach.text):reach.idx + len(reach.text) + 60])
        owned = _owning_date(ctx, start) or _month_owned(ctx, start, tok)   # "Tuesday's sitting", "its April meeting"
        # "X told a news conference", "addressing the meeting": one the speaker spoke at, the story's own
        told = start >= 2 and doc[start - 2].lower_ in ADDRESSED and tok.lower_ in lexicon().gathering_nouns \
            and not (start == tok.i and doc[start - 1].lower_ in ("a", "an"))   # (a bare "told a briefing": any)
        # "who attended the G20 meeting", "chaired the board meeting": one particular occasion
        told = told or tok.lower_ in lexicon().gathering_nouns and (start < tok.i or tok.i - 1 in taken) \
            and _attended(doc, start, taken)
        if place is None and not held and not owned and not told and not body and not _date_after(ctx, reach, day=True) and (
                start == tok.i and head == tok or not _date_after(ctx, reach)):
            continue        # a bare "the meeting in May" is too vague to be an event of its own
        if place is None and not body and _refers_back(ctx, start, tok):
            continue        # "The two-day meeting, held on 12 May": the meeting named before, not a new one
        last = doc[place[3] - 1] if place is not None and place[3] > reach.i else reach
        if doc[start - 1].lower_ in ("a", "an") and not _date_after(ctx, last, day=True) and not held and not told \
                and not body and (start == tok.i or _date_after(ctx, last) and place is None):
            continue        # an indefinite mention is one occasion among others: a bare "a briefing in X", or one
            # recalled by its year with no place ("a meeting in 2021"); the story's own are dated ("a meeting in Y
            # on 12 June") or of a kind ("a press conference in Z"), and one with a place and a year is where
            # something happened ("proposed at a provincial stakeholders' meeting in Kabwe in 2016")
        label, aliases = _event_names(doc, start, tok, head, place, _owner_before(doc, table, start, taken))
        first = place[4] if place is not None and place[3] <= start else start
        # a topic or participants with no name inside belong to the mention ("a workshop on conservation
        # chemistry held in Kyoto"), so that the rules reading after it find the place and the date
        last_i = reach.i if reach.i > head.i and not any(i in taken for i in range(head.i + 1, reach.i + 1)) \
            else head.i
        if last_i > head.i:
            aliases.append(doc[start:last_i + 1].text)
        if body:
            last_i = tok.i      # the body keeps its own mention: the occasion's is the words before it
        span = doc[first:last_i + 1]
        key = table.add("Event", label, aliases=aliases, mention=(span.start_char, span.end_char, span.text),
                        tokens=(first, last_i + 1), method=this.name)
        taken.update(range(first, last_i + 1))
        sentence = Span(tok.sent.start_char, tok.sent.end_char)
        if place is not None and table.entities[place[2]].kind in PLACE_KINDS:
            facts.append(Fact(key, "location", EntityRef(place[2]), sentence, this.confidence, this.name))
        if owned is not None:
            facts.append(Fact(key, "date", owned, sentence, this.confidence, this.name))
    _next_meetings(ctx, taken, this)
    return facts


def _attended(doc, start: int, taken) -> bool:
    """Does a verb of taking part ("attended", "chaired", "hosted") stand before "the [name] <occasion>"?"""
    k = start - 1
    while k >= 0 and k in taken:
        k -= 1      # "the G20 meeting": past the name (a bare "chaired the meeting" is the one named before)
    return k >= 1 and doc[k].lower_ == "the" and doc[k - 1].lower_ in ATTENDED


def _month_owned(ctx, start: int, noun):
    """The month (and day) of "its April meeting", "council's April 14 meeting", or None."""
    doc = ctx.doc
    words = [t for t in doc[start:noun.i] if not t.is_punct]
    if not words or words[0].lower_ not in MONTHS or len(words) > 3:
        return None
    sent = doc[start].sent
    before = ctx.document.text[sent.start_char:doc[start].idx]      # its tense ("we expect the MPC to hold at …")
    dates = find_dates(doc[start:noun.i].text, ctx.document.date, before=before)
    return dates[0].value if dates and dates[0].value.month else None


def _visited_site(ctx, noun, taken):
    """"a visit to a camp in Nsanje district": the place of the site visited (as _place_after gives it)."""
    doc = ctx.doc
    j = noun.i + 1
    if j + 3 >= len(doc) or doc[j].lower_ != "to" or doc[j + 1].lower_ not in ("a", "an", "the"):
        return None
    k = j + 2
    while k < len(doc) and k - j < 5 and doc[k].text.islower() and doc[k].pos_ in ("NOUN", "ADJ"):
        k += 1
    place = _place_after(ctx, doc[k - 1], taken) if k > j + 2 else None
    if place is not None and place[3] < len(doc) and doc[place[3]].lower_ in ctx.lex.place_kinds:
        place = (place[0], place[1], place[2], place[3] + 1)       # "… in Nsanje district"
    return place


def _arrived_in(ctx, start: int, taken):
    """"arrived in Riverton on Monday on a three-day state visit": the visit is in the town arrived in
    (data/lexicon/arrival_verbs.txt)."""
    doc = ctx.doc
    k = start - 1
    if k < 4 or doc[k].lower_ not in ("a", "an") or doc[k - 1].lower_ not in ("on", "for"):
        return None
    sent = doc[start].sent
    for tok in doc[sent.start:k]:
        if tok.lower_ in load_words("arrival_verbs.txt"):
            place = _place_after(ctx, tok, taken)
            # (told as if after the noun: "state visit in Riverton")
            return (place[0], place[1], place[2], start + 1) if place else None
    return None


def _body_met(ctx, noun, taken):
    """The last token of the body in "a meeting of the SCO Council of Foreign Ministers", "the first session of
    the Joint Economic Committee": a gathering of a named body is an occasion of its own, dated or not."""
    doc, table = ctx.doc, ctx.table
    j = noun.i + 1
    if j + 1 >= len(doc) or doc[j].lower_ != "of":
        return None
    k = j + 1 + (doc[j + 1].lower_ == "the")
    placed = next((p for p in table.placed if p.start == k), None) if k in taken else None
    if placed is None or table.entities[placed.key].kind != "Organisation" or placed.end < len(doc) and (
            doc[placed.end].pos_ in ("NOUN", "ADJ") or doc[placed.end].text in ("'s", "’s", "-", "–")):
        return None     # (not "a meeting of Nordvik shareholders", "a summit of Turkic states")
    return doc[placed.end - 1]


def _next_meetings(ctx, taken, this) -> None:
    """"The MPC will next meet on 12 and 13 August": the body's next meeting is an occasion of its own, named
    "next meeting" (and "next MPC meeting"); the mention is "next meet", so the date rules read the days after."""
    doc, table = ctx.doc, ctx.table
    for tok in [doc[i] for i, word in enumerate(tokens(doc).lower) if word == "meet"]:
        if tok.i < 2 or doc[tok.i - 1].lower_ != "next" or tok.i in taken \
                or doc[tok.i - 2].lower_ not in ("will", "would", "to", "shall"):
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        body = next((p for p in table.placed if subject is not None and p.start <= subject.i < p.end
                     and table.entities[p.key].kind == "Organisation"), None)
        if body is None:
            continue
        name = doc[body.start:body.end].text
        table.add("Event", "next meeting", aliases=(f"next {name} meeting", f"next meeting of the {name}"),
                  mention=(doc[tok.i - 1].idx, tok.idx + len(tok.text), doc[tok.i - 1:tok.i + 1].text),
                  tokens=(tok.i - 1, tok.i + 1), method=this.name)
        taken.update((tok.i - 1, tok.i))


LEAD_WORDS = 15           # the lead is the first paragraph of at least this many words
LEAD_PARAGRAPHS = 3      # the lead and the two paragraphs after it report the occasion
LEAD_DAYS = 7            # how long before publication the lead's day may be
NOT_THIS_OCCASION = ("next", "previous", "last", "first", "earlier", "later", "upcoming", "future")


@rule("lead-occasion")
def lead_occasion(ctx) -> list:
    """"Shareholders on Thursday approved the rights issue. … The resolution was carried at the company's
    annual general meeting": an article's lead tells what happened on a day; a gathering its first paragraphs
    name with no date of its own ("the launch ceremony", "a four-hour meeting", "The talks") is where that
    happened, on that day (at most a week before publication). The gathering becomes an event if no rule
    made it one; it is dated by the lead's day. One occasion per article: the first such gathering."""
    doc, table, text = ctx.doc, ctx.table, ctx.document.text
    published = ctx.document.date
    lead = lead_of(ctx)
    if published is None or lead is None:
        return []
    lead_sent, day, region_end = lead
    this = get("lead-occasion")
    taken = {i: p for p in table.placed for i in range(p.start, p.end)}
    gatherings = lexicon().gathering_nouns
    for tok in doc[lead_sent.start:]:
        if tok.idx >= region_end:
            break
        placed = taken.get(tok.i)
        if placed is not None and _named_gathering(table, placed.key):
            return []       # the lead names its occasion: the rules reading the name date it
        if tok.lower_ not in gatherings or tok.pos_ != "NOUN" or not tok.text.islower() \
                or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "NOUN" and doc[tok.i + 1].text.islower()):
            continue        # ("a meeting room", "the launch event": the noun is a modifier there)
        if placed is not None and table.entities[placed.key].kind != "Event":
            continue
        dated = _dated_after(ctx, doc[placed.end - 1] if placed is not None else tok)
        if dated is not None and dated != day:
            continue        # "the summit in Bishkek in August": an occasion dated by the words after it
        sent = tok.sent
        start = placed.start if placed is not None else _occasion_start(doc, tok, taken)
        if start is None or doc[start - 1].lower_ in ("a", "an") and start == tok.i:
            continue        # a bare "a meeting" is any meeting
        modifiers = doc[max(0, start - 1):tok.i]
        if any(t.lower_ in NOT_THIS_OCCASION or EDITION_WORD.match(t.text) for t in modifiers) or tok.lower_ in VISITS \
                or FUTURE_CUE.search(text[sent.start_char:tok.idx]):
            continue        # another occasion: "the next meeting", "the 2019 summit", "will hold talks"; a visit
            # lasts days, and what the lead tells happened during it
        if sent.start != lead_sent.start:
            skip = max(0, ctx.dateline_end() - sent.start_char)
            if find_dates(text[sent.start_char + skip:sent.end_char], published):
                continue    # a sentence with a date of its own dates what it names
        if MULTI_DAY.search(modifiers.text) or placed is None and _refers_back(ctx, start, tok) or any(
                _named_gathering(table, p.key) for p in _events_between(table, sent.start, sent.end)):
            return []       # the lead's occasion, but not one day of it ("a two-day meeting"), one named before,
            # or a part of a named one ("the closing session of the Andean Summit")
        evidence = Span(lead_sent.start_char, sent.end_char)
        if placed is not None:
            return [Fact(placed.key, "date", day, evidence, this.confidence, this.name)]
        return _new_occasion(ctx, start, tok, day, evidence, region_end, this)
    return _body_meeting(ctx, lead_sent, day, this)


def _new_occasion(ctx, start: int, tok, day, evidence: Span, region_end: int, this) -> list:
    """The lead's gathering no rule made an event: one now, dated by the lead's day, unless it is one named
    elsewhere."""
    doc, table = ctx.doc, ctx.table
    if any(table.entities[p.key].kind == "Event" and table.entities[p.key].label.lower().split()[-1:] == [tok.lower_]
           and (doc[p.start].idx < region_end or _bare_or_lasting(table.entities[p.key].label)) for p in table.placed):
        return []       # "the annual conference … The two-day conference, held at X": one occasion, named there
        # (but "a community meeting" the story mentions later is another one)
    while doc[start].pos_ in ("VERB", "AUX") and start < tok.i:
        start += 1      # ("Kwon held talks": the verb is no part of the occasion's name)
    label = doc[start:tok.i + 1].text
    named = table.lookup(label, "Event")
    if named and any(p.key == named and (d := _dated_after(ctx, doc[p.end - 1])) is not None and d != day
                     for p in table.placed):
        return []       # "the summit" after "the summit in Bishkek in August": that one, dated by its own words
    key = table.add("Event", label, mention=(doc[start].idx, tok.idx + len(tok.text), label),
                    tokens=(start, tok.i + 1), method=this.name)
    return [Fact(key, "date", day, evidence, this.confidence, this.name)]


def _bare_or_lasting(label: str) -> bool:
    """"conference", "two-day conference": an occasion's label with nothing that tells it from another."""
    words = label.split()[:-1]
    return not words or len(words) == 1 and bool(MULTI_DAY.search(words[0]))


@rule("dateline-occasion")
def dateline_occasion(ctx, facts) -> list:
    """"CHOLPON-ATA, May 21 (TASS) – … told reporters after a meeting of the Council of Foreign Ministers": the
    occasion the story reports, given no place of its own, is where the reporter files from, the dateline's
    town. The occasion: the gathering dated on the lead's day (the reported occasion), else the first gathering
    the lead's first sentence names that is not another one ("the next summit", one dated another month)."""
    from ..statements import reported_occasion

    place = ctx.document.dateline and ctx.table.lookup(ctx.document.dateline)
    if not place or ctx.kind(place) != "Place":
        return []
    placed_at = {f.subject for f in facts if f.predicate == "location"}
    occasion = reported_occasion(ctx, facts) or _lead_gathering(ctx, facts)
    label = ctx.entities[occasion].label.lower() if occasion else ""
    if occasion is None or occasion in placed_at or not ctx.lex.is_gathering(label) \
            or set(re.findall(r"[a-z]+", label)) & load_words("unplaced_occasions.txt"):
        return []
    this = get("dateline-occasion")
    first = ctx.doc[next(p.start for p in ctx.placed if p.key == occasion)].sent
    return [Fact(occasion, "location", EntityRef(place), ctx.sentence_span(first), this.confidence, this.name)]


def _lead_gathering(ctx, facts) -> str | None:
    """The first gathering the lead's first sentence names, unless it is dated away from publication or
    announced as another occasion ("the next meeting", "will hold talks")."""
    doc, text, published = ctx.doc, ctx.document.text, ctx.document.date
    begin = ctx.dateline_end()
    if not begin or published is None:
        return None     # (no dateline in the text: the town is only the metadata's)
    sent = next((s for s in doc.sents if s.end_char > begin and re.search(r"\b[a-z]", text[s.start_char:s.end_char])),
                None)
    if sent is None:
        return None
    days = {}
    for fact in facts:
        if fact.predicate in ("date", "startDate", "endDate") and isinstance(fact.value, DateValue):
            days.setdefault(fact.subject, []).append(fact.value.days)
    for placed in ctx.within(sent.start, sent.end, ("Event",)):
        label = ctx.entities[placed.key].label.lower()
        before = text[sent.start_char:doc[placed.start].idx]
        if any(word in label.split() for word in NOT_THIS_OCCASION) or FUTURE_CUE.search(before):
            continue
        if any(not (first - dt.timedelta(days=LEAD_DAYS) <= published <= last + dt.timedelta(days=1))
               for first, last in days.get(placed.key, [])):
            continue
        if ctx.lex.is_gathering(label):
            return placed.key
    return None


def _body_meeting(ctx, lead_sent, day, this) -> list:
    """"PITTSFIELD — … the City Council voted 7-4 on Tuesday night to sell a lot": a body that decides in meetings
    (data/lexicon/meeting_bodies.txt), the subject of the lead's verb of decision (deciding_verbs.txt), met that
    day; "City Council meeting" is an occasion, dated by the lead, its mention the verb."""
    doc, table = ctx.doc, ctx.table
    root = lead_sent.root
    if root.lower_ not in load_words("deciding_verbs.txt"):
        return []
    subjects = [c.i for c in root.children if c.dep_ == "nsubj"]        # (the parser may take a dateline for one)
    body = next((p for p in table.placed if any(p.start <= i < p.end for i in subjects)
                 and table.entities[p.key].kind == "Organisation"), None)
    if body is None:
        return []
    label = table.entities[body.key].label
    if label.split()[-1].lower() not in load_words("meeting_bodies.txt"):
        return []
    written = doc[body.start:body.end].text
    key = table.add("Event", f"{written} meeting", aliases=(f"{label} meeting", f"{label.split()[-1].lower()} meeting"),
                    mention=(root.idx, root.idx + len(root.text), root.text), tokens=(root.i, root.i + 1),
                    method=this.name)
    return [Fact(key, "date", day, Span(lead_sent.start_char, lead_sent.end_char), this.confidence, this.name)]


def _occasion_start(doc, tok, taken) -> int | None:
    """Where the occasion's words start: after a determiner ("the annual general meeting"), or after "held"
    ("the two leaders held talks", "held summit talks"); None if neither."""
    start = _modifiers_start(doc, tok, set(taken))
    if start is None and tok.i > 1 and doc[tok.i - 1].lower_ in HOLD_FORMS:
        return tok.i
    if start is None and tok.i > 2 and doc[tok.i - 2].lower_ in HOLD_FORMS and doc[tok.i - 1].text.islower() \
            and doc[tok.i - 1].pos_ in ("NOUN", "ADJ"):
        return tok.i - 1
    return start


def _named_gathering(table, key) -> bool:
    """A named event of a kind people meet at ("the Andean Summit", not "Cyclone Freddy")."""
    entity = table.entities[key]
    return entity.kind == "Event" and entity.mentions[0].method not in UNNAMED_METHODS \
        and lexicon().is_gathering(entity.label)


UNNAMED_METHODS = ("unnamed-event", "lead-occasion")


def _events_between(table, start: int, end: int):
    """The events placed between tokens ``start`` and ``end`` (the table is not indexed yet)."""
    return [p for p in table.placed if start <= p.start < end and table.entities[p.key].kind == "Event"]


def _reported_on(doc, char: int) -> bool:
    """Does the date at ``char`` date a verb of saying ("said on Thursday", "announced today")?"""
    i = bisect_left(tokens(doc).idx, char)
    tok = doc[i] if i < len(doc) else None
    for _ in range(4):
        if tok is None or tok.pos_ in ("VERB", "AUX"):
            break
        tok = tok.head if tok.head is not tok else None
    return tok is not None and (tok.lower_ in lexicon().speech_verbs or tok.lower_ in REPORTING_VERBS)


REPORTING_VERBS = ("announced", "announces", "reported", "reports", "confirmed", "confirms", "disclosed")
HOLD_FORMS = ("held", "hold", "holds", "holding")
MULTI_DAY = re.compile(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|multi)\s*-\s*days?\b", re.I)
FUTURE_CUE = re.compile(r"\b(?:will|shall|would|to\s+be\s+held|is\s+to|are\s+to|plans?\s+to|due\s+to)\b", re.I)


def lead_of(ctx):
    """:func:`_lead`, once per document."""
    if "lead" not in ctx.memo:
        ctx.memo["lead"] = _lead(ctx)
    return ctx.memo["lead"]


def _lead(ctx):
    """(the lead's first sentence, its day, where the lead's paragraphs end) or None: the day is the first
    date of that sentence (the dateline's own excepted), to the day, in the week before publication."""
    import datetime as dt

    text, doc, published = ctx.document.text, ctx.doc, ctx.document.date
    begin = 0
    for _ in range(40):      # (the lead is among the first paragraphs: a headline, a byline, a dateline)
        end = text.find("\n\n", begin)
        end = len(text) if end < 0 else end
        if len(text[begin:end].split()) >= LEAD_WORDS and text[begin:end].rstrip()[-1:] in ".!?\"”’'":
            break       # (a headline, however long, ends without a full stop)
        if end == len(text):
            return None
        begin = end + 2
    else:
        return None
    region_end = begin
    for _ in range(LEAD_PARAGRAPHS):
        found = text.find("\n\n", region_end + 1)
        region_end = len(text) if found < 0 else found
    first = max(begin, ctx.dateline_end())
    lead_sent = next((s for s in doc.sents if s.end_char > first and re.search(r"\b[a-z]", text[s.start_char:s.end_char])),
                     None)   # (spaCy may end a sentence after "Nampula, 17 February 2026 –": a dateline)
    if lead_sent is None:
        return None
    dates = [d for d in find_dates(text[first:lead_sent.end_char], published) if d.value.day
             and re.search(r"\b[a-z]", text[begin:first + d.start])]      # no lower-case word before: a dateline's
    if any(_reported_on(doc, first + d.start) for d in dates):
        return None     # "the regulator said on Thursday": the day the news was told, not an occasion's
    days = [d.value for d in dates]
    for word, back in (("today", 0), ("yesterday", 1)):
        found = re.search(rf"\b{word}\b", text[first:lead_sent.end_char], re.I)
        if found and _reported_on(doc, first + found.start()):
            return None
        if found:
            days.append(DateValue.of(published - dt.timedelta(days=back)))
    if len(days) != 1:
        return None     # two days in the lead: which one is the occasion's is not told
    day = days[0]
    if not published - dt.timedelta(days=LEAD_DAYS) <= day.days[0] <= published:
        return None
    return lead_sent, day, region_end


def _event_names(doc, start: int, noun, head, place, owner) -> tuple[str, list[str]]:
    """The label and other names of an unnamed occasion: "board meeting", "board meeting in Doha", "Doha board
    meeting"; "the meeting in Windhoek" when only the place tells it apart; "the Tallinn summit"."""
    words = doc[start:head.i + 1].text
    label, aliases = words, []
    if place is not None and place[3] <= start and place[0].endswith("'s"):
        # "Cape Verde's presidential election": the occasion, of that place
        return words, [f"{place[0]} {words}", f"{words} in {place[1]}"]
    if place is not None and place[3] <= start:
        # "the Tallinn summit": the place names it
        return f"{place[0]} {words}", [f"{words} in {place[1]}", words]
    if place is not None:
        where, place_label = place[:2]
        aliases = [f"{words} {where}", f"{place_label} {words}"]
        if start == noun.i:            # "the meeting in Windhoek": the place tells it apart
            label, aliases = aliases[0], [words, aliases[1]]
    if owner:
        aliases.append(f"{owner} {words}")
    return label, aliases


def _describes_named(ctx, start: int, taken) -> bool:
    """Does the phrase starting at ``start`` set off a named event before it ("X Summit, a one-day meeting")?"""
    doc, table = ctx.doc, ctx.table
    return start >= 3 and doc[start - 1].lower_ in ("a", "an", "the") and doc[start - 2].text == "," \
        and start - 3 in taken and table.entities[table.key_at(start - 3)].kind == "Event"


def _refers_back(ctx, start: int, noun) -> bool:
    """"The two-day meeting" after the "Forum Economic Ministers Meeting": a definite occasion of the kind
    an event named before is, with no edition word ("the 12th summit", "the next meeting" are new ones)."""
    doc, word = ctx.doc, noun.lower_
    if doc[start - 1].lower_ not in ("the", "this") or any(
            EDITION_WORD.match(t.text) or t.lower_ in ("next", "previous", "last", "first") for t in doc[start:noun.i]):
        return False
    return any(p.start < noun.i and ctx.table.entities[p.key].kind == "Event"
               and ctx.table.entities[p.key].label.lower().split()[-1:] == [word] for p in ctx.table.placed)


def _owning_date(ctx, start: int):
    """The date of "Tuesday's sitting", "Sunday's elections" (a weekday owning the occasion), or None."""
    doc = ctx.doc
    if start < 2 or doc[start - 1].text not in ("'s", "’s") or not DATE_OWNER.match(doc[start - 2].text):
        return None
    k = start - 2 - (start >= 3 and doc[start - 2].lower_ in ("night", "evening", "morning", "afternoon"))
    before = ctx.document.text[max(0, doc[k].idx - 80):doc[k].idx + len(doc[k].text)]     # ("Monday night's")
    dates = [d for d in find_dates(before, ctx.document.date) if d.end == len(before) and d.value.day]
    return dates[-1].value if dates else None


def _modifiers_start(doc, noun, taken) -> int | None:
    """Where "board meeting", "annual general meeting", "first summit" begins after its determiner;
    None if no determiner or possessive stands before it (a bare "meeting" is no occasion named)."""
    k = noun.i
    while k - 1 >= 0 and k - 1 not in taken and (doc[k - 1].text.islower() and
                                                 doc[k - 1].dep_ in ("compound", "amod", "nmod") and
                                                 doc[k - 1].head.i in range(k, noun.i + 1) and
                                                 doc[k - 1].pos_ in ("NOUN", "ADJ", "VERB")
                                                 or EDITION_WORD.match(doc[k - 1].text)):
        k -= 1      # ("the 2018 summit", "the 12th summit": a year or an ordinal too)
        if k - 2 >= 0 and k - 2 not in taken and doc[k - 1].text in ("-", "–") and not doc[k - 1].whitespace_ \
                and not doc[k - 2].whitespace_ and (doc[k - 2].text.islower() or doc[k - 2].is_digit):
            k -= 2  # "a three-day visit", "the high-level meeting": one modifier of two words
    while k - 1 >= 0 and k - 1 not in taken:
        if k >= 3 and doc[k - 1].text.islower() and doc[k - 2].text in ("-", "–") and not doc[k - 2].whitespace_ \
                and not doc[k - 3].whitespace_ and doc[k - 3].text.islower() and k - 3 not in taken:
            k -= 3  # "a follow-up meeting" (the tagger does not make "up" a modifier)
        elif k >= 2 and doc[k - 1].text in ("'", "’") and doc[k - 2].text.islower() and doc[k - 2].text.endswith("s"):
            k -= 2  # "a provincial stakeholders' meeting"
        elif doc[k - 1].lower_ in MONTHS and doc[k - 1].text[:1].isupper() \
                or doc[k - 1].is_digit and k >= 2 and doc[k - 2].lower_ in MONTHS:
            k -= 1  # "its April meeting", "council's April 14 meeting"
        elif doc[k - 1].text.islower() and doc[k - 1].dep_ in ("compound", "amod", "nmod") \
                and doc[k - 1].pos_ in ("NOUN", "ADJ") and doc[k - 1].head.i in range(k, noun.i + 1):
            k -= 1  # (more modifiers before those)
        else:
            break
    before = doc[k - 1] if k > 0 else None
    if before is None:
        return None
    if before.text in ("'s", "’s") and k >= 2 and DATE_OWNER.match(doc[k - 2].text):
        return k        # "Wednesday's by-election", "Sunday's municipal elections"
    if before.lower_ in UNNAMED_DETERMINERS or (before.i in taken and before.i + 1 == k and
                                                   doc[before.i].pos_ == "PROPN" and k - 2 >= 0):
        return k
    return None


def _text_from(doc, k: int) -> str:
    """The text from token ``k`` on (a short window), with the space before it."""
    return " " + doc[k:min(len(doc), k + 12)].text


def _complement_end(doc, noun, taken, table):
    """The last word of "meeting of humanitarian partners" (an "of" and one to three lower-case words) or
    of "conference for Sudan" (a country or place it is for), when a place or a date follows; else the
    noun itself."""
    j = noun.i + 1
    if j + 1 >= len(doc) or doc[j].lower_ not in ("of", "for", "on"):
        return noun
    k = j + 1
    if k in taken:
        # "the international humanitarian conference for Sudan in Paris": a country or place it is for
        placed = next((p for p in table.placed if p.start == k), None)
        if placed is None or doc[j].lower_ == "of" or table.entities[placed.key].kind not in PLACE_KINDS:
            return noun
        k = placed.end
        return doc[k - 1] if k < len(doc) and doc[k].lower_ in ("in", "on", "at") else noun
    if doc[j].lower_ != "of":
        return noun
    if doc[k].lower_ == "the" and k + 1 < len(doc) and doc[k + 1].text.islower():
        k += 1      # "the first meeting of the joint working group"
    first = k
    while k < len(doc) and k - first <= 3 and (doc[k].text.islower() and doc[k].is_alpha or doc[k].text == "-") \
            and k not in taken and doc[k].pos_ in ("NOUN", "ADJ", "PUNCT") and doc[k].lower_ not in ("the", "a", "an"):
        k += 1
    if k == first or k >= len(doc) or doc[k - 1].pos_ != "NOUN" or not (
            doc[k].lower_ in ("in", "on", "at") or HELD_THEN.match(_text_from(doc, k))):
        return noun
    return doc[k - 1]


def _participants_end(doc, noun, taken, table):
    """The last word of who an occasion brings together, when a place, a date or "which will be held"
    follows it: "a briefing for donors and partners", "a coordination meeting with government and United
    Nations agencies", "an extraordinary general meeting of Nordvik shareholders". Not part of the
    occasion's label; None if no such complement."""
    j = noun.i + 1
    if j + 1 >= len(doc) or doc[j].lower_ not in ("of", "for", "with", "on"):
        return None
    k, words = j + 1, 0
    while k < len(doc) and words < 8:
        if k in taken:
            k = next(p.end for p in table.placed if p.start <= k < p.end)
        elif doc[k].is_alpha and doc[k].text.islower() and (doc[k].pos_ in ("NOUN", "ADJ", "CCONJ") or doc[k].lower_ in (
                "the", "a", "an", "of", "for") and k + 1 < len(doc) and doc[k + 1].text.islower()):
            k += 1      # ("a public hearing on a parking plan for the neighborhood is scheduled for …")
        else:
            break
        words += 1
    last = doc[k - 1] if k > j + 1 else None
    if last is None or k >= len(doc) or last.pos_ != "NOUN" or not last.text.islower():
        return None
    return last if doc[k].lower_ in ("in", "on", "at", "held", "is", "was", "will") or doc[k].text == "," else None


def _place_before(ctx, start, noun, taken):
    """("Tallinn", "Tallinn", its key, its first token, its first token) for "the Tallinn summit": a place
    named between the determiner and the noun, with nothing else there."""
    doc, table = ctx.doc, ctx.table
    k = start - 1
    if k >= 2 and doc[k].text in ("'s", "’s") and k - 1 in taken:
        # "Cape Verde's presidential election": the country the occasion is of is where it is
        placed = next((p for p in table.placed if p.end == k), None)
        if placed is not None and table.entities[placed.key].kind in PLACE_KINDS:
            return (doc[placed.start:placed.end].text + "'s", table.entities[placed.key].label, placed.key, k + 1,
                    placed.start)
        return None
    if k < 1 or start != noun.i or k not in taken:
        return None
    placed = next((p for p in table.placed if p.start <= k < p.end), None)
    if placed is None or placed.end != noun.i or table.entities[placed.key].kind not in PLACE_KINDS \
            or doc[placed.start - 1].lower_ not in ("the", "last", "next", "this"):
        return None
    return doc[placed.start:placed.end].text, table.entities[placed.key].label, placed.key, placed.end, placed.start


def _part_of_event(ctx, start, taken) -> bool:
    doc, table = ctx.doc, ctx.table
    if start < 2 or doc[start - 1].text not in ("'s", "’s"):
        return False
    owner = doc[start - 2]
    if owner.i in taken:
        return table.entities[table.key_at(owner.i)].kind == "Event"
    return ctx.lex.head_type(owner.text) == "Event" or owner.lower_ in event_nouns()


def _owner_before(doc, table, start, taken) -> str | None:
    """"the CAA's elective congress", "the APT-ATU coordination meeting" → "CAA", "APT-ATU"."""
    end = start - 1 if start >= 2 and doc[start - 1].text in ("'s", "’s") else start
    if end - 1 in taken:
        key = table.key_at(end - 1)
        placed = next((p for p in table.placed if p.start <= end - 1 < p.end), None)
        return doc[placed.start:placed.end].text if key and placed else None
    return None


def _place_after(ctx, noun, taken, *prepositions) -> tuple[str, str, str, int] | None:
    """("in Doha", "Doha", its key, the token after it) when a place follows the noun at once ("at" also
    takes a building's body); ``prepositions`` instead of "in" and "at" ("a visit to Mozambique")."""
    doc, table = ctx.doc, ctx.table
    j = noun.i + 1
    if j + 1 >= len(doc) or doc[j].lower_ not in (prepositions or ("in", "at")):
        return None
    k = j + 1 + (doc[j + 1].lower_ == "the")
    key = table.key_at(k) if k in taken else None
    if key and table.entities[key].kind in PLACE_KINDS + (("Organisation",) if doc[j].lower_ == "at" else ()):
        placed = next(p for p in table.placed if p.start <= k < p.end)
        return doc[j:placed.end].text, table.entities[key].label, key, placed.end
    return None


def _date_after(ctx, tok, day: bool = False) -> bool:
    """A date right after the token ("… on 4 June", "… in May 2024"); ``day``: one with a month."""
    found = _dated_after(ctx, tok)
    return bool(found and (found.month or not day))


def _dated_after(ctx, tok) -> DateValue | None:
    """The date right after the token ("… on 4 June", "… in May 2024"), or None."""
    end = tok.idx + len(tok.text)
    rest = ctx.document.text[end:min(len(ctx.document.text), end + 60)]
    m = re.match(r"\s*,?\s+(?:in\s+[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)?\s+)?(?:on|in)\s+", rest) or re.match(
        # "A public hearing is set for March 2", "the vote, scheduled for 4 June"
        r"\s*,?\s+(?:(?:is|was|will\s+be|has\s+been)\s+)?(?:set|scheduled|planned|slated)\s+for\s+", rest)
    if not m:
        return None
    dates = find_dates(rest[m.end():], ctx.document.date)
    return dates[0].value if dates and dates[0].start == 0 else None


# ---------------------------------------------------------------- event mentions
@rule("event-in-place")
def event_in_place(site: Site):
    """"Forum in Davos", "X, a one-day meeting in Bridgetown", "X, held in Gdansk on Wednesday"."""
    doc, ctx, sent, placed = site.doc, site.ctx, site.sent, site.mention
    j = placed.end
    if j + 3 < sent.end and doc[j].text == "(" and doc[j + 2].text == ")":
        j += 3      # "the World Radiocommunication Conference (WRC-23) in Dubai"
    if j + 1 < sent.end and doc[j].text == ",":
        k = j + 1
        while k < min(sent.end, j + 7) and doc[k].lower_ not in ("in", ",") and not ctx.at(k):
            k += 1
        appositive = doc[j + 1:k]
        if k + 1 < sent.end and doc[k].lower_ == "in" and len(appositive) and (
                appositive[0].lower_ in ("a", "an", "the", "held") and any(
                    t.lower_ == "held" or ctx.lex.head_type(t.text) == "Event" for t in appositive)):
            j = k
    if j + 1 < sent.end and doc[j].lower_ in ("in", "at"):
        place = ctx.at(j + 1)
        if place and place.start == j + 1 and site.kind(place.key) in PLACES:
            return site.fact(placed.key, "location", EntityRef(place.key))
    # "X took place in Ulaanbaatar", "X, to be held in Bangkok", "X, which will be held at the Y"
    end_char = doc[placed.end - 1].idx + len(doc[placed.end - 1].text)
    held = HELD_IN.match(site.text, end_char, site.sent.end_char)
    if held:
        place = ctx.at(site.char_token(held.end()))
        if place and doc[place.start].idx == held.end() and site.kind(place.key) in PLACES:
            return site.fact(placed.key, "location", EntityRef(place.key))
    return []


@dataclass(frozen=True)
class DatesAfter:
    """The date(s) right after an event's name: "X on Thursday and Friday", "X in October 1992"."""

    first: FoundDate
    second: FoundDate | None
    since: bool


def dates_after(site: Site) -> DatesAfter | None:
    doc, placed = site.doc, site.mention
    end_char = doc[placed.end - 1].idx + len(doc[placed.end - 1].text)
    after = site.text[end_char:site.sent.end_char]
    m = AFTER_EVENT.match(after)
    if not m:
        return None
    rest = after[m.end():m.end() + 40]
    # dated with the words before in view: "to be held in the Thai capital on Nov 14" is ahead
    dates = find_dates(rest, site.anchor, before=site.text[site.sent.start_char:end_char] + after[:m.end()])
    if not dates or dates[0].start != 0:
        return None
    second = dates[1] if len(dates) > 1 and RANGE_JOINER.match(rest[dates[0].end:dates[1].start]) else None
    return DatesAfter(dates[0], second, "since" in after[:m.end()])


@rule("event-date-range")
def event_date_range(site: Site):
    """"The two-day X on Thursday and Friday" → startDate and endDate."""
    found = dates_after(site)
    if not found or not found.second:
        return []
    return site.fact(site.mention.key, "startDate", found.first.value) + \
        site.fact(site.mention.key, "endDate", found.second.value)


@rule("event-date")
def event_date(site: Site):
    """"X in October 1992", "X in Geneva in April 2022"."""
    found = dates_after(site)
    if not found or found.second or found.since:
        return []
    return site.fact(site.mention.key, "date", found.first.value)


@rule("date-at-event")
def date_at_event(site: Site):
    """"on June 2011 at the 7th session of the X" (when no date follows the name)."""
    if dates_after(site):
        return []
    before = site.text[site.sent.start_char:site.doc[site.mention.start].idx]
    m = re.search(r"(?:on|in)\s+([^,;]{3,25}?)\s+at\s+(?:the\s+)?$", before)
    dates = find_dates(m.group(1), site.anchor) if m else []
    return site.fact(site.mention.key, "date", dates[-1].value) if dates else []


# ---------------------------------------------------------------- cue words
@rule("organised-by")
def organised_by(site: Site):
    """"organised by the AUC and IGAD", "chaired by X" (a chair is no organiser if a person)."""
    tok, sent = site.token, site.sent
    before = site.text[sent.start_char:tok.idx] + "by"
    if not organised().search(before):
        return []
    subject = site.refs.subject_before(tok.i, sent, EVENTS)
    chaired = bool(re.search(r"chaired\s+by$", before))
    return [fact for agent in site.refs.agents_listed(tok.i + 1, sent)
            if not (chaired and site.kind(agent) == "Person")
            for fact in site.fact(subject, "organisedBy", EntityRef(agent))]


@rule("held-in")
def held_in(site: Site):
    """"The congress held every three years since 2003 in Kenyanstan": location of the event."""
    tok, sent, doc = site.token, site.sent, site.doc
    if tok.i + 1 >= sent.end:
        return []
    subject = site.refs.subject_before(tok.i, sent, EVENTS)
    if not subject:
        return []
    for j in range(tok.i + 1, min(sent.end, tok.i + 10)):
        if doc[j].text in (",", ";"):
            break
        if doc[j].lower_ == "in":
            place = site.ctx.at(j + 1)
            if place and place.start == j + 1 and site.kind(place.key) in PLACES:
                return site.fact(subject, "location", EntityRef(place.key))
    return []


HOST_FORMS = ("host", "hosts", "hosting", "hosted")


@rule("host-place")
def host_place(site: Site):
    """"Gothenburg will host the 2031 Indoor Championships", "awarded the 2029 World Championships to Poznan":
    a place that hosts an event, or is awarded it, is where it takes place."""
    tok, sent, doc, ctx = site.token, site.sent, site.doc, site.ctx
    if tok.lower_ in HOST_FORMS:
        if tok.i + 1 < sent.end and doc[tok.i + 1].lower_ in ("by", "a", "an"):
            return []       # "hosted by the city" (an organiser), "to host a meeting" (none named)
        event = _event_after(ctx, tok.i + 1, sent.end)
        k = tok.i - 1
        while k > sent.start and doc[k].lower_ in ("will", "to", "would", "is", "was", "also", "which", "that", ",",
                                                    "has", "had", "been", "chosen", "selected", "set", "due", "and"):
            k -= 1          # "Gothenburg, which will also host", "Sucre was chosen to host"
        place = ctx.at(k)
        end = next((p.end for p in ctx.within(tok.i + 1, sent.end, EVENTS) if p.key == event), sent.end)
        placed_after = end + 1 < sent.end and doc[end].lower_ in ("in", "at") and ctx.at(end + 1)
        if event and place and place.end == k + 1 and site.kind(place.key) in PLACES and not placed_after:
            return site.fact(event, "location", EntityRef(place.key))
        return []       # ("Bolivia will host the next summit in Sucre": the town after it says where)
    # "awarded": "awarded the X to Poznan", "the X was awarded to Poznan"
    event = _event_after(ctx, tok.i + 1, sent.end)
    if event:
        end = next((p.end for p in ctx.within(tok.i + 1, sent.end, EVENTS) if p.key == event), None)
        j = end if end is not None else sent.end
    else:
        event = site.refs.subject_before(tok.i, sent, EVENTS)
        j = tok.i + 1
    if event and j + 1 < sent.end and doc[j].lower_ == "to":
        place = ctx.at(j + 1)
        if place and place.start == j + 1 and site.kind(place.key) in PLACES:
            return site.fact(event, "location", EntityRef(place.key))
    return []


def _event_after(ctx, i: int, end: int) -> str | None:
    """The event named right after token ``i`` ("the 2031 Championships", "next year's summit")."""
    doc = ctx.doc
    while i < end and doc[i].lower_ in ("the", "next", "this", "year", "year's", "'s", "’s") and not ctx.at(i):
        i += 1
    placed = ctx.at(i)
    return placed.key if placed and placed.start == i and ctx.kind(placed.key) == "Event" else None


# ---------------------------------------------------------------- sentence patterns
@rule("themed")
def themed(site: Site):
    """"themed “…”", "under the theme “…”": the theme of the event the sentence is about."""
    sent, ctx, refs = site.sent, site.ctx, site.refs
    base = sent.start_char
    paragraph_end = site.text.find("\n", base)
    out = []
    for match in THEME.finditer(site.text[base:paragraph_end if paragraph_end > 0 else len(site.text)]):
        if match.start() > len(site.sent_text):
            break
        subject = refs.subject_before(site.char_token(base + match.start()), sent, EVENTS)
        if subject is None:
            # "Themed “…”, it drew 600 delegates", "Its theme was …", "The four-day programme
            # opened under the theme …": the event the passage is about
            subject = refs.main_event
            for placed in ctx.before(sent.start, EVENTS, 200):
                subject = placed.key
                break
        out += site.fact(subject, "theme", match.group(1).strip())
    return out


@rule("held-since")
def held_since(site: Site):
    """"held every two years since 2003" → firstHeld 2003."""
    sent = site.sent
    return [fact for match in SINCE.finditer(site.sent_text)
            for fact in site.fact(site.refs.subject_before(site.char_token(sent.start_char + match.start()), sent, EVENTS),
                                  "firstHeld", DateValue(int(match.group(1))))]


@rule("first-held")
def first_held(site: Site):
    """"first held in October 1992"."""
    sent, text = site.sent, site.sent_text
    out = []
    for match in FIRST_HELD.finditer(text):
        dates = find_dates(text[match.end():match.end() + 60], site.anchor)
        if dates and not re.search(r"[,;]", text[match.end():match.end() + dates[0].start]):
            subject = site.refs.subject_before(site.char_token(sent.start_char + match.start()), sent, EVENTS)
            out += site.fact(subject, "firstHeld", dates[0].value)
    return out


@rule("last-held")
def last_held(site: Site):
    """"the last one held in 2019" → lastHeld 2019."""
    sent = site.sent
    return [fact for match in LAST_HELD.finditer(site.sent_text)
            for fact in site.fact(site.refs.subject_before(site.char_token(sent.start_char + match.start()), sent,
                                                           INSTITUTIONS),
                                  "lastHeld", DateValue(int(match.group(1))))]


@rule("opened-closed")
def opened_closed(site: Site):
    """"closed the X on Thursday" → endDate; "the dialogue, which opened on Tuesday" → startDate."""
    sent, refs = site.sent, site.refs
    out = []
    for tok in sent:
        predicate = OPENING_CLOSING_FORMS.get(tok.lower_)
        if predicate is None or tok.pos_ != "VERB":
            continue
        event = None
        for child in tok.children:
            if child.dep_ == "dobj":
                placed = site.ctx.at(child.i)
                event = placed.key if placed and site.kind(placed.key) == "Event" else refs.described(child, EVENTS)
        event = event or refs.clause_subject(tok.i + 1, EVENTS) or refs.subject_before(tok.i, sent, EVENTS)
        subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if event is None and subject is not None and subject.pos_ == "NOUN" and refs.definite(subject):
            event = refs.main_event     # "The four-day programme opened on Wednesday"
        rest = site.text[tok.idx:min(sent.end_char, tok.idx + 90)]
        dates = [d for d in find_dates(rest, site.anchor) if d.value.day]
        if event and dates and not re.search(r"[;]|\bsince\b", rest[:dates[0].start]):
            out += site.fact(event, predicate, dates[0].value)
        if event and predicate == "startDate" and tok.i + 2 < sent.end and site.doc[tok.i + 1].lower_ == "in":
            place = site.ctx.at(tok.i + 2)    # "the summit, which opens in Istanbul on Thursday"
            if place and place.start == tok.i + 2 and site.kind(place.key) in PLACES:
                out += site.fact(event, "location", EntityRef(place.key))
    return out


@rule("lone-event-date")
def lone_event_date(site: Site):
    """"… agreed on Monday …, at the one-day X in Lisbon": one event and one day in a sentence."""
    sent = site.sent
    if any(f.method == "opened-closed" and f.sentence.begin == sent.start_char and f.sentence.end == sent.end_char
           for f in site.found):
        return []       # a verb already dated the event of this sentence
    events = {p.key for p in site.ctx.within(sent.start, sent.end, EVENTS)}
    skip = max(0, site.ctx.dateline_end() - sent.start_char)       # the dateline's own date is the paper's
    dates = find_dates(site.sent_text[skip:], site.anchor)
    if len(events) != 1 or len(dates) != 1 or not dates[0].value.day or re.search(r"\bsince\b", site.sent_text):
        return []
    if REPORTED_ON.search(site.sent_text[:skip + dates[0].start]):
        return []       # "…, the electoral commission said Monday": the day it was told, not the event's
    event = next(iter(events))
    if any(f.subject == event and f.predicate in ("date", "startDate", "endDate") for f in site.found):
        return []
    # "arrived on Monday on a three-day state visit": the day an occasion of several days starts
    lasting = MULTI_DAY.search(site.ctx.entities[event].label)
    return site.fact(event, "startDate" if lasting else "date", dates[0].value)
