"""``kg explain``: every fact about one entity, each with the sentence that supports it.

An entity is named as for a saved query's entity parameter: an IRI, a prefixed IRI
(``id:person/x``), a label or an alias. :func:`explain` returns the evidenced facts with the
entity as subject or object, and carries what else is known (names, types, Wikidata links,
mentions, the statements it made); :func:`format_explanation` renders it for a terminal.

>>> from pyoxigraph import Literal
>>> fact = ExplainedFact("out", NamedNode("https://w3id.org/newskg/id/event/x"), NamedNode("https://w3id.org/newskg/ontology#firstHeld"),
...                      Literal("2016"), "X Forum", None, "It was first held in 2016.", "first-held", 0.85,
...                      NamedNode("https://w3id.org/newskg/id/document/d"))
>>> print(format_fact(fact))
kg:firstHeld → 2016
  “It was first held in 2016.”
  [first-held, 0.85, id:document/d]
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Variable

from .errors import QueryError
from .queries import plain, resolve_entity, shorten

_PREFIXES = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""

# ?entity is bound through substitutions, so each query projects it.
_FACTS = _PREFIXES + """
SELECT DISTINCT ?entity ?direction ?subject ?predicate ?object ?subjectName ?objectName
                ?sentence ?method ?confidence ?source ?begin
WHERE {
  {
    ?evidence rdf:subject ?entity ; rdf:predicate ?predicate ; rdf:object ?object .
    BIND("out" AS ?direction)
    BIND(?entity AS ?subject)
  } UNION {
    ?evidence rdf:object ?entity ; rdf:predicate ?predicate ; rdf:subject ?subject .
    BIND("in" AS ?direction)
    BIND(?entity AS ?object)
  }
  ?evidence a kg:Evidence .
  OPTIONAL { ?subject rdfs:label ?subjectName }
  OPTIONAL { ?object rdfs:label ?objectName FILTER(isIRI(?object)) }
  OPTIONAL { ?evidence kg:sentence ?sentence }
  OPTIONAL { ?evidence kg:method ?method }
  OPTIONAL { ?evidence kg:confidence ?confidence }
  OPTIONAL { ?evidence kg:source ?source }
  OPTIONAL { ?evidence kg:beginIndex ?begin }
}
ORDER BY DESC(?direction) ?predicate STR(?object) ?subject ?source ?begin
"""

_STATEMENTS = _PREFIXES + """
SELECT DISTINCT ?entity ?statement ?text ?directQuote ?event ?eventName ?date ?deliveredBy
                ?sentence ?method ?confidence ?source ?begin
WHERE {
  ?statement a kg:Statement ; kg:speaker ?entity ; kg:text ?text .
  OPTIONAL { ?statement kg:isDirectQuote ?directQuote }
  OPTIONAL { ?statement kg:statedAt ?event OPTIONAL { ?event rdfs:label ?eventName } }
  OPTIONAL { ?statement kg:date ?date }
  OPTIONAL { ?statement kg:deliveredBy/rdfs:label ?deliveredBy }
  OPTIONAL { ?statement kg:sentence ?sentence }
  OPTIONAL { ?statement kg:method ?method }
  OPTIONAL { ?statement kg:confidence ?confidence }
  OPTIONAL { ?statement kg:source ?source }
  OPTIONAL { ?statement kg:beginIndex ?begin }
}
ORDER BY ?source ?begin ?statement
"""

_DESCRIPTION = _PREFIXES + """
SELECT DISTINCT ?entity ?property ?value
WHERE {
  VALUES ?property { rdfs:label skos:altLabel rdf:type owl:sameAs }
  ?entity ?property ?value .
}
ORDER BY ?property STR(?value)
"""

_MENTIONS = _PREFIXES + """
SELECT ?entity (COUNT(DISTINCT ?mention) AS ?mentions) (COUNT(DISTINCT ?document) AS ?documents)
WHERE { ?mention a kg:Mention ; kg:denotes ?entity ; kg:source ?document . }
GROUP BY ?entity
"""


@dataclass
class ExplainedFact:
    """One evidenced fact about the entity: ``direction`` is "out" (it is the subject) or "in"."""

    direction: str
    subject: NamedNode
    predicate: NamedNode
    object: NamedNode | Literal
    subject_label: str | None
    object_label: str | None
    sentence: str | None
    method: str | None
    confidence: float | None
    source: NamedNode | None
    begin: int | None = None


@dataclass
class ExplainedStatement:
    """A statement the entity made (it is the ``kg:speaker``)."""

    statement: NamedNode
    text: str
    is_direct_quote: bool | None
    event: NamedNode | None
    event_label: str | None
    date: str | None
    delivered_by: str | None
    sentence: str | None
    method: str | None
    confidence: float | None
    source: NamedNode | None


class Explanation(list):
    """The entity's evidenced facts (a list of :class:`ExplainedFact`), and what else is known."""

    def __init__(self, entity: NamedNode, facts=()):
        super().__init__(facts)
        self.entity = entity
        self.labels: list[str] = []
        self.aliases: list[str] = []
        self.types: list[NamedNode] = []
        self.same_as: list[NamedNode] = []
        self.mentions = 0
        self.documents = 0
        self.statements: list[ExplainedStatement] = []

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else shorten(self.entity)


