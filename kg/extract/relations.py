"""Facts about events and organisations from surface and dependency patterns.

Each rule names itself in ``kg:method``. Subjects are found as a reader would: the nearest
event or organisation named before the cue in the sentence, a definite description ("the
forum", "the congress"), a descriptive phrase matching a name ("a food security entity" →
"Islamic Organisation for Food Security"), or "it".
"""

from __future__ import annotations

import re

from .dates import find_dates
from .model import DateValue, EntityRef, Fact

ORGS = ("Organisation",)
EVENTS = ("Event",)
INSTITUTIONS = ("Organisation", "Event")
AGENTS = ("Person", "Organisation", "Country")
PLACES = ("Place", "Country")
NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                            "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
                                            .split())}
NUMBER = r"(\d[\d,]*(?:\.\d+)?|" + "|".join(NUMBER_WORDS) + r")"
COUNTS = {
    "memberCount": re.compile(NUMBER + r"\s+member\s+(?:states|countries|nations|organisations|organizations)\b", re.I),
    "observerCount": re.compile(NUMBER + r"\s+observer\s+(?:states|countries|organisations|organizations|members)\b", re.I),
    "partnerCount": re.compile(NUMBER + r"\s+partner\s+(?:states|countries|organisations|organizations)\b", re.I),
}
CURRENT = re.compile(r"\b(today|now|currently|at present|presently)\b[^.;]*$", re.I)
POPULATION = re.compile(r"(?:with|has|of|having)\s+(?:a\s+population\s+of\s+)?(?:some|about|around|nearly|over|almost|"
                        r"roughly|approximately|more than)?\s*(\d[\d,]*(?:\.\d+)?)\s*(million|billion)?\s+"
                        r"(?:population|people|inhabitants|residents)", re.I)
POPULATION_OF = re.compile(r"\bpopulation\s+of\s+(?:some|about|around|nearly|over|almost|roughly|approximately|"
                           r"more than)?\s*(\d[\d,]*(?:\.\d+)?)\s*(million|billion)?", re.I)
SINCE = re.compile(r"\b(?:held|organi[sz]ed|convened|taking place|takes place|running)\b[^.;]{0,40}?\bsince\s+((?:19|20)\d{2})\b", re.I)
FIRST_HELD = re.compile(r"\bfirst\s+(?:held|organi[sz]ed|convened|staged|took place)\b", re.I)
LAST_HELD = re.compile(r"\bthe\s+last\s+(?:one\s+|being\s+|one\s+being\s+)?(?:held\s+)?in\s+((?:19|20)\d{2})\b", re.I)
THEME = re.compile(r"\b(?:themed|under\s+the\s+theme|with\s+the\s+theme|on\s+the\s+theme|theme\s+(?:was|is|will\s+be))"
                   r"\s*:?\s*[“\"]([^”\"]{3,200})[”\"]", re.I)
ORGANISED = re.compile(r"\b(?:organi[sz]ed|co-organi[sz]ed|hosted|co-hosted|co-chaired|chaired|convened|sponsored)"
                       r"(?:\s+(?:this|last|each|every)\s+year|\s+jointly)?\s+by\s*$", re.I)
PASSIVE_INITIATIVE = re.compile(r"\b(?:initiated|mooted|launched|founded|proposed|established|created|set up|put forward|"
                                r"conceived|pioneered|spearheaded)(?:\s+in\s+(?:19|20)\d{2})?\s+by\s*$", re.I)
HEADQUARTERS = re.compile(r"\b(?:headquartered|based|seated)\s+in\s*$", re.I)


