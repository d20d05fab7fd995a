"""Reference resolution: the one place where words that refer stand for entities of the document.

A reader resolves "he", "she", "it", "the President", "the summit", "the report", "the agency",
"a food security entity", a surname or an acronym to something named earlier. No coreference
model is available offline, so this is done by rule, here and only here:

- surnames and acronyms while entities are built (``entities.py``, ``names.py`` type acronyms),
- everything else by :class:`References`, which the relation rules and the statement pass share.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..lexicon import load_words
from .lexicon import norm
from .model import Fact

EVENTS = ("Event",)
AGENTS = ("Person", "Organisation", "Country")
PRONOUNS = {"he", "she"}
DEFINITE = ("the", "this", "that", "its")


class References:
    def __init__(self, ctx, post_facts: Sequence[Fact] = ()):
        self.ctx = ctx
        self.doc = ctx.doc
        self.lex = ctx.lex
        self.main_event = ctx.main_event()
        self._holders: dict[str, list[str]] = {}
        self._owners: dict[str, set[str]] = {}        # person key → labels of their posts' owners
        owner_of = {f.subject: f.value.key for f in post_facts if f.predicate == "positionOf"}
        for fact in post_facts:
            if fact.predicate == "holdsPosition":
                post = ctx.entities.get(fact.value.key)
                if post:
                    self._holders.setdefault(fact.subject, []).append(post.role)
                    owner = ctx.entities.get(owner_of.get(fact.value.key))
                    if owner:
                        self._owners.setdefault(fact.subject, set()).add(owner.label)

    def kind(self, key):
        return self.ctx.kind(key)

    # ---------------------------------------------------------------- descriptions
    def event_called(self, word: str, token_i: int) -> str | None:
        """"the forum", "this summit": the article's main event if its name has the word, else the
        last event named before with that word."""
        ctx = self.ctx
        if self.main_event and word in ctx.entities[self.main_event].label.lower():
            return self.main_event
        for placed in ctx.before(token_i, EVENTS):
            if word in ctx.entities[placed.key].label.lower():
                return placed.key
        return None

    def definite(self, tok) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in DEFINITE for c in tok.children)

    def described(self, tok, kinds) -> str | None:
        """The event or organisation a common noun describes ("the forum", "the agency")."""
        if not tok.text.islower() or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        if "Event" in kinds and self.lex.head_type(tok.text) == "Event":
            det = [c for c in tok.children if c.dep_ == "det" and c.lower_ in ("the", "this", "that")]
            if det and not any(c.dep_ == "amod" and c.lower_ in ("international", "another") for c in tok.children):
                found = self.event_called(tok.lower_, tok.i)
                if found:
                    return found
        if "Organisation" in kinds:
            return self._organisation_described(tok)
        return None

    def _organisation_described(self, tok) -> str | None:
        ctx = self.ctx
        if self.definite(tok):
            # "the forum", "the secretariat": the last organisation named with that word
            for placed in ctx.before(tok.i, ("Organisation",), 400):
                if tok.lower_ in ctx.entities[placed.key].label.lower().split()[-2:]:
                    return placed.key
        if tok.lower_ not in self.lex.org_nouns:
            return None
        words = {c.lower_ for c in tok.subtree if c.i < tok.i and c.dep_ in ("compound", "amod")
                 and c.pos_ != "VERB" and not ctx.at(c.i)}
        if not words and self.definite(tok):
            # "the agency", "the carrier": the organisation named last, not one only spoken to; for a business
            # ("the Cork-based company"), not a public body named in between ("the CRU's decision")
            firm = tok.lower_ in load_words("firm_nouns.txt")
            public = load_words("public_body_words.txt")
            for placed in ctx.before(tok.i, ("Organisation",), 200):
                if placed.start > 0 and self.doc[placed.start - 1].lower_ in ("told", "to"):
                    continue
                if firm and public & set(ctx.entities[placed.key].label.lower().split()):
                    continue
                return placed.key
        words |= {g.lower_ for c in tok.children if c.dep_ == "compound" for g in c.children if g.dep_ == "compound"}
        if not words:
            return None
        hits = [e.key for e in ctx.entities.values() if e.kind == "Organisation"
                and len(words & set(e.label.lower().split())) >= min(2, len(words))]
        if hits:      # several fit: the one named nearest to the description
            return min(hits, key=lambda key: min(abs(p.start - tok.i) for p in ctx.placed if p.key == key)
                       if any(p.key == key for p in ctx.placed) else 10**9)
        return None

    def body_called(self, tok) -> str | None:
        """"the ministry", "the association's": the last organisation named before (anywhere before)
        with that word in its name; a common noun of a body only (data/lexicon/org_nouns.txt)."""
        if not tok.text.islower() or tok.lower_ not in self.lex.org_nouns:
            return None
        for placed in self.ctx.before(tok.i, ("Organisation",), tok.i):
            if tok.lower_ in self.ctx.entities[placed.key].label.lower().split():
                return placed.key
        return None

    def reference(self, tok, kinds) -> str | None:
        """The entity of those kinds that a token names or describes ("the forum"), if any."""
        placed = self.ctx.at(tok.i)
        if placed and self.kind(placed.key) in kinds:
            return placed.key
        return self.described(tok, kinds)

    # ---------------------------------------------------------------- subjects
    def clause_subject(self, i: int, kinds) -> str | None:
        """The first entity of those kinds named in the subject of the clause governing token i."""
        tok = self.doc[i]
        seen = set()
        while tok.i not in seen:
            seen.add(tok.i)
            for subj in (c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < i):
                found = self._in_subject(subj, tok, i, kinds)
                if found:
                    return found
            tok = tok.head
        return None

    def _in_subject(self, subj, governor, i, kinds) -> str | None:
        if subj.lower_ in ("which", "that", "who") and governor.dep_ == "relcl":
            # "the CARICOM Secretariat, which is headquartered in …"
            named = self.reference(governor.head, kinds)
            if named:
                return named
        for appos in (c for c in subj.children if c.dep_ == "appos" and c.i < i):
            # "The forum's research arm, the Gas Research Institute, was …": the apposition names the
            # subject itself, the possessor only its owner
            named = self.ctx.at(appos.i)
            if named and self.kind(named.key) in kinds and any(c.dep_ == "poss" for c in subj.children):
                return named.key
        for t in subj.subtree:
            # a name in the subject's own words before a word that refers ("Consumer group CHOICE":
            # CHOICE, not the last body a "group" could be); not one inside a phrase of it ("the
            # announcement of an entity within the OIC" is about the entity)
            named = self.ctx.at(t.i)
            if named and self.kind(named.key) in kinds and t.i < i and self._own_word(t, subj):
                return named.key
        for t in subj.subtree:
            named = self.reference(t, kinds)
            if named:
                return named
            if t.lower_ in ("it", "its") and t.i == subj.i:
                for prev in self.ctx.before(t.i, kinds, 120):
                    return prev.key
        return None

    @staticmethod
    def _own_word(tok, top) -> bool:
        """Is ``tok`` part of ``top``'s own name or apposition (no preposition or clause between)?"""
        while tok.i != top.i and tok.head.i != tok.i:
            if tok.dep_ not in ("compound", "appos", "flat", "amod", "nmod", "punct"):
                return False
            tok = tok.head
        return tok.i == top.i

    def subject_before(self, i: int, sent, kinds) -> str | None:
        """The event or organisation the words before token i are about."""
        ctx = self.ctx
        subject = self.clause_subject(i, kinds)
        if subject:
            return subject
        best = next(iter(reversed(ctx.within(sent.start, i, kinds))), None)
        described = self.description_before(i, sent, kinds)
        if described and (best is None or described[1] > best.start):
            return described[0]
        if best:
            return best.key
        if sent[0].lower_ in ("it", "its") and kinds:
            for placed in ctx.before(sent.start, kinds, 120):
                return placed.key
        return None

    def description_before(self, i, sent, kinds) -> tuple[str, int] | None:
        """(key, token) of the last "the forum"/"a food security entity" before token i."""
        found = None
        for tok in sent:
            if tok.i >= i:
                break
            key = self.described(tok, kinds)
            if key:
                found = (key, tok.i)
        return found

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
            if k > j and (not nxt or nxt.start != k) and self.doc[k - 1].lower_ == "and":
                # "X and former Polish President Y", "X and French pacifist Y": a description before a person
                m = k
                while m < min(sent.end, k + 6) and not self.ctx.at(m) and self.doc[m].pos_ in ("ADJ", "PROPN", "NOUN") \
                        or m < sent.end and self.ctx.at(m) and self.kind(self.ctx.at(m).key) in ("Country", "Position"):
                    m = self.ctx.at(m).end if self.ctx.at(m) else m + 1
                nxt = self.ctx.at(m) if m < sent.end else None
                nxt = nxt if nxt and nxt.start == m and self.kind(nxt.key) == "Person" else None
            elif k == j or not nxt or nxt.start != k or self.kind(nxt.key) not in AGENTS:
                break
            if nxt is None:
                break
            agents.append(nxt.key)
            j = nxt.end
        return agents

    # ---------------------------------------------------------------- people and speakers
    def holders(self) -> dict[str, list[str]]:
        """Person key → the roles of the posts the post pass found for them."""
        return self._holders

    def person_word(self, tok, *, skip_mention: Callable[[int], bool], earlier_speakers, described_speakers,
                    paragraph_gap: Callable[[int, int], int]) -> str | None:
        """A pronoun, "the President", "the report", "the agency", "it" or "the leader" to an entity.

        ``skip_mention(token_i)``: a person mention that cannot be the antecedent (quoted, after
        "by"); ``earlier_speakers``: (speaker key, content end offset) of statements found so far,
        last first, for "it said"; ``paragraph_gap(begin, end)``: paragraph breaks between offsets.
        """
        ctx = self.ctx
        if tok.lower_ in PRONOUNS:
            subject = self.subject_person_before(tok, skip_mention)
            if subject:
                return subject
            for placed in ctx.before(tok.i, ("Person",)):
                if not skip_mention(placed.start):
                    return placed.key
            return None
        if tok.lower_ in self.lex.address_styles and tok.i > 0 and self.doc[tok.i - 1].lower_ in ("his", "her"):
            return self._styled(tok, skip_mention)
        found = self._described_person(tok, described_speakers)
        if found:
            return found
        if tok.lower_ == "it" and tok.dep_ == "nsubj":
            for speaker, end in earlier_speakers:
                if ctx.kind(speaker) != "Person" and end < tok.idx and paragraph_gap(end, tok.idx) <= 1:
                    return speaker
                break
        if tok.lower_ in ("leader", "head"):
            for placed in ctx.before(tok.i, ("Person",)):
                if self._holders.get(placed.key):
                    return placed.key
        return None

    def _described_person(self, tok, described_speakers) -> str | None:
        """"the Minister", "the report" (a definite word), "the Chinese vice minister" (a nationality and a title)."""
        if tok.i > 0 and self.doc[tok.i - 1].lower_ in ("the", "this"):
            return self._definite_speaker(tok, described_speakers)
        if tok.i > 2 and self.lex.title(tok.text):
            return self._national_title_holder(tok)
        return None

    def _national_title_holder(self, tok) -> str | None:
        """"The Chinese vice minister said": the last person named who holds a post with the title's words
        ("Vice Foreign Minister") owned by the adjective's country."""
        k, words, country = tok.i - 1, [], None
        while k > 0 and tok.i - k <= 3 and self.doc[k].lower_ not in ("the", "this"):
            adjective = self.lex.country_of_adjective(self.doc[k].text)
            if adjective:
                country = adjective
            elif self.doc[k].text.islower() and self.doc[k].is_alpha:
                words.append(self.doc[k].lower_)
            else:
                return None
            k -= 1
        if country is None or self.doc[k].lower_ not in ("the", "this"):
            return None
        role = self.lex.title(tok.text)[0].lower()
        for placed in self.ctx.before(tok.i, ("Person",)):
            roles = [r.lower() for r in self._holders.get(placed.key, [])]
            if any(role in r and all(w in r for w in words) for r in roles) \
                    and any(norm(country) == norm(o) for o in self._owners.get(placed.key, ())):
                return placed.key
        return None

    def _styled(self, tok, skip_mention) -> str | None:
        """"His Highness said": the last person named after the same style ("His Highness Sheikh X"), else
        the subject of the clauses before."""
        for placed in self.ctx.before(tok.i, ("Person",)):
            if any(t.lower_ == tok.lower_ for t in self.doc[max(0, placed.start - 3):placed.start]):
                return placed.key
        return self.subject_person_before(tok, skip_mention)

    def subject_person_before(self, tok, skip_mention: Callable[[int], bool], sentences: int = 4) -> str | None:
        """"He"/"she" is the person who was the subject of the nearest clause before it ("Health
        Minister X launched the campaign at Y Hospital. She said …" is X, not a name in an object).
        Looks back over the start of the pronoun's sentence and a few sentences before it."""
        sent = tok.sent
        for _ in range(sentences + 1):
            people = [p for p in self.ctx.within(sent.start, min(sent.end, tok.i), ("Person",))
                      if not skip_mention(p.start) and self._in_subject_role(p)]
            if people:
                return people[0].key
            if sent.start == 0:
                return None
            sent = self.doc[sent.start - 1].sent
        return None

    def _in_subject_role(self, placed) -> bool:
        """The mention is (part of) a clause subject: its head, climbing names and appositions."""
        tok = self.doc[placed.start]
        head = tok
        while placed.start <= head.head.i < placed.end and head.head.i != head.i:
            head = head.head
        seen, apposed = set(), False
        while head.i not in seen:
            seen.add(head.i)
            if head.dep_ in ("nsubj", "nsubjpass"):
                return True
            # "The IFRC's regional director for Asia Pacific, X, said": the parser often hangs the
            # apposition on the last noun of the subject's phrase; past it, climb that phrase too
            if head.dep_ not in ("compound", "flat", "appos", "amod") + (("pobj", "prep") if apposed else ()) \
                    or head.head.i == head.i:
                return False
            apposed = apposed or head.dep_ == "appos"
            head = head.head
        return False

    def _definite_speaker(self, tok, described_speakers) -> str | None:
        """"the Minister", "the report", "the agency" (a definite article before the word)."""
        ctx = self.ctx
        role = self.lex.title(tok.text)
        if role and role[1] != "honorific":
            # "the Minister" is the person the clauses before are about when a post of theirs has that title
            # word ("She invited Sheikh X … ‘…,’ the minister said": she, not X), else the last person named
            # whose post has it
            subject = self.subject_person_before(tok, lambda i: False)
            if subject and any(role[0].lower() in r.lower() for r in self._holders.get(subject, [])):
                return subject
            for placed in ctx.before(tok.i, ("Person",)):
                if any(role[0].lower() in r.lower() for r in self._holders.get(placed.key, [])):
                    return placed.key
        roles = self.lex.role_nouns.get(tok.lower_)
        if roles:
            # "the diplomat said": the last person named whose post is one a diplomat holds
            for placed in ctx.before(tok.i, ("Person",)):
                if any(role.lower() in r.lower() for r in self._holders.get(placed.key, []) for role in roles):
                    return placed.key
        if tok.lower_ in described_speakers:
            for placed in ctx.before(tok.i, ("Document",), 600):
                if tok.lower_ in ctx.entities[placed.key].label.lower():
                    return placed.key
        if tok.lower_ in self.lex.org_nouns:
            for placed in ctx.before(tok.i, ("Organisation",), 300):
                label = ctx.entities[placed.key].label.lower()
                if tok.lower_ in label or tok.lower_ in ("company", "firm", "group", "organisation", "organization"):
                    return placed.key
        return None