def _select(store, sparql: str, entity: NamedNode) -> list:
    try:
        return list(store.query(sparql, substitutions={Variable("entity"): entity}))
    except (SyntaxError, OSError, RuntimeError) as exc:
        raise QueryError(f"explaining {shorten(entity)} failed: {exc}") from None


def _value(term) -> str | None:
    return None if term is None else term.value


def _number(term) -> float | None:
    return None if term is None else float(term.value)


def explain(store, name_or_iri: str) -> Explanation:
    """Every evidenced fact about an entity, its names, types, links, mentions and statements."""
    entity = resolve_entity(store, name_or_iri)
    explanation = Explanation(entity, (
        ExplainedFact(
            direction=row["direction"].value, subject=row["subject"], predicate=row["predicate"],
            object=row["object"], subject_label=_value(row["subjectName"]),
            object_label=_value(row["objectName"]), sentence=_value(row["sentence"]),
            method=_value(row["method"]), confidence=_number(row["confidence"]), source=row["source"],
            begin=int(row["begin"].value) if row["begin"] is not None else None,
        )
        for row in _select(store, _FACTS, entity)
    ))
    for row in _select(store, _DESCRIPTION, entity):
        local = row["property"].value.rsplit("#", 1)[-1]
        target = {"label": explanation.labels, "altLabel": explanation.aliases,
                  "type": explanation.types, "sameAs": explanation.same_as}[local]
        target.append(row["value"].value if local in ("label", "altLabel") else row["value"])
    for row in _select(store, _MENTIONS, entity):
        explanation.mentions = int(row["mentions"].value)
        explanation.documents = int(row["documents"].value)
    explanation.statements = [
        ExplainedStatement(
            statement=row["statement"], text=row["text"].value,
            is_direct_quote=None if row["directQuote"] is None else row["directQuote"].value == "true",
            event=row["event"], event_label=_value(row["eventName"]), date=_value(row["date"]),
            delivered_by=_value(row["deliveredBy"]), sentence=_value(row["sentence"]),
            method=_value(row["method"]), confidence=_number(row["confidence"]), source=row["source"],
        )
        for row in _select(store, _STATEMENTS, entity)
    ]
    if not (explanation or explanation.labels or explanation.types or explanation.mentions
            or explanation.statements or explanation.same_as):
        raise QueryError(f"nothing is known about {shorten(entity)}")
    return explanation


# ---------------------------------------------------------------- formatting


def _named(term, label: str | None) -> str:
    if isinstance(term, NamedNode):
        return f"{label} ({shorten(term)})" if label else shorten(term)
    return plain(term)


def _provenance(method: str | None, confidence: float | None, source) -> str:
    parts = [method or "?", f"{confidence:.2f}" if confidence is not None else "?",
             shorten(source) if source is not None else "?"]
    return f"[{', '.join(parts)}]"


def format_fact(fact: ExplainedFact) -> str:
    """One block: ``predicate → object`` (or the whole triple for an incoming fact), the sentence, provenance."""
    predicate = shorten(fact.predicate)
    if fact.direction == "out":
        head = f"{predicate} → {_named(fact.object, fact.object_label)}"
    else:
        # The object is the entity being explained: its name is enough.
        head = f"{_named(fact.subject, fact.subject_label)} {predicate} → {fact.object_label or shorten(fact.object)}"
    lines = [head]
    if fact.sentence:
        lines.append(f"  “{' '.join(fact.sentence.split())}”")
    lines.append(f"  {_provenance(fact.method, fact.confidence, fact.source)}")
    return "\n".join(lines)


def format_statement(statement: ExplainedStatement) -> str:
    kind = {True: "quote", False: "reported"}.get(statement.is_direct_quote, "statement")
    context = []
    if statement.event is not None:
        context.append(f"at {_named(statement.event, statement.event_label)}")
    if statement.date:
        context.append(f"on {statement.date}")
    if statement.delivered_by:
        context.append(f"delivered by {statement.delivered_by}")
    lines = [f"“{' '.join(statement.text.split())}” ({kind}{', ' + ', '.join(context) if context else ''})"]
    if statement.sentence:
        lines.append(f"  in: “{' '.join(statement.sentence.split())}”")
    lines.append(f"  {_provenance(statement.method, statement.confidence, statement.source)}")
    return "\n".join(lines)


def format_explanation(explanation: Explanation) -> str:
    """The explanation as text: a summary of the entity, then one block per fact and statement."""
    lines = [f"{explanation.label} ({shorten(explanation.entity)})"]
    if explanation.types:
        lines.append("  type: " + ", ".join(shorten(t) for t in explanation.types))
    if explanation.aliases:
        lines.append("  also: " + ", ".join(explanation.aliases))
    if explanation.same_as:
        lines.append("  same as: " + ", ".join(shorten(t) for t in explanation.same_as))
    lines.append(f"  mentions: {explanation.mentions} in {explanation.documents} document(s)")
    lines += ["", f"Facts ({len(explanation)})"]
    lines += ["\n".join("  " + line for line in format_fact(fact).splitlines()) for fact in explanation]
    if explanation.statements:
        lines += ["", f"Statements ({len(explanation.statements)})"]
        lines += ["\n".join("  " + line for line in format_statement(s).splitlines())
                  for s in explanation.statements]
    return "\n".join(lines)
