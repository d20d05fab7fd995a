"""The rule registry: one ordered table of (name, cue words, confidence, function).

The table itself is data, ``data/lexicon/rules.tsv``: its order is the order rules run in, its
``confidence`` is what every fact of the rule records, its ``cues`` say where the rule is tried.
Each rule is a small function in this package registered under the same name with
:func:`rule`; the name is what ``kg:method`` records. Importing this package checks that the
table and the functions agree (a row without a function, or a function without a row, is an
error), so a rule cannot be added in one place only.

Several rules may share a cue ("by": ``organised-by`` and ``initiated-by``): every rule whose
cue matches is tried, in table order. What happens when their results disagree is decided in one
place, :func:`resolve`.

>>> [r.name for r in rules_for("token", "by")]
['organised-by', 'initiated-by']
>>> get("proposed-at").confidence_of("event-date")
0.7
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from ...lexicon import lexicon_path, load_table, load_words
from ..model import EntityRef, Fact

SCOPES = ("document", "event", "token", "sentence", "follows")
_FUNCTIONS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Rule:
    name: str                       # written as kg:method
    family: str
    scope: str                      # see SCOPES and data/lexicon/rules.tsv
    cues: frozenset[str]
    confidence: float
    function: Callable
    variants: dict[str, float] = field(default_factory=dict, compare=False, hash=False)

    def confidence_of(self, variant: str | None = None) -> float:
        return self.variants[variant] if variant else self.confidence


def rule(name: str):
    """Register ``function`` as the rule ``name`` of data/lexicon/rules.tsv."""
    def register(function):
        if name in _FUNCTIONS:
            raise ValueError(f"rule {name!r} registered twice")
        _FUNCTIONS[name] = function
        return function
    return register


def _cue_words(cell: str) -> frozenset[str]:
    words: set[str] = set()
    for part in filter(None, (p.strip() for p in cell.split("|"))):
        if not part.startswith("@"):
            words.add(part.lower())
        elif part.endswith(".tsv"):
            words.update(next(iter(row.values())).lower() for row in load_table(part[1:]) if row)
        elif lexicon_path(part[1:]).exists():
            words.update(load_words(part[1:]))
    return frozenset(words)


@cache
def registry() -> tuple[Rule, ...]:
    """Every rule, in table order."""
    _import_rule_modules()
    rows = load_table("rules.tsv")
    variants: dict[str, dict[str, float]] = {}
    for row in rows:
        name, _, variant = row["rule"].partition("/")
        if variant:
            variants.setdefault(name, {})[variant] = float(row["confidence"])
    table = []
    for row in rows:
        if "/" in row["rule"]:
            continue
        name = row["rule"]
        if name not in _FUNCTIONS:
            raise LookupError(f"data/lexicon/rules.tsv names {name!r}, but no function is registered for it")
        if row["scope"] not in SCOPES:
            raise ValueError(f"rule {name!r}: unknown scope {row['scope']!r}")
        table.append(Rule(name, row["family"], row["scope"], _cue_words(row["cues"]), float(row["confidence"]),
                          _FUNCTIONS[name], variants.get(name, {})))
    missing = set(_FUNCTIONS) - {r.name for r in table}
    if missing:
        raise LookupError(f"rules registered but not in data/lexicon/rules.tsv: {sorted(missing)}")
    return tuple(table)


@cache
def get(name: str) -> Rule:
    return next(r for r in registry() if r.name == name)


def rules_for(scope: str, cue: str | None = None) -> tuple[Rule, ...]:
    """The rules of one scope, in table order; for token rules, those cued by the word ``cue``."""
    return tuple(r for r in registry() if r.scope == scope and (cue is None or cue in r.cues))


@cache
def token_cues() -> dict[str, tuple[Rule, ...]]:
    """Cue word → the token rules it triggers, in table order (one lookup per token)."""
    out: dict[str, list[Rule]] = {}
    for r in rules_for("token"):
        for word in r.cues:
            out.setdefault(word, []).append(r)
    order = {r.name: i for i, r in enumerate(registry())}
    return {word: tuple(sorted(rs, key=lambda r: order[r.name])) for word, rs in out.items()}


def resolve(facts: Iterable[Fact], entities) -> list[Fact]:
    """The one place where the results of several rules are reconciled.

    Facts arrive in reading order (sentence by sentence; within a sentence, in table order).
    When several rules give the same triple, the first one is kept: its rule name and confidence
    are the evidence. A fact about, or pointing at, an entity that did not survive entity
    building is dropped (the document's own key is always kept).
    """
    seen = set()
    kept = []
    for fact in facts:
        marker = (fact.subject, fact.predicate, fact.value)
        if marker in seen or fact.subject not in entities and not fact.subject.startswith("document/"):
            continue
        if isinstance(fact.value, EntityRef) and fact.value.key not in entities:
            continue
        seen.add(marker)
        kept.append(fact)
    return kept


def _import_rule_modules() -> None:
    from . import counts, events, initiatives, organisations, passes  # noqa: F401  (they register rules)


def facts_of(found: Sequence[Fact], subject: str, predicates: Iterable[str]) -> list[Fact]:
    wanted = set(predicates)
    return [f for f in found if f.subject == subject and f.predicate in wanted]
