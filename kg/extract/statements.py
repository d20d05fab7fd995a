"""Statements: direct quotes and reported speech, with speaker, event, date and delivery.

Direct quotes are found on the characters (curly or straight marks, nested quotes, a quote
running over paragraphs when the next paragraph reopens it, an unclosed quote closed at its
paragraph's end so it never swallows the article). Reported speech is found on the parse: a
verb of saying (data/lexicon/speech_verbs.txt) whose subject resolves to an agent, with the
clause after it as the content. Pronouns ("he"), titles ("the President") and surnames resolve
to people by rule: no coreference model is available offline.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .dates import find_dates
from .entities import Placed
from .model import DateValue, Span, Statement
from .references import PRONOUNS, References
from .rules import get as get_rule

SPEAKER_KINDS = ("Person", "Organisation", "Country", "Document")
OPEN, CLOSE = "“", "”"
MIN_QUOTE_WORDS = 5
MIN_NAMED_WORDS = 2      # "called the decision “late but necessary”": a short description is still what was said
CORE_SPEECH_VERBS = {"said", "says", "say", "told", "tells", "stated", "states", "added", "adds", "noted", "notes",
                     "explained", "argued", "wrote", "warned", "warns", "insisted", "believes", "believe"}
DESCRIBED_SPEAKERS = {"report", "strategy", "statement", "document", "declaration", "treaty", "concept",
                      "communique", "communiqué", "resolution", "agreement", "plan", "charter", "convention"}
DELIVERY = re.compile(r"\b(?:delivered|read out|read|presented)\s+by\s*$", re.I)
ADDRESS = re.compile(r"\b(?:(?:opening|closing|keynote|welcoming)\s+(?:address|speech|remarks)|"
                     r"in\s+(?:his|her|their)\s+(?:address|speech|remarks)|"
                     r"told\s+(?:the\s+)?(?:delegates|participants|attendees|audience|gathering|meeting|plenary))\b", re.I)
SIDELINES = re.compile(r"\bon\s+the\s+sidelines\b(?!\s+of)", re.I)     # of the event the article reports
AS_STATED = re.compile(r"^\s*As\s+(\w+)\s+by\b", re.I)


@dataclass
class Quote:
    begin: int        # content offsets, marks excluded
    end: int
    close: int        # offset just after the closing mark (or the paragraph end)


def find_quotes(text: str) -> list[Quote]:
    """Top-level quotations of a text.

    >>> [text[q.begin:q.end] for text in ['He said: “It is “new” here,” she added.'] for q in find_quotes(text)]
    ['It is “new” here,']
    >>> text = '"We are not asking.\\n\\n"Next door, not next decade," he said.'
    >>> [text[q.begin:q.end] for q in find_quotes(text)]
    ['We are not asking.\\n\\n"Next door, not next decade,']
    """
    quotes = []
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    carry: int | None = None           # the begin of a quote running on from the previous paragraph
    for p_begin, p_end in paragraphs:
        para = text[p_begin:p_end]
        depth, begin = 0, None
        straight_open = False
        if carry is not None and para.lstrip().startswith((OPEN, '"')):
            depth, begin = 1, carry
            start = para.index(para.lstrip()[0]) + 1
            straight_open = para.lstrip()[0] == '"'      # reopened with a straight mark: it closes with one
        elif carry is not None and (close := _closing_only(para)) is not None:
            # a house style that does not reopen the quote: the next paragraph goes on and closes it
            quotes.append(Quote(carry, p_begin + close, p_begin + close + 1))
            carry, start = None, close + 1
        else:
            # an unclosed quote not reopened here was already closed at its paragraph's end
            carry, start = None, 0
        for i in range(start, len(para)):
            c = para[i]
            if c == OPEN or (c == '"' and not straight_open and depth == 0):
                if depth == 0:
                    begin = p_begin + i + 1
                depth += 1
                straight_open = straight_open or c == '"'
            elif (c == CLOSE or (c == '"' and straight_open)) and depth > 0:
                depth -= 1
                if c == '"':
                    straight_open = False
                if depth == 0:
                    quotes.append(Quote(begin, p_begin + i, p_begin + i + 1))
                    begin = None
        if depth > 0 and begin is not None:
            # Quote still open at the paragraph end: news style reopens it in the next paragraph.
            quotes.append(Quote(begin, p_end, p_end))
            carry = begin
        else:
            carry = None
    return _merge_runs(quotes, text)


def _closing_only(para: str) -> int | None:
    """Where a paragraph closes a quote it never opened ("… every year.”" after a paragraph that left a quote
    open), or None: its first mark is a closing one (a curly close, or a straight mark after a word or a
    stop and before a space or the paragraph's end)."""
    for i, c in enumerate(para):
        if c == OPEN:
            return None
        if c == CLOSE:
            return i
        if c == '"':
            closes = i > 0 and not para[i - 1].isspace() and (i + 1 == len(para) or not para[i + 1].isalnum())
            return i if closes else None
    return None


def _merge_runs(quotes: list[Quote], text: str) -> list[Quote]:
    merged: list[Quote] = []
    for quote in quotes:
        if merged and merged[-1].begin == quote.begin:
            merged[-1] = quote            # the same quote, continued into another paragraph
        else:
            merged.append(quote)
    return merged


class Breaks:
    """Paragraph breaks of a text, indexed once: ``count(begin, end)`` equals
    ``text.count("\\n\\n", begin, end)`` in O(log n).

    >>> text = "a\\n\\nb\\n\\n\\nc\\n\\n\\n\\nd"
    >>> breaks = Breaks(text)
    >>> all(breaks.count(i, j) == text.count("\\n\\n", i, j) for i in range(len(text) + 1) for j in range(len(text) + 1))
    True
    """

    def __init__(self, text: str):
        runs = [(m.start(), m.end()) for m in re.finditer(r"\n{2,}", text)]
        self.starts = [b for b, _ in runs]
        self.ends = [e for _, e in runs]
        self.before = [0, *accumulate((e - b) // 2 for b, e in runs)]    # breaks in the first k runs

    def count(self, begin: int, end: int) -> int:
        if end <= begin:
            return 0
        first = bisect_right(self.ends, begin)          # runs ending after begin
        last = bisect_left(self.starts, end)            # runs starting before end
        if first >= last:
            return 0
        # a run cut by begin or end counts the newlines inside [begin, end) only (non-overlapping "\n\n")
        total = self.before[last] - self.before[first]
        for k in {first, last - 1}:
            b, e = self.starts[k], self.ends[k]
            total += (min(e, end) - max(b, begin)) // 2 - (e - b) // 2
        return total


class QuoteIndex:
    """The quotes of a document, indexed once for offset look-ups."""

    def __init__(self, quotes: list[Quote]):
        by_begin = sorted(quotes, key=lambda q: q.begin)
        self.begins = [q.begin for q in by_begin]
        self.max_end = list(accumulate((q.end for q in by_begin), max))    # furthest end among the first k
        self.by_close = sorted(quotes, key=lambda q: q.close)
        self.closes = [q.close for q in self.by_close]

    def inside(self, char: int) -> bool:
        """Whether ``char`` lies inside some quote's content."""
        k = bisect_right(self.begins, char)
        return k > 0 and self.max_end[k - 1] > char

    def closing_within(self, lo: int, hi: int) -> list[Quote]:
        """Quotes closing at an offset in [lo, hi]."""
        return self.by_close[bisect_left(self.closes, lo):bisect_right(self.closes, hi)]

    def opening_within(self, lo: int, hi: int) -> list[int]:
        """Begins of quotes that open at an offset in [lo, hi]."""
        return self.begins[bisect_left(self.begins, lo):bisect_right(self.begins, hi)]


class StatementFinder:
    def __init__(self, ctx, refs: References | None = None):
        self.ctx = ctx
        self.refs = refs or References(ctx)
        self.doc = ctx.doc
        self.lex = ctx.lex
        self.text = ctx.document.text
        self.quotes = find_quotes(self.text)
        self.quote_index = QuoteIndex(self.quotes)
        self.breaks = Breaks(self.text)
        self.reach: list[int] = []      # furthest sentence end among the first k statements
        self.statements: list[Statement] = []
        self.pending: list = []
        self.pending_spans: set[Span] = set()
        self.last_quote = None
        self.unattributed: list = []    # quotes with no attribution of their own (see after_reported)
        self.summarised: dict = {}      # paragraph span → the sentence giving it to its speaker (summarised_speech)
        self.main_event = self.refs.main_event

    # -------------------------------------------------------------- helpers
    def resolve_person_word(self, tok) -> str | None:
        """A pronoun or "the President"/"the Kenyan leader" to the entity it refers to (references.py)."""
        return self.refs.person_word(
            tok, skip_mention=lambda i: self.inside_quote(self.doc[i].idx) or self._after_by(i),
            earlier_speakers=((st.speaker, st.span.end) for st, _ in reversed(self.pending)),
            described_speakers=DESCRIBED_SPEAKERS,
            paragraph_gap=self.breaks.count)

    def tokens(self, begin: int, end: int):
        return self.doc.char_span(begin, end, alignment_mode="expand") or self.doc[0:0]

    def inside_quote(self, char: int) -> bool:
        return self.quote_index.inside(char)

    def _after_by(self, i: int) -> bool:
        return i > 0 and self.doc[i - 1].lower_ == "by"

    def agent_at(self, tok) -> str | None:
        placed = self.ctx.at(tok.i)
        if placed and self.ctx.kind(placed.key) in SPEAKER_KINDS:
            # "France's Defence Strategy": the possessed name speaks
            nxt = placed.end
            if nxt + 1 < len(self.doc) and self.doc[nxt].text in ("’s", "'s"):
                owned = self.ctx.at(nxt + 1)
                if owned and self.ctx.kind(owned.key) in SPEAKER_KINDS:
                    return owned.key
            return placed.key
        return self.resolve_person_word(tok)

    # -------------------------------------------------------------- direct quotes
    def direct_quotes(self) -> None:
        for quote in self.quotes:
            content = self.text[quote.begin:quote.end].strip().strip("“”\"").strip()
            if len(content.split()) < MIN_NAMED_WORDS:
                continue
            named = self._named_by(quote)
            if len(content.split()) < MIN_QUOTE_WORDS and not named:
                continue
            found = named or self._attribution_after(quote) or self._attribution_before(quote) or self._continued(quote)
            if not found:
                if len(content.split()) >= MIN_QUOTE_WORDS:
                    self.unattributed.append((quote, content))
                continue
            speaker, verb = found
            self.last_quote = (quote, speaker, verb)
            sentence = self._sentence_around(quote, verb)
            self.add(speaker, content.rstrip(",").strip(), True, Span(quote.begin, quote.end), sentence,
                     verb, "quote-attribution")

    def after_reported(self) -> None:
        """"X, Kestrel project scientist, said the instruments would be switched on one by one. “The first
        science orbits begin in early December …”": a quote opening right after a sentence reporting what one
        speaker said, in the same paragraph, goes on in that voice."""
        for quote, content in self.unattributed:
            before = self.text[max(0, quote.begin - 3):quote.begin]
            if "\n" in before:
                continue        # a paragraph of its own
            previous = next((st for st, sent in self.pending if not st.is_direct_quote
                             and st.sentence.end <= quote.begin and quote.begin - st.sentence.end <= 3), None)
            if previous is None:
                continue
            verb = next(t for t in self.tokens(quote.begin, quote.begin + 1))
            self.add(previous.speaker, content.rstrip(",").strip(), True, Span(quote.begin, quote.end),
                     Span(quote.begin, quote.close), verb, "quote-attribution")

    def _continued(self, quote: Quote):
        """"“…,” said X. “…”": a quote right after an attributed one goes on in the same voice; so does a
        paragraph that opens with a quote of no attribution after a paragraph ending with X's ("“…,” X told
        delegates.¶“…”": news style names a new speaker, never leaves one implied)."""
        if not self.last_quote:
            return None
        previous, speaker, verb = self.last_quote
        between = self.text[previous.close:quote.begin]
        if between.count("\n\n") > 1 or "\n\n" in between and not between.rstrip(OPEN + '"').endswith("\n") \
                or len(between) > 160:
            return None
        # only the attribution of the previous quote ("said X.") may stand between the two
        if between.strip(" ,.") and not previous.close <= verb.idx < quote.begin:
            return None
        return speaker, verb

    def _attribution_after(self, quote: Quote):
        line_end = self.text.find("\n", quote.close)
        line_end = len(self.text) if line_end < 0 else line_end
        window = self.tokens(quote.close, min(line_end, quote.close + 200))
        for k, tok in enumerate(window):
            # (a name and a long appositive may stand before the verb: "…,” Luisa Mabunda, president of the
            # National Institute for Disaster Risk Management and Reduction (INGD), told reporters")
            if tok.text in (OPEN, '"', ";") or k > 30 or k > 1 and tok.text == "." or k > 14 and not any(
                    t.text == "," for t in window[1:k]):
                break
            if self._is_speech_verb(tok):
                # (a name the tagger took for another part of speech counts: "Kiely said", Kiely an adverb)
                before = [t for t in window[:k] if t.pos_ in ("PRON", "PROPN", "NOUN") or self.ctx.at(t.i)]
                found = [speaker for t in before if (speaker := self.agent_at(t))]
                people = [key for key in found if self.ctx.kind(key) == "Person"]
                if found and not people and before and self._titled_description(before[-1]):
                    # "the Labour MP said": a person described by a body and a title, the one spoken of before
                    person = self.refs.subject_person_before(before[-1], lambda i: self.inside_quote(self.doc[i].idx))
                    people = [person] if person else []
                if found:       # "Samoa's Prime Minister, Tavita Leota, said": the person speaks
                    return (people or found)[0], tok
                after = []      # "said ESA Director General Henrik Sørensen": the person, not the body
                for t in window[k + 1:k + 12]:
                    if t.text in (".", ";", OPEN, '"'):
                        break
                    speaker = self.agent_at(t)
                    if speaker and speaker not in after:
                        after.append(speaker)
                people = [key for key in after if self.ctx.kind(key) == "Person"]
                return ((people or after)[0], tok) if after else None
        return None

    def _named_by(self, quote: Quote):
        """"Arrieta called the agreement “a good day for passengers”", "hailed the Moroccan experience as “…”":
        a verb of naming (data/lexicon/naming_verbs.txt) a few words before the quote, in the same clause."""
        toks = self.tokens(max(0, quote.begin - 100), quote.begin - 1)
        for verb in reversed(list(toks)[-8:]):
            if verb.text in (".", ";", ":", OPEN, CLOSE, '"') or verb.pos_ in ("VERB", "AUX") \
                    and verb.lower_ not in self.lex.naming_verbs:
                return None     # another clause, or another verb, stands between
            if verb.lower_ in self.lex.naming_verbs and verb.pos_ == "VERB":
                speaker = self._subject_of(verb)
                return (speaker, verb) if speaker else None
        return None

    def _titled_description(self, tok) -> bool:
        """"the Labour MP", "the UNDP official", "the Kaunas native": a title or a person's noun after "the" and a
        name."""
        title = self.lex.title(tok.text)
        placed = self.ctx.at(tok.i - 1) if tok.i >= 2 else None
        k = placed.start - 1 if placed else 0
        k -= k > 0 and self.doc[k].lower_ in ("former", "ex", "veteran", "new")     # "the former Barbados captain"
        described = title and title[1] != "honorific" or tok.lower_ in self.lex.person_nouns  # ("the Kaunas native")
        return bool(described and placed and placed.end == tok.i and self.doc[k].lower_ == "the"
                    and not self.ctx.at(tok.i))

    def _attribution_before(self, quote: Quote):
        toks = self.tokens(max(0, quote.begin - 200), quote.begin - 1)
        end = len(toks)
        while end and toks[end - 1].is_space:
            end -= 1
        if end < len(toks) and "\n" in toks[end:].text and (not end or toks[end - 1].text != ":"):
            return None     # only "X said:" may introduce a quote from the paragraph before
        toks = toks[:end]
        if not len(toks) or toks[-1].text not in (":", ",") or len(toks) < 2:
            return None
        for verb in reversed(toks[-6:-1]):      # "said:", "told reporters:", "said in a statement:"
            if self._is_speech_verb(verb):
                speaker = self._subject_of(verb)
                return (speaker, verb) if speaker else None
        return None

    def _sentence_around(self, quote: Quote, verb) -> Span:
        first = self.tokens(quote.begin, quote.begin + 1)
        begin = first[0].sent.start_char if len(first) else quote.begin
        return Span(min(begin, quote.begin), max(verb.sent.end_char, quote.close))

    # -------------------------------------------------------------- reported speech
    def _is_speech_verb(self, tok) -> bool:
        nxt = self.doc[tok.i + 1] if tok.i + 1 < len(self.doc) else None
        misread = tok.lower_ in ("states", "notes", "says", "warns") and nxt is not None and nxt.lower_ == "that"
        if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBN", "VBG") and not misread:
            return False
        words = self.lex.speech_verbs
        if tok.lower_ in words:
            return True
        particle = next((c for c in tok.children if c.dep_ == "prt"), None)
        if particle and f"{tok.lower_} {particle.lower_}" in words:
            return True
        return bool(nxt is not None and nxt.lower_ in ("on", "for") and f"{tok.lower_} {nxt.lower_}" in words)

    def _subject_of(self, verb) -> str | None:
        ctx = self.ctx
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") \
                and verb.head.dep_ not in ("ccomp", "xcomp", "advcl", "relcl") \
                and any(c.dep_ == "ccomp" for c in verb.children):
            # "X congratulated Costa and said …", "The association welcomed the results but said …": the
            # subject of the first verb of the pair
            subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subj in subjects:
            if subj.lower_ == "who" and verb.dep_ == "relcl":
                # "Budi Santoso Nugroho, who said …": the person the relative clause is about
                speaker = self.agent_at(verb.head)
                if speaker:
                    return speaker
            ranked = self._subject_speakers(subj, verb)
            if ranked:
                return ranked[0]
        if subjects and not any(ctx.at(t.i) for t in subjects):
            return None         # "Parents in Chipata said": a description, no named speaker
        # the parser lost the subject: the first agent of the sentence before the verb
        for placed in ctx.within(verb.sent.start, verb.i, SPEAKER_KINDS):
            if not self._after_by(placed.start) and ctx.kind(placed.key) == "Person":
                return self.agent_at(self.doc[placed.start])
        first = verb.sent[0]
        if first.i < verb.i:
            for tok in verb.sent[: verb.i - verb.sent.start]:
                if tok.lower_ in PRONOUNS or self.lex.title(tok.text):
                    return self.resolve_person_word(tok)
                if tok.pos_ in ("VERB", "AUX"):
                    break
        return None

    def _subject_speakers(self, subj, verb) -> list[str]:
        """The agents a clause subject names, the likeliest speaker first.

        The subject's own name, its compounds and appositions come first, people before bodies
        ("The Minister for Tourism, Declan Moran, said"); a name inside a prepositional phrase or a
        possessive speaks only when the subject's head is a title, a body or a spokesman word
        ("officials at the ministry said", "the bank's board said"), never for "Parents in Chipata
        said" or "Krenn's lawyer said" (data/lexicon/speaker_nouns.txt)."""
        ctx, lex = self.ctx, self.lex
        head_word = subj.lower_
        head_speaks = bool(ctx.at(subj.i)) or subj.pos_ == "PROPN" or bool(lex.title(subj.text)) or \
            head_word in lex.org_nouns or head_word in lex.speaker_nouns or head_word in DESCRIBED_SPEAKERS
        head_mention = ctx.at(subj.i)
        ranked: dict[str, tuple] = {}
        for tok in subj.subtree:
            if tok.i >= verb.i or self._after_by(tok.i):
                continue
            path = self._path_to(tok, subj)
            if path & {"relcl", "advcl", "ccomp"}:
                continue        # "Dr X, who heads Gavi's programmes, said"
            # "the bulletin, published by FAO's X, reports" (acl): X speaks for it, if nothing nearer does
            placed = ctx.at(tok.i)
            speaker = placed.key if placed and ctx.kind(placed.key) == "Person" else self.agent_at(tok)
            # (an apposition the parser hangs inside the phrase is the subject's: "The Minister for Tourism,
            # Declan Moran, said"; not a country set beside a town there: "ESOC in Darmstadt, Germany, confirmed")
            inner = bool(path & {"prep", "pobj", "poss", "acl"}) and (
                "appos" not in path or speaker is not None and ctx.kind(speaker) == "Country")
            if inner and not head_speaks:
                continue
            if speaker and speaker not in ranked:
                own = head_mention is not None and placed is not None and placed.start == head_mention.start
                # people named in the subject (its own name first), then bodies, then what a word
                # refers to ("the head"); names inside a phrase last
                ranked[speaker] = (inner, ctx.kind(speaker) != "Person" or placed is None, not own,
                                   placed is None, tok.i)
        return sorted(ranked, key=ranked.get)

    @staticmethod
    def _path_to(tok, top) -> set[str]:
        """The dependency labels from ``tok`` up to ``top`` (its ancestor)."""
        deps = set()
        while tok.i != top.i and tok.head.i != tok.i:
            deps.add(tok.dep_)
            tok = tok.head
        return deps

    def according_to(self, sent) -> None:
        """"According to the OCHA, …" and "…, according to the ICS, a London-based association"."""
        doc = self.doc
        for tok in sent:
            if tok.lower_ != "according" or tok.i + 2 >= sent.end or doc[tok.i + 1].lower_ != "to":
                continue
            source = next((p for p in self.ctx.within(tok.i + 2, min(sent.end, tok.i + 12), SPEAKER_KINDS)), None)
            if self.inside_quote(tok.idx):
                continue
            if source is None and doc[tok.i + 2].lower_ in ("him", "her"):
                # "According to her, …": the person the pronoun stands for
                skip = lambda i: self.inside_quote(self.doc[i].idx) or self._after_by(i)  # noqa: E731
                speaker = self.refs.subject_person_before(doc[tok.i + 2], skip) or next(
                    (p.key for p in self.ctx.before(tok.i, ("Person",)) if not skip(p.start)), None)
                if speaker is None:
                    continue
                source = Placed(tok.i + 2, tok.i + 3, speaker)
            elif source is None:
                # "according to the ministry": the body named before with that word in its name
                noun = doc[tok.i + 3] if tok.i + 3 < sent.end and doc[tok.i + 2].lower_ == "the" else None
                speaker = self.refs.body_called(noun) if noun is not None else None
                if speaker is None:
                    continue
                source = Placed(noun.i, noun.i + 1, speaker)
            speaker = self.agent_at(doc[source.start]) if self.ctx.at(source.start) else source.key
            comma = next((t for t in doc[source.end:sent.end] if t.text == ","), None)
            if comma is not None and self.ctx.kind(speaker) != "Person":
                # "According to the Secretary-General of the Andean Community, Carolina Miranda, …": the
                # person set off after the body speaks
                named = self.ctx.at(comma.i + 1)
                if named and named.start == comma.i + 1 and self.ctx.kind(named.key) == "Person" \
                        and named.end < sent.end and doc[named.end].text == ",":
                    speaker, source, comma = named.key, named, doc[named.end]
            if tok.i - sent.start <= 1:
                if comma is not None:
                    self._content(speaker, tok, comma.i + 1, sent, "according-to")
            elif tok.i > sent.start + 4 and doc[tok.i - 1].text == ",":
                end = tok.i - 1
                span = Span(doc[sent.start].idx, doc[end - 1].idx + len(doc[end - 1].text))
                self.add(speaker, self.text[span.begin:span.end], False, span, self.ctx.sentence_span(sent),
                         tok, "according-to")

    def reported_speech(self) -> None:
        for sent in self.doc.sents:
            self._as_stated(sent)
            self.according_to(sent)
            for tok in sent:
                if self.inside_quote(tok.idx):
                    continue
                if tok.lower_ in self.lex.speech_nouns and tok.i + 2 < sent.end and self.doc[tok.i + 1].lower_ == "by":
                    self._noun_by(tok, sent)
                    continue
                if not self._is_speech_verb(tok) or self._quote_attribution_verb(tok):
                    continue
                if tok.dep_ == "ccomp" and tok.head.i > tok.i and self._is_speech_verb(tok.head):
                    continue    # "Kenya will ask the EAC to rule …, Minister X said": what X said
                if any(span.begin <= tok.idx < span.end for span in self.pending_spans) and not (
                        tok.dep_ == "conj" and any(c.dep_ == "nsubj" and self.ctx.at(c.i) for c in tok.children)):
                    continue    # "X told … that the union would ask Y to host …": a verb inside what X said
                    # (unless a second speaker is named beside the first: "WFP said …, and UNICEF said …")
                if tok.dep_ in ("amod", "acl") or any(c.lower_ == "as" for c in tok.children):
                    continue
                if self._content_before(tok, sent):
                    continue
                complement = self._complement(tok, sent)
                if complement is None:
                    continue
                speaker = self._subject_of(tok)
                if not speaker:
                    continue
                self._content(speaker, tok, complement, sent, "reported-speech")

    def _complement(self, verb, sent) -> int | None:
        """Where the reported content starts: after "that"/":" or at the clause the verb governs.

        "said", "told", "stated" may go without "that" ("he said the plan works"); other verbs
        of saying need a clause, so "announced the project" or "pledged 45 million" is no statement.
        """
        doc = self.doc
        particle = next((c for c in verb.children if c.dep_ == "prt"), None)
        start = (particle.i if particle is not None and particle.i > verb.i else verb.i) + 1
        if start < sent.end and f"{verb.lower_} {doc[start].lower_}" in self.lex.speech_verbs:
            return start + 1        # "calls on the UN to …", "called for …"
        for j in range(start, min(sent.end, start + 8)):
            if doc[j].lower_ in ("that", ":") or doc[j].lower_ in ("how", "whether") and j == start:
                return j + (doc[j].lower_ in ("that", ":"))
            if doc[j].pos_ in ("VERB", "AUX") or doc[j].text in (".", ";"):
                break
        clause = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i), None)
        if clause is None and verb.lower_ in ("told", "tell", "tells", "telling") and any(
                c.dep_ in ("dobj", "dative", "iobj") for c in verb.children):
            return None     # "… told reporters in Maputo.": whom it was said to, and nothing said after it
        if clause is not None and verb.lower_ in self.lex.proposal_verbs:
            return verb.i       # "proposed establishing a joint working group": the proposal is what was said
        if clause is not None:
            return min(t.i for t in clause.subtree)
        if verb.lower_ in CORE_SPEECH_VERBS and start < sent.end and doc[start].pos_ not in ("ADP", "PUNCT"):
            return start
        return None

    def _content_before(self, verb, sent) -> bool:
        """"Progress has stalled in Africa, the WHO said on Thursday": the content comes first."""
        doc = self.doc
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if any(c.dep_ in ("ccomp",) and c.i > verb.i for c in verb.children):
            return False
        if subjects:
            first = min(t.i for t in subjects[0].subtree)
            speaker = self._subject_of(verb) if first > sent.start and doc[first - 1].text == "," else None
        else:
            first, speaker = self._closing_agent(verb, sent)
        if first - 1 - sent.start < 5 or not speaker:
            return False
        if not any(t.pos_ in ("VERB", "AUX") for t in doc[sent.start:first - 1]):
            return False        # "At a victory rally in the capital on Monday, she promised …": no clause said
        end = first - 1
        # the content starts after the dateline ("Maputo (AFP) – The death toll rose …, the agency said")
        begin = max(doc[sent.start].idx, self.ctx.dateline_end())
        span = Span(begin, doc[end - 1].idx + len(doc[end - 1].text))
        if span.end <= span.begin:
            return False
        if self.inside_quote(span.begin) or self.text[span.begin] in (OPEN, '"'):
            return True
        self.add(speaker, self.text[span.begin:span.end], False, span, self.ctx.sentence_span(sent), verb,
                 "content-before-verb")
        return True

    def _closing_agent(self, verb, sent) -> tuple[int, str | None]:
        """", Indonesia's Ministry of Transportation said." when the parser lost the subject: the name
        right before a verb that ends the sentence, after a comma (its first token, its key)."""
        doc, ctx = self.doc, self.ctx
        placed = ctx.at(verb.i - 1) if verb.i > sent.start else None
        if not placed or placed.end != verb.i or ctx.kind(placed.key) not in SPEAKER_KINDS:
            return 0, None
        if verb.i + 1 < sent.end and not doc[verb.i + 1].is_punct:
            return 0, None
        first = placed.start
        if first >= 2 and doc[first - 1].text in ("’s", "'s") and ctx.at(first - 2):
            first = ctx.at(first - 2).start          # "Indonesia's Ministry of …": the ministry speaks
        first -= first > sent.start and doc[first - 1].lower_ == "the"
        if first <= sent.start or doc[first - 1].text != ",":
            return 0, None
        return first, self.agent_at(doc[first]) if first < placed.start else placed.key

    def _content(self, speaker, verb, start, sent, method) -> None:
        doc = self.doc
        while start < sent.end and doc[start].lower_ in ("that", ":", ",", "among", "others", "also"):
            start += 1
        end = sent.end
        while end > start and doc[end - 1].is_punct and doc[end - 1].text not in ("”", '"'):
            end -= 1
        if end - start < 4:
            return
        span = Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        self.add(speaker, self.text[span.begin:span.end], False, span, self.ctx.sentence_span(sent), verb,
                 method)

    def _quote_attribution_verb(self, tok) -> bool:
        """The "said" of "“…,” he said" belongs to the quote, not to reported speech."""
        for quote in self.quote_index.closing_within(tok.idx - 60, tok.idx):
            between = self.text[quote.close:tok.idx]
            if "\n" not in between and not re.search(r"[.!?]\s", between) \
                    and not re.fullmatch(r"\W*\s+and\s+", between):
                return True     # (not "called the deal “a good day” and said Madrid …": a clause of its own)
        return any(re.search(r"[:,]\s*$", self.text[tok.idx:begin - 1])
                   for begin in self.quote_index.opening_within(tok.idx, tok.idx + 40))

    def _as_stated(self, sent) -> None:
        """"As stated by the Kenyanstan government, this forum is …"."""
        match = AS_STATED.match(self.ctx.text_of(sent))
        if not match or match.group(1).lower() not in self.lex.speech_verbs:
            return
        by = next((t for t in sent if t.lower_ == "by"), None)
        comma = next((t for t in sent if t.text == "," and by is not None and t.i > by.i), None)
        if by is None or comma is None:
            return
        speaker = next((p.key for p in self.ctx.within(by.i + 1, comma.i, SPEAKER_KINDS)), None)
        if speaker:
            self._content(speaker, sent[1], comma.i + 1, sent, "as-stated-by")

    def _noun_by(self, noun, sent) -> None:
        """"the remarks by Okafor that …"."""
        speaker = self.agent_at(self.doc[noun.i + 2])
        if not speaker:
            return
        placed = self.ctx.at(noun.i + 2)
        j = placed.end if placed else noun.i + 3
        if j < sent.end and self.doc[j].lower_ == "that":
            self._content(speaker, noun, j + 1, sent, "remarks-by")

    def summarised_speech(self) -> None:
        """"This is a summary of what was said by UNHCR spokesperson X … at today's press briefing" (the UN's
        briefing notes, data/lexicon/summary_attributions.txt): every later paragraph of prose that gives its
        words to no one else is X's, said at the event that sentence names."""
        lowered = self.text.lower()
        found = next(((m, len(phrase)) for phrase in self.lex.summary_attributions
                      if (m := lowered.find(phrase)) >= 0), None)
        if found is None:
            return
        tokens = self.tokens(found[0], found[0] + found[1])
        if not len(tokens):
            return
        sent = tokens[0].sent
        speakers = [p.key for p in self.ctx.within(tokens[-1].i + 1, sent.end, SPEAKER_KINDS)]
        people = [key for key in speakers if self.ctx.kind(key) == "Person"]
        if not speakers:
            return
        speaker = (people or speakers)[0]
        taken = [(st.sentence.begin, st.sentence.end) for st, _ in self.pending]
        for m in re.finditer(r"[^\n]+", self.text[sent.end_char:]):
            begin, end = sent.end_char + m.start(), sent.end_char + m.end()
            para = m.group().strip()
            if para.endswith(":"):
                break           # "For more information, please contact:" closes the notes
            if len(para.split()) < 8 or para[-1:] not in ".!?" or any(b < end and begin < e for b, e in taken):
                continue        # a heading, a caption, a paragraph with a speaker of its own
            first = self.tokens(begin, begin + 1)
            if len(first):
                self.add(speaker, para, False, Span(begin, end), Span(begin, end), first[0], "briefing-summary")
                self.summarised[Span(begin, end)] = sent

    # -------------------------------------------------------------- event, date, delivery
    def add(self, speaker, text, direct, span, sentence, verb, method) -> None:
        """Record a statement of the rule ``method`` (its confidence: data/lexicon/rules.tsv)."""
        if span in self.pending_spans:
            return
        self.pending_spans.add(span)
        sent = verb.sent
        statement = Statement(speaker=speaker, text=text, is_direct_quote=direct, span=span, sentence=sentence,
                              confidence=get_rule(method).confidence, method=method)
        statement.delivered_by = self._delivered_by(sent, speaker)
        statement.date = self._date(sent, span)
        self.pending.append((statement, sent))

    def assign_events(self) -> None:
        """In reading order, so a statement can take the event of the one before it."""
        self.pending.sort(key=lambda pair: pair[0].span.begin)
        for statement, sent in self.pending:
            said = self.summarised.get(statement.span)
            statement.stated_at = self._event(said or sent, statement.speaker, Span(0, 0) if said else statement.span)
            self.statements.append(statement)
            self.reach.append(max(self.reach[-1], statement.sentence.end) if self.reach else statement.sentence.end)

    def _event(self, sent, speaker, content: Span) -> str | None:
        ctx = self.ctx
        events = [p for p in ctx.within(sent.start, sent.end, ("Event",))
                  if not content.begin <= self.doc[p.start].idx < content.end]
        for placed in events:
            if placed.start > 0 and self.doc[placed.start - 1].lower_ in ("at", "to", "during", "the") :
                return placed.key
        if events:
            return events[0].key
        described = self._described_event(sent)
        if described:
            return described
        if self.main_event and SIDELINES.search(self.ctx.text_of(sent)):
            return self.main_event
        if ADDRESS.search(self.ctx.text_of(sent)):
            # "In his opening address, X said …", "X told delegates …": the event being reported
            for placed in self.ctx.before(sent.start, ("Event",), 250):
                return placed.key
            if self.main_event:
                return self.main_event
        paragraph_start = self.text.rfind("\n\n", 0, sent.start_char)
        for k in range(len(self.statements) - 1, -1, -1):
            if self.breaks.count(self.reach[k], sent.start_char) > 3:
                break       # no statement this far back ends near enough (gaps only grow going back)
            previous = self.statements[k]
            gap = self.breaks.count(previous.sentence.end, sent.start_char)
            if previous.speaker == speaker and gap <= 3:
                return previous.stated_at
            if gap <= 1 and previous.sentence.end <= sent.start_char and previous.sentence.begin >= paragraph_start - 2000:
                return previous.stated_at
        return None

    def _described_event(self, sent) -> str | None:
        """"the forum", "this summit": the event such words refer to (references.py)."""
        for tok in sent:
            if tok.lower_ in ("the", "this") and tok.i + 1 < sent.end:
                noun = self.doc[tok.i + 1]
                if noun.text.islower() and self.lex.head_type(noun.text) == "Event":
                    found = self.refs.event_called(noun.lower_, tok.i)
                    if found:
                        return found
        return None

    def _delivered_by(self, sent, speaker) -> str | None:
        for placed in self.ctx.within(sent.start, sent.end, ("Person",)):
            before = self.text[sent.start_char:self.doc[placed.start].idx]
            if DELIVERY.search(before) and placed.key != speaker:
                return placed.key
        return None

    def _date(self, sent, content: Span):
        head = self.text[sent.start_char:content.begin] if content.begin > sent.start_char else ""
        dates = [d.value for d in find_dates(head, self.ctx.document.date) if d.value.month]
        return dates[-1] if dates else None


def extract_statements(ctx, refs: References | None = None) -> list[Statement]:
    finder = StatementFinder(ctx, refs)
    finder.direct_quotes()
    finder.reported_speech()
    finder.after_reported()
    finder.summarised_speech()
    finder.assign_events()
    return finder.statements


# ------------------------------------------------------------------ the occasion an article reports
def reported_occasion(ctx, facts) -> str | None:
    """The occasion the article reports: a gathering its first paragraphs name that took place on the day
    of the lead's news ("Shareholders on Thursday approved …" — the annual general meeting on Thursday)."""
    from .rules.events import lead_of

    lead = lead_of(ctx)
    if lead is None:
        return None
    lead_sent, day, region_end = lead
    when = day.days[0]
    dates = {}
    for fact in facts:
        if fact.predicate in ("date", "startDate", "endDate") and isinstance(fact.value, DateValue):
            dates.setdefault(fact.subject, []).append(fact.value.days)
    for placed in ctx.placed:
        if ctx.doc[placed.start].idx >= region_end:
            return None
        if ctx.kind(placed.key) != "Event" or placed.key not in dates \
                or not ctx.lex.is_gathering(ctx.table.entities[placed.key].label):
            continue
        ranges = dates[placed.key]
        if min(r[0] for r in ranges) <= when <= max(r[1] for r in ranges):
            return placed.key
    return None


def assign_reported_occasion(ctx, statements, facts) -> None:
    """A statement the text places at no event was made at the occasion the article reports, when the
    article reports one (a meeting, a launch, a hearing): reporters quote what was said there."""
    from .rules.events import lead_of

    occasion = reported_occasion(ctx, facts)
    if not occasion:
        return
    day = lead_of(ctx)[1]
    for statement in statements:
        if statement.stated_at is None and statement.speaker != occasion and statement.date in (None, day):
            statement.stated_at = occasion      # (not what the text dates to another day)
