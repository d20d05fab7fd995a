"""Where a rule is tried: the sentence, the cue token or event mention, and what is known so far."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Fact, Span


@dataclass(frozen=True)
class Site:
    refs: Any                       # references.References: the document and its resolution rules
    sent: Any                       # the spaCy sentence
    rule: Any                       # the Rule being tried (rules.Rule)
    found: Sequence[Fact] = ()      # facts of earlier sentences and earlier rules, read only
    token: Any = None               # token rules: the cue token
    mention: Any = None             # event rules: the event mention (entities.Placed)

    @property
    def ctx(self):
        return self.refs.ctx

    @property
    def doc(self):
        return self.refs.doc

    @property
    def text(self) -> str:
        return self.refs.ctx.document.text

    @property
    def sent_text(self) -> str:
        return self.refs.ctx.text_of(self.sent)

    @property
    def anchor(self):
        return self.refs.ctx.document.date

    def kind(self, key):
        return self.refs.ctx.kind(key)

    def fact(self, subject, predicate, value, variant: str | None = None, rule=None) -> list[Fact]:
        """The fact as this rule (or ``rule``) records it; none without a subject, a value or if
        the subject is its own value."""
        if not subject or value is None or subject == getattr(value, "key", None):
            return []
        by = rule or self.rule
        return [Fact(subject, predicate, value, Span(self.sent.start_char, self.sent.end_char),
                     by.confidence_of(variant), by.name)]

    def char_token(self, char: int) -> int:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None and len(span) else 0
