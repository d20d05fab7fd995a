"""Facts about events and organisations: the relation pass, which runs the registered rules.

The rules live in ``kg/extract/rules/`` (events, organisations, initiatives, counts), one small
function each, listed in order with their cues and confidences in ``data/lexicon/rules.tsv``.
For each sentence this pass tries, in table order:

1. ``event`` rules on every event mention of the sentence,
2. ``token`` rules on every token that is one of their cue words (all rules cued by a word are
   tried, not only the first),
3. ``sentence`` rules on the sentence as a whole.

Subjects are found by :mod:`kg.extract.references`; the facts of all rules are reconciled in
:func:`kg.extract.rules.resolve`.
"""

from __future__ import annotations

from .model import Fact
from .references import References
from .rules import rules_for, token_cues
from .rules.site import Site
from .tokens import tokens


def extract_relations(ctx, refs: References | None = None) -> list[Fact]:
    refs = refs or References(ctx)
    found: list[Fact] = []
    event_rules, sentence_rules, cues = rules_for("event"), rules_for("sentence"), token_cues()
    for sent in ctx.doc.sents:
        for placed in ctx.within(sent.start, sent.end, ("Event",)):
            for rule in event_rules:
                found.extend(rule.function(Site(refs, sent, rule, found, mention=placed)))
        lower = tokens(ctx.doc).lower      # (a list scan: most tokens cue no rule, so no Token is made for them)
        for i in range(sent.start, sent.end):
            for rule in cues.get(lower[i], ()):
                found.extend(rule.function(Site(refs, sent, rule, found, token=ctx.doc[i])))
        for rule in sentence_rules:
            found.extend(rule.function(Site(refs, sent, rule, found)))
    return found
