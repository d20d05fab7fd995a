"""What the relation, post and statement rules share about one parsed document."""

from __future__ import annotations

from bisect import bisect_right

from .entities import EntityTable, Placed
from .model import Span, document_key


class Context:
    def __init__(self, document, doc, lex):
        self.document = document
        self.doc = doc
        self.lex = lex
        self.table = EntityTable(lex)
        self.doc_key = document_key(document)
        self.placed: list[Placed] = []
        self._starts: list[int] = []
        self.memo: dict = {}        # per-document results computed once (posts.subject_organisation …)

    def index(self) -> None:
        """Sort mentions by position once entities are final."""
        self.placed = sorted((p for p in self.table.placed if p.key in self.table.entities), key=lambda p: p.start)
        self._starts = [p.start for p in self.placed]

    # -- entities
    @property
    def entities(self):
        return self.table.entities

    def kind(self, key: str | None) -> str | None:
        entity = self.table.entities.get(key) if key else None
        return entity.kind if entity else None

    def at(self, token_i: int) -> Placed | None:
        k = bisect_right(self._starts, token_i) - 1
        while k >= 0 and k >= bisect_right(self._starts, token_i) - 3:
            placed = self.placed[k]
            if placed.start <= token_i < placed.end:
                return placed
            k -= 1
        return None

    def within(self, start: int, end: int, kinds=None) -> list[Placed]:
        """Mentions inside tokens [start, end), optionally of some kinds, in order."""
        k = bisect_right(self._starts, start - 1)
        out = []
        while k < len(self.placed) and self.placed[k].start < end:
            placed = self.placed[k]
            if placed.end <= end and (kinds is None or self.kind(placed.key) in kinds):
                out.append(placed)
            k += 1
        return out

    def before(self, token_i: int, kinds, limit_tokens: int = 400) -> list[Placed]:
        """Mentions of some kinds before token_i, nearest first."""
        return list(reversed(self.within(max(0, token_i - limit_tokens), token_i, kinds)))

    # -- text
    def text_of(self, span) -> str:
        """``span.text`` read from the document's text: spaCy joins the span's tokens on every call,
        and the rules ask for each sentence's text many times."""
        return self.document.text[span.start_char:span.end_char]

    def sentence_span(self, sent) -> Span:
        return Span(sent.start_char, sent.end_char)

    def dateline_end(self) -> int:
        """Offset where the dateline ("LISBON, April 23 (Meridian News) —") ends, or 0."""
        if "dateline_end" in self.memo:
            return self.memo["dateline_end"]
        import re

        match = re.search(r"^[A-Z][A-Z .'\-]{2,40},?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}[^\n—–]{0,60}?[—–-]\s",
                          self.document.text[:1500], re.MULTILINE) or re.search(
            # "Maputo (AFP) –", "GENEVA, 13 February (Reuters) -": a town and an agency's tag, no date needed
            r"^[A-Z][\w .'\-]{1,40}?(?:,[^\n()]{0,40})?\s*\([A-Z][\w .&'\-]{1,30}\)\s*[—–-]+\s",
            self.document.text[:1500], re.MULTILINE) or re.search(
            # "CHOLPON-ATA, May 21. /TASS/.", "ULAANBAATAR. MONTSAME –": the town, the agency's name in capitals
            r"^[A-Z][A-Z .'\-]{2,40}(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\.\s*/[A-Z]{2,12}/\.|\.\s+[A-Z]{3,12}\s*[—–-]+)\s",
            self.document.text[:1500], re.MULTILINE)
        self.memo["dateline_end"] = match.end() if match else 0
        return self.memo["dateline_end"]

    def main_event(self) -> str | None:
        """The event the article is about: the first one named in its first paragraphs."""
        for placed in self.placed:
            if self.kind(placed.key) == "Event" and self.doc[placed.start].sent.start_char < 1500:
                return placed.key
        return None