class Relations:
    def __init__(self, ctx):
        self.ctx = ctx
        self.doc = ctx.doc
        self.text = ctx.document.text
        self.anchor = ctx.document.date
        self.facts: list[Fact] = []
        self.main_event = ctx.main_event()
        self.dated_by_verb: set[int] = set()
        self.dateline = ctx.dateline_end()

    def add(self, subject, predicate, value, sent, confidence, method):
        if subject and value is not None and subject != getattr(value, "key", None):
            self.facts.append(Fact(subject, predicate, value, self.ctx.sentence_span(sent), confidence, method))

    def kind(self, key):
        return self.ctx.kind(key)

    # ---------------------------------------------------------------- subjects
    def clause_subject(self, i: int, sent, kinds) -> str | None:
        """The first event/organisation named in the subject of the clause governing token i."""
        tok = self.doc[i]
        seen = set()
        while tok.i not in seen:
            seen.add(tok.i)
            for subj in (c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < i):
                if subj.lower_ in ("which", "that", "who") and tok.dep_ == "relcl":
                    # "the CARICOM Secretariat, which is headquartered in …"
                    named = self.reference(tok.head, kinds)
                    if named:
                        return named
                for t in subj.subtree:
                    named = self.reference(t, kinds)
                    if named:
                        return named
                    if t.lower_ in ("it", "its") and t.i == subj.i:
                        for prev in self.ctx.before(t.i, kinds, 120):
                            return prev.key
            tok = tok.head
        return None

    def reference(self, tok, kinds) -> str | None:
        """The entity of those kinds that a token names or describes ("the forum"), if any."""
        placed = self.ctx.at(tok.i)
        if placed and self.kind(placed.key) in kinds:
            return placed.key
        return self.described(tok, kinds)

    def subject_before(self, i: int, sent, kinds) -> str | None:
        """The event or organisation the words before token i are about."""
        ctx = self.ctx
        subject = self.clause_subject(i, sent, kinds)
        if subject:
            return subject
        best = None
        for placed in reversed(ctx.within(sent.start, i, kinds)):
            best = placed
            break
        described = self.description_before(i, sent, kinds)
        if described and (best is None or described[1] > best.start):
            return described[0]
        if best:
            return best.key
        first = sent[0]
        if first.lower_ in ("it", "its") and kinds:
            for placed in ctx.before(sent.start, kinds, 120):
                return placed.key
        return None

    def description_before(self, i, sent, kinds):
        """(key, token) of the last "the forum"/"a food security entity" before token i."""
        found = None
        for tok in sent:
            if tok.i >= i:
                break
            key = self.described(tok, kinds)
            if key:
                found = (key, tok.i)
        return found

    def described(self, tok, kinds) -> str | None:
        lex, ctx = self.ctx.lex, self.ctx
        if not tok.text.islower() or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        if "Event" in kinds and lex.head_type(tok.text) == "Event":
            det = [c for c in tok.children if c.dep_ == "det" and c.lower_ in ("the", "this", "that")]
            if det and not any(c.dep_ == "amod" and c.lower_ in ("international", "another") for c in tok.children):
                if self.main_event and tok.lower_ in ctx.entities[self.main_event].label.lower():
                    return self.main_event
                for placed in ctx.before(tok.i, ("Event",)):
                    if tok.lower_ in ctx.entities[placed.key].label.lower():
                        return placed.key
        if "Organisation" in kinds and self.definite(tok):
            # "the forum", "the secretariat": the last organisation named with that word
            for placed in ctx.before(tok.i, ("Organisation",), 400):
                if tok.lower_ in ctx.entities[placed.key].label.lower().split()[-2:]:
                    return placed.key
        if "Organisation" in kinds and tok.lower_ in lex.org_nouns:
            words = {c.lower_ for c in tok.subtree if c.i < tok.i and c.dep_ in ("compound", "amod")
                     and c.pos_ != "VERB" and not self.ctx.at(c.i)}
            if not words and self.definite(tok):
                # "the agency", "the carrier": the organisation named last, not one only spoken to
                for placed in ctx.before(tok.i, ("Organisation",), 200):
                    if placed.start > 0 and self.doc[placed.start - 1].lower_ in ("told", "to"):
                        continue
                    return placed.key
            words |= {g.lower_ for c in tok.children if c.dep_ == "compound" for g in c.children if g.dep_ == "compound"}
            if len(words) >= 1:
                hits = [e.key for e in ctx.entities.values() if e.kind == "Organisation"
                        and len(words & set(e.label.lower().split())) >= min(2, len(words))]
                if hits:      # several fit: the one named nearest to the description
                    return min(hits, key=lambda key: min(abs(p.start - tok.i) for p in ctx.placed if p.key == key)
                               if any(p.key == key for p in ctx.placed) else 10**9)
        return None

    def definite(self, tok) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its") for c in tok.children)

    def agent_after(self, i: int, sent) -> str | None:
        """The agent named right after "by": a person after a title phrase wins over its country."""
        window = []
        for placed in self.ctx.within(i, min(sent.end, i + 14), AGENTS + ("Document",)):
            between = self.doc[i:placed.start]
            if any(t.text in (",", ";", ".") for t in between) and window:
                break
            window.append(placed)
        people = [p for p in window if self.kind(p.key) == "Person"]
        if people:
            return people[0].key
        if len(window) >= 2 and self.doc[window[0].end].text in ("’s", "'s") and window[1].start == window[0].end + 1:
            return window[1].key      # "by Vietnam's Ministry of Industry and Trade"
        return window[0].key if window else None

    # ---------------------------------------------------------------- rules
    def run(self) -> list[Fact]:
        for sent in self.doc.sents:
            self.sentence(sent)
        return self.facts

    def sentence(self, sent) -> None:
        ctx, doc = self.ctx, self.doc
        text = sent.text
        base = sent.start_char
        # "Forum in Davos", "WEF in Davos"
        for placed in ctx.within(sent.start, sent.end, EVENTS):
            j = placed.end
            if j + 1 < sent.end and doc[j].text == ",":
                # "X, a one-day meeting in Bridgetown", "X, held in Gdansk on Wednesday"
                k = j + 1
                while k < min(sent.end, j + 7) and doc[k].lower_ not in ("in", ",") and not ctx.at(k):
                    k += 1
                appositive = doc[j + 1:k]
                if k + 1 < sent.end and doc[k].lower_ == "in" and len(appositive) and (
                        appositive[0].lower_ in ("a", "an", "the", "held") and any(
                            t.lower_ == "held" or self.ctx.lex.head_type(t.text) == "Event" for t in appositive)):
                    j = k
            if j + 1 < sent.end and doc[j].lower_ in ("in", "at"):
                place = ctx.at(j + 1)
                if place and place.start == j + 1 and self.kind(place.key) in PLACES:
                    self.add(placed.key, "location", EntityRef(place.key), sent, 0.85, "event-in-place")
            self.event_dates(placed, sent)
        for tok in sent:
            before = self.text[base:tok.idx]
            if tok.lower_ == "by":
                before += "by"
                if ORGANISED.search(before):
                    subject = self.subject_before(tok.i, sent, EVENTS)
                    chaired = bool(re.search(r"chaired\s+by$", before))
                    for agent in self.agents_listed(tok.i + 1, sent):
                        if not (chaired and self.kind(agent) == "Person"):
                            self.add(subject, "organisedBy", EntityRef(agent), sent, 0.85, "organised-by")
                elif PASSIVE_INITIATIVE.search(before):
                    self.initiated_by(tok, sent)
            elif tok.lower_ in ("headquartered", "based") and tok.i + 1 < sent.end and self.doc[tok.i - 1].lower_ in (
                    "is", "are", "was") and self.doc[tok.i + 1].lower_ != "in":
                self.where_headquartered(tok, sent)
            elif tok.lower_ == "in" and HEADQUARTERS.search(before + "in"):
                places = [p for p in ctx.within(tok.i + 1, min(sent.end, tok.i + 7), PLACES)
                          if not any(t.text in (",", ";") for t in doc[tok.i + 1:p.start])]
                subject = self.subject_before(tok.i, sent, ORGS)
                if places:
                    self.add(subject, "headquarters", EntityRef(places[0].key), sent, 0.85, "headquartered-in")
            elif tok.lower_ == "based" and tok.i >= 2 and doc[tok.i - 1].text in ("-", "‐"):
                self.based_compound(tok, sent)
            elif tok.lower_ == "held" and tok.i + 1 < sent.end:
                self.held_in(tok, sent)
            elif tok.lower_ == "within" and tok.i + 1 < sent.end:
                self.within(tok, sent)
            elif tok.lower_ in ("initiative", "initiatives") and tok.i + 1 < sent.end:
                self.initiative_noun(tok, sent)
            elif tok.lower_ in self.ctx.lex.initiative_verbs and tok.pos_ == "VERB" and tok.dep_ not in ("amod",) \
                    and not (tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "by"):
                self.active_initiative(tok, sent)
        paragraph_end = self.text.find("\n", base)
        for match in THEME.finditer(self.text[base:paragraph_end if paragraph_end > 0 else len(self.text)]):
            if match.start() > len(text):
                break
            subject = self.subject_before(self.char_token(base + match.start()), sent, EVENTS)
            if subject is None:
                # "Themed “…”, it drew 600 delegates", "Its theme was …", "The four-day programme
                # opened under the theme …": the event the passage is about
                subject = self.main_event
                for placed in ctx.before(sent.start, EVENTS, 200):
                    subject = placed.key
                    break
            self.add(subject, "theme", match.group(1).strip(), sent, 0.85, "themed")
        for match in SINCE.finditer(text):
            subject = self.subject_before(self.char_token(base + match.start()), sent, EVENTS)
            self.add(subject, "firstHeld", DateValue(int(match.group(1))), sent, 0.8, "held-since")
        for match in FIRST_HELD.finditer(text):
            dates = find_dates(text[match.end():match.end() + 60], self.anchor)
            if dates and not re.search(r"[,;]", text[match.end():match.end() + dates[0][0]]):
                subject = self.subject_before(self.char_token(base + match.start()), sent, EVENTS)
                self.add(subject, "firstHeld", dates[0][2], sent, 0.75, "first-held")
        for match in LAST_HELD.finditer(text):
            subject = self.subject_before(self.char_token(base + match.start()), sent, INSTITUTIONS)
            self.add(subject, "lastHeld", DateValue(int(match.group(1))), sent, 0.6, "last-held")
        self.opening_and_closing(sent)
        self.lone_event_date(sent)
        self.counts(sent)
        for match in [*POPULATION.finditer(text), *POPULATION_OF.finditer(text)]:
            places = [p for p in ctx.within(sent.start, self.char_token(base + match.start()), ("Country",))]
            if places:
                number = float(match.group(1).replace(",", ""))
                scale = {"million": 1e6, "billion": 1e9}.get((match.group(2) or "").lower(), 1)
                self.add(places[-1].key, "population", int(round(number * scale)), sent, 0.8, "population")

    def char_token(self, char: int) -> int:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None and len(span) else 0

    def agents_listed(self, i, sent) -> list[str]:
        """"by the AUC and the IGAD": every agent of a list starting at token i."""
        first = self.agent_after(i, sent)
        if not first:
            return []
        agents = [first]
        placed = next(p for p in self.ctx.placed if p.key == first and p.start >= i)
        j = placed.end
        while j < sent.end:
            k = j
            while k < sent.end and (self.doc[k].lower_ in ("and", ",", "the", "its", "&", "(", ")")
                                    or self.ctx.at(k) and self.ctx.at(k).key in agents):
                k += 1
            nxt = self.ctx.at(k)
            if k == j or not nxt or nxt.start != k or self.kind(nxt.key) not in AGENTS:
                break
            agents.append(nxt.key)
            j = nxt.end
        return agents

    def event_dates(self, placed, sent) -> None:
        doc, text = self.doc, self.text
        end_char = doc[placed.end - 1].idx + len(doc[placed.end - 1].text)
        after = text[end_char:sent.end_char]
        # "The two-day X on Thursday and Friday", "X in October 1992", "X in Geneva in April 2022"
        m = re.match(r"^(?:\s+(?:in|at)\s+[A-Z][\w’'\- ]{1,40}?)?\s*(?:,\s*)?(?:on|in|from)\s+", after)
        if m:
            dates = find_dates(after[m.end():m.end() + 40], self.anchor)
            if dates and dates[0][0] == 0:
                rest = after[m.end():m.end() + 40]
                second = dates[1] if len(dates) > 1 and re.match(r"^\s*(?:and|to|-|–|until)\s*$",
                                                                  rest[dates[0][1]:dates[1][0]]) else None
                if second:
                    self.add(placed.key, "startDate", dates[0][2], sent, 0.8, "event-date-range")
                    self.add(placed.key, "endDate", second[2], sent, 0.8, "event-date-range")
                elif "since" not in after[:m.end()]:
                    self.add(placed.key, "date", dates[0][2], sent, 0.75, "event-date")
                return
        # "on June 2011 at the 7th session of the X"
        start_char = doc[placed.start].idx
        before = text[sent.start_char:start_char]
        m = re.search(r"(?:on|in)\s+([^,;]{3,25}?)\s+at\s+(?:the\s+)?$", before)
        if m:
            dates = find_dates(m.group(1), self.anchor)
            if dates:
                self.add(placed.key, "date", dates[-1][2], sent, 0.7, "date-at-event")

    def opening_and_closing(self, sent) -> None:
        """"closed the X on Thursday" → endDate; "the dialogue, which opened on Tuesday" → startDate."""
        for tok in sent:
            predicate = {"open": "startDate", "begin": "startDate", "start": "startDate", "kick": "startDate",
                         "close": "endDate", "end": "endDate", "conclude": "endDate", "wrap": "endDate"}.get(tok.lemma_)
            if predicate is None or tok.pos_ != "VERB":
                continue
            event = None
            for child in tok.children:
                if child.dep_ == "dobj":
                    placed = self.ctx.at(child.i)
                    event = placed.key if placed and self.kind(placed.key) == "Event" else self.described(child, EVENTS)
            event = event or self.clause_subject(tok.i + 1, sent, EVENTS) or self.subject_before(tok.i, sent, EVENTS)
            subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if event is None and subject is not None and subject.pos_ == "NOUN" and self.definite(subject):
                event = self.main_event     # "The four-day programme opened on Wednesday"
            rest = self.text[tok.idx:min(sent.end_char, tok.idx + 90)]
            dates = [d for d in find_dates(rest, self.anchor) if d[2].day]
            if event and dates and not re.search(r"[;]|\bsince\b", rest[:dates[0][0]]):
                self.add(event, predicate, dates[0][2], sent, 0.7, "opened-closed")
                self.dated_by_verb.add(sent.start)

    def lone_event_date(self, sent) -> None:
        """"… agreed on Monday …, at the one-day X in Lisbon": one event and one day in a sentence."""
        if sent.start in self.dated_by_verb:
            return
        events = {p.key for p in self.ctx.within(sent.start, sent.end, EVENTS)}
        skip = max(0, self.dateline - sent.start_char)       # the dateline's own date is the paper's
        dates = find_dates(sent.text[skip:], self.anchor)
        if len(events) != 1 or len(dates) != 1 or not dates[0][2].day or re.search(r"\bsince\b", sent.text):
            return
        event = next(iter(events))
        if not any(f.subject == event and f.predicate in ("date", "startDate", "endDate") for f in self.facts):
            self.add(event, "date", dates[0][2], sent, 0.6, "lone-event-date")

    def based_compound(self, tok, sent) -> None:
        """"the London-based International Chamber of Shipping", "the Rome-based agency"."""
        place = self.ctx.at(tok.i - 2)
        if not place or self.kind(place.key) not in PLACES:
            return
        j = tok.i + 1
        while j < sent.end and self.doc[j].pos_ in ("ADJ", "NOUN", "PROPN") and not self.ctx.at(j) and j < tok.i + 4:
            head = self.described(self.doc[j], ORGS)
            if head:
                self.add(head, "headquarters", EntityRef(place.key), sent, 0.75, "place-based")
                return
            j += 1
        org = self.ctx.at(j)
        if org and self.kind(org.key) in ORGS:
            self.add(org.key, "headquarters", EntityRef(place.key), sent, 0.8, "place-based")
            return
        # "the ICS, a London-based industry association": the name the appositive describes
        k = tok.i - 3
        while k > sent.start and self.doc[k].lower_ in ("a", "an", "the"):
            k -= 1
        if k > sent.start and self.doc[k].text == ",":
            named = self.ctx.at(k - 1)
            if named and self.kind(named.key) in ORGS:
                self.add(named.key, "headquarters", EntityRef(place.key), sent, 0.75, "place-based")
            elif k >= 2 and self.doc[k - 1].text == ")":
                named = self.ctx.at(k - 2)
                if named and self.kind(named.key) in ORGS:
                    self.add(named.key, "headquarters", EntityRef(place.key), sent, 0.75, "place-based")

    def where_headquartered(self, tok, sent) -> None:
        """"… in Djibouti, where IGAD is headquartered"."""
        doc = self.doc
        k = tok.i - 2
        org = self.ctx.at(k)
        if not org or self.kind(org.key) not in ORGS or org.start < 2 or doc[org.start - 1].lower_ != "where":
            return
        j = org.start - 3 if doc[org.start - 2].text == "," else org.start - 2
        place = self.ctx.at(j)
        if place and self.kind(place.key) in PLACES:
            self.add(org.key, "headquarters", EntityRef(place.key), sent, 0.8, "where-headquartered")

    def held_in(self, tok, sent) -> None:
        """"The congress held every three years since 2003 in Kenyanstan": location of the event."""
        subject = self.subject_before(tok.i, sent, EVENTS)
        if not subject:
            return
        for j in range(tok.i + 1, min(sent.end, tok.i + 10)):
            if self.doc[j].text in (",", ";"):
                break
            if self.doc[j].lower_ == "in":
                place = self.ctx.at(j + 1)
                if place and place.start == j + 1 and self.kind(place.key) in PLACES:
                    self.add(subject, "location", EntityRef(place.key), sent, 0.75, "held-in")
                    return

    def within(self, tok, sent) -> None:
        """"a food security entity within the OIC" → partOf."""
        target = self.ctx.at(tok.i + 1 + (self.doc[tok.i + 1].lower_ == "the"))
        if not target or self.kind(target.key) not in ORGS:
            return
        prev = self.doc[tok.i - 1]
        subject = self.ctx.at(prev.i)
        key = subject.key if subject and self.kind(subject.key) in ORGS else self.described(prev, ORGS)
        self.add(key, "partOf", EntityRef(target.key), sent, 0.75, "within")

    def initiated_by(self, by_tok, sent) -> None:
        agent = self.agent_after(by_tok.i + 1, sent)
        if not agent or self.kind(agent) == "Document":
            return
        verb = next((t for t in reversed(self.doc[sent.start:by_tok.i]) if t.pos_ == "VERB"), self.doc[by_tok.i - 1])
        subject = self.subject_before(verb.i, sent, INSTITUTIONS)
        if subject is None and verb.i - sent.start <= 1 and verb.dep_ in ("advcl", "acl", "ROOT"):
            # "Founded in 1998 by X, Tarang now employs …": the subject of the main clause
            main = verb.head
            for subj in (c for c in main.children if c.dep_ in ("nsubj", "nsubjpass")):
                placed = self.ctx.at(subj.i)
                subject = placed.key if placed and self.kind(placed.key) in INSTITUTIONS else None
        self.add(subject, "initiatedBy", EntityRef(agent), sent, 0.8, "initiated-by")
        self.proposal(subject, sent, verb.i)

    def proposal(self, subject, sent, cue_i) -> None:
        """"… at the 47th Session of the UN General Assembly in October 1992": where and when proposed."""
        if not subject:
            return
        for placed in self.ctx.within(sent.start, sent.end, EVENTS):
            if placed.key == subject or placed.start == 0 or self.doc[placed.start - 1].lower_ not in ("at", "the"):
                continue
            if self.doc[placed.start - 1].lower_ == "the" and self.doc[placed.start - 2].lower_ != "at":
                continue
            self.add(subject, "proposedAt", EntityRef(placed.key), sent, 0.75, "proposed-at")
            dates = [f for f in self.facts if f.subject == placed.key and f.predicate == "date"]
            if dates:
                self.add(subject, "proposalDate", dates[-1].value, sent, 0.7, "proposed-at")
            else:
                months = [d for _, _, d in find_dates(sent.text, self.anchor) if d.month]
                if months:
                    self.add(subject, "proposalDate", months[0], sent, 0.6, "proposed-at")
            return

    def initiative_noun(self, tok, sent) -> None:
        """"at the initiative of Kenyanstan", "Kenya's initiative to establish the agency",
        "Another success story of Kenya's international initiative was the Congress …"."""
        doc, ctx = self.doc, self.ctx
        if tok.i + 2 < sent.end and doc[tok.i + 1].lower_ == "of" and doc[tok.i - 1].lower_ == "the" \
                and doc[tok.i - 2].lower_ == "at":
            subject = self.subject_before(tok.i - 2, sent, INSTITUTIONS)
            for agent in self.agents_listed(tok.i + 2, sent):
                self.add(subject, "initiatedBy", EntityRef(agent), sent, 0.75, "at-the-initiative-of")
            self.proposal(subject, sent, tok.i)
            return
        owner = None
        k = tok.i - 1
        while k > sent.start and doc[k].pos_ == "ADJ":
            k -= 1
        if doc[k].text in ("’s", "'s"):
            placed = ctx.at(k - 1)
            owner = placed.key if placed and self.kind(placed.key) in AGENTS else None
        if not owner:
            return
        # "… initiative to establish the X" / "… initiative was the X"
        for j in range(tok.i + 1, min(sent.end, tok.i + 6)):
            placed = ctx.at(j)
            if placed and self.kind(placed.key) in INSTITUTIONS:
                self.add(placed.key, "initiatedBy", EntityRef(owner), sent, 0.75, "agent-initiative")
                return

    def active_initiative(self, verb, sent) -> None:
        """"Kenyanstan … initiated other initiatives such as the OSCE, the Davos forum …", "X is proposing to establish Y"."""
        ctx = self.ctx
        subjects = [c for c in verb.children if c.dep_ in ("nsubj",)]
        agent = None
        for subj in subjects:
            placed = ctx.at(subj.i)
            if placed and self.kind(placed.key) in AGENTS:
                agent = placed.key
            elif subj.lower_ in ("it", "they"):
                for prev in ctx.before(subj.i, ("Country", "Organisation"), 80):
                    agent = prev.key
                    break
        if not agent:
            return
        objects = [p for p in ctx.within(verb.i + 1, sent.end, INSTITUTIONS)]
        # stop at the end of the object list: a new clause ends it
        listed = []
        for placed in objects:
            between = self.doc[(listed[-1].end if listed else verb.i + 1):placed.start]
            if any(t.dep_ in ("mark",) or t.pos_ == "VERB" and t.lower_ not in ("establish", "set", "create", "launch")
                   for t in between):
                break
            listed.append(placed)
        announcer = self.announcer(verb, sent)
        for placed in listed:
            self.add(placed.key, "initiatedBy", EntityRef(agent), sent, 0.75, "agent-initiated")
            if announcer and announcer != agent:
                self.add(placed.key, "initiatedBy", EntityRef(announcer), sent, 0.6, "announced-initiative")
            self.proposal(placed.key, sent, verb.i)

    def announcer(self, verb, sent) -> str | None:
        """"President X announced that Y is proposing …": X speaks for the initiative."""
        head = verb.head
        while head is not None and head.i != head.head.i and head.dep_ not in ("ROOT",):
            head = head.head
        if head is None or head.lower_ not in self.ctx.lex.speech_verbs:
            return None
        for subj in (c for c in head.children if c.dep_ == "nsubj"):
            placed = self.ctx.at(subj.i)
            if placed and self.kind(placed.key) == "Person":
                return placed.key
        return None

    def counts(self, sent) -> None:
        text = sent.text
        for match in re.finditer(r"\ball\s+" + NUMBER + r"\s+members\s+of\s+", text, re.I):
            target = self.char_token(sent.start_char + match.end())
            if self.doc[target].lower_ == "the":
                target += 1
            placed = self.ctx.at(target)
            key = placed.key if placed and self.kind(placed.key) in ORGS else self.described(self.doc[target], ORGS)
            raw = match.group(1).lower()
            value = NUMBER_WORDS.get(raw, None)
            self.add(key, "memberCount", value if value is not None else int(raw.replace(",", "")), sent, 0.7,
                     "all-members-of")
        for predicate, pattern in COUNTS.items():
            matches = list(pattern.finditer(text))
            if not matches:
                continue
            current = [m for m in matches if CURRENT.search(text[:m.start()][-40:] + " ") or
                       re.search(r"\b(today|now|currently)\b", text[max(0, m.start() - 40):m.start()], re.I)]
            # "has 28 member states", "today having 28 …", "with 27 member states": a count of the
            # body's own members, not "27 member states agreed …"
            matches = [m for m in matches if re.search(r"\b(has|have|having|with|comprises|comprising|counts|"
                                                       r"numbers|includes|including|grown to|now)\b[^.;]{0,60}$",
                                                       text[:m.start()], re.I)]
            if not matches:
                continue
            current = [m for m in current if m in matches]
            match = (current or matches)[-1]
            raw = match.group(1).lower().replace(",", "")
            value = NUMBER_WORDS.get(raw)
            value = value if value is not None else int(float(raw))
            subject = self.subject_before(self.char_token(sent.start_char + match.start()), sent, ORGS)
            self.add(subject, predicate, value, sent, 0.75, "count")


def extract_relations(ctx) -> list[Fact]:
    return Relations(ctx).run()
