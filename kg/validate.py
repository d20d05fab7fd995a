"""SHACL validation of newskg graphs with pySHACL, against ``ontology/shapes.ttl``.

The ontology (``ontology/newskg.ttl``) is mixed into the data as pySHACL's ``ont_graph``, so
its subclass axioms apply to ``sh:class`` and ``sh:targetClass`` (a ``kg:Country`` is a
``kg:Agent``). No RDFS inference is run: every node newskg writes carries its own type, so a
node typed only by a property's range is itself a defect the shapes should see, and skipping
inference makes validation about six times faster (it gates every ingest). Warnings do not
make a graph non-conforming; violations do.

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> kg = "https://w3id.org/newskg/ontology#"
>>> rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
>>> statement = NamedNode("https://w3id.org/newskg/id/statement/doc-1")
>>> graph = NamedNode("https://w3id.org/newskg/graph/doc")
>>> quads = [Quad(statement, rdf_type, NamedNode(kg + "Statement"), graph),
...          Quad(statement, NamedNode(kg + "text"), Literal("Peace matters."), graph)]
>>> try:
...     check_quads(quads, where="doc.txt")
... except ValidationError as exc:
...     print(exc)
doc.txt: graph does not conform to the SHACL shapes (2 violations)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

if TYPE_CHECKING:      # rdflib and pySHACL are imported only when a graph fails the fast check
    import rdflib

from .errors import ValidationError

_REPO_ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"

ONTOLOGY_FILE = "newskg.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"


def ontology_dir() -> Path:
    """The ontology folder: the repository's in a checkout, the installed package's otherwise."""
    if (_REPO_ONTOLOGY / SHAPES_FILE).is_file():
        return _REPO_ONTOLOGY
    return Path(__file__).resolve().parent / "ontology"   # installed: kg/ontology


def _load_turtle(name: str) -> rdflib.Graph:
    import rdflib

    path = ontology_dir() / name
    graph = rdflib.Graph()
    graph.parse(path, format="turtle")
    return graph


@cache
def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes (``ontology/shapes.ttl``), parsed once per process."""
    return _load_turtle(SHAPES_FILE)


@cache
def ontology_graph() -> rdflib.Graph:
    """The OWL ontology (``ontology/newskg.ttl``), parsed once per process."""
    return _load_turtle(ONTOLOGY_FILE)


def violation_count(results_graph: rdflib.Graph) -> int:
    """Validation results of severity sh:Violation (warnings and infos are not counted)."""
    from rdflib.namespace import RDF, SH

    return sum(
        1 for result in results_graph.subjects(RDF.type, SH.ValidationResult)
        if results_graph.value(result, SH.resultSeverity) in (SH.Violation, None)
    )


def validate_dataset(data: rdflib.Graph) -> tuple[bool, str]:
    """Validate an rdflib graph (a Dataset is validated as the union of its graphs).

    Returns ``(conforms, report_text)``; the data graph is not modified.
    """
    conforms, _, report_text = _validate(data)
    return conforms, report_text


def _validate(data: rdflib.Graph) -> tuple[bool, rdflib.Graph, str]:
    import pyshacl

    conforms, results_graph, report_text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    return bool(conforms), results_graph, report_text


def _triples_graph(triples: Iterable[pyoxigraph.Triple]) -> rdflib.Graph:
    """pyoxigraph triples as an rdflib Graph (through N-Triples, which both sides read exactly)."""
    import rdflib

    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    if data:
        graph.parse(data=data.decode("utf-8"), format="nt")
    return graph


def _check(graph: rdflib.Graph, where: str) -> None:
    conforms, results_graph, report_text = _validate(graph)
    if not conforms:
        count = violation_count(results_graph)
        noun = "violation" if count == 1 else "violations"
        raise ValidationError(f"{where}: graph does not conform to the SHACL shapes ({count} {noun})",
                              report=report_text)


def check_quads(quads: Iterable[pyoxigraph.Quad], where: str) -> None:
    """Raise :class:`ValidationError` unless the triples of ``quads`` conform to the shapes.

    ``quads`` are one document's quads; their graph names are ignored. ``where`` (a file
    name) starts the error message. The prepared checker decides a conforming graph in a few
    milliseconds; any other graph goes to pySHACL, which gives the verdict and the report.
    """
    quads = quads if isinstance(quads, list) else list(quads)
    if fast_violations(quads) == 0:          # a quad's subject, predicate and object are read as a triple's
        return
    _check(_triples_graph([quad.triple for quad in quads]), where)


def store_graph(store) -> rdflib.Graph:
    """The union of every graph of a store (a KGStore or a pyoxigraph Store) as one rdflib Graph."""
    oxigraph_store = getattr(store, "store", store)
    triples = oxigraph_store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    return _triples_graph(triples)


def validate_store(store) -> tuple[bool, str]:
    """Validate the union of all graphs of ``store``: ``(conforms, report_text)``."""
    return validate_dataset(store_graph(store))


def store_violations(store) -> tuple[bool, int, str]:
    """Like :func:`validate_store`, with the number of violations: ``(conforms, count, report)``."""
    oxigraph_store = getattr(store, "store", store)
    triples = list(oxigraph_store.query("CONSTRUCT WHERE { ?s ?p ?o }", use_default_graph_as_union=True))
    if fast_violations(triples) == 0:
        return True, 0, "Validation Report\nConforms: True\n"
    conforms, results_graph, report_text = _validate(_triples_graph(triples))
    return conforms, (0 if conforms else violation_count(results_graph)), report_text


# ---------------------------------------------------------------- the prepared checker
#
# pySHACL costs ~75 ms per document (most of it copying the ontology into the data and walking
# rdflib graphs). The shapes newskg uses are a small SHACL Core subset, so they are compiled once
# per process into plain Python checks over an index of the data. The compiled checker only ever
# says "conforms" when every shape it evaluated passed; on anything else (a violation, or a shape
# feature it does not know) pySHACL runs as before and gives the verdict and the report, so a
# document can never pass here that pySHACL would refuse (tests/test_validate.py compares both).

_SH = "http://www.w3.org/ns/shacl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_KNOWN = {_SH + k for k in ("targetClass", "targetSubjectsOf", "property", "path", "minCount", "maxCount",
                            "datatype", "class", "nodeKind", "pattern", "minInclusive", "maxInclusive",
                            "lessThan", "or", "message", "name", "description")} | {
    _RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2000/01/rdf-schema#comment"}
_LEXICAL = {
    _XSD + "integer": re.compile(r"[+-]?\d+"),
    _XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    _XSD + "boolean": re.compile(r"true|false|1|0"),
    _XSD + "gYear": re.compile(r"-?\d{4,}(Z|[+-]\d\d:\d\d)?"),
    _XSD + "gYearMonth": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])(Z|[+-]\d\d:\d\d)?"),
    _XSD + "date": re.compile(r"\d{4}-\d\d-\d\d"),
    _XSD + "string": re.compile(r".*", re.S),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString": re.compile(r".*", re.S),
}
_NUMERIC = {_XSD + "integer", _XSD + "decimal"}


@dataclass
class _Property:
    path: str
    checks: list = field(default_factory=list)     # (kind, argument)


@dataclass
class _Shape:
    classes: set = field(default_factory=set)
    subjects_of: set = field(default_factory=set)
    properties: list = field(default_factory=list)


@dataclass
class _Compiled:
    shapes: list
    supers: dict            # class IRI -> itself and its superclasses
    supported: bool
    by_class: dict = field(default_factory=dict)        # class IRI -> the shapes targeting it
    by_predicate: dict = field(default_factory=dict)    # predicate IRI -> the shapes targeting its subjects


def _rdf_list(by_subject: dict, head: str) -> list[str]:
    items = []
    while head and head != "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil":
        node = by_subject.get(head, {})
        items += node.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#first", [])
        head = next(iter(node.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest", [])), None)
    return items


def _iri(v):
    return v.value if isinstance(v, pyoxigraph.NamedNode) else v


def _compile_property(by_subject: dict, spec: dict) -> _Property | None:
    """One property shape as checks, or None if it uses a feature the prepared checker lacks."""
    path = [_iri(p) for p in spec.get(_SH + "path", [])]
    if len(path) != 1 or path[0].startswith("_:") or any(k.startswith(_SH) and k not in _KNOWN for k in spec):
        return None
    prop = _Property(path[0])
    for key, values in spec.items():
        name = key[len(_SH):] if key.startswith(_SH) else None
        if name in ("minCount", "maxCount", "minInclusive", "maxInclusive"):
            prop.checks.append((name, Decimal(values[0].value)))
        elif name in ("datatype", "class", "nodeKind", "lessThan"):
            if name == "datatype" and _iri(values[0]) not in _LEXICAL:
                return None
            prop.checks.append((name, _iri(values[0])))
        elif name == "pattern":
            prop.checks.append((name, re.compile(values[0].value)))
        elif name == "or":
            options = []
            for alternative in _rdf_list(by_subject, _iri(values[0])):
                alt = by_subject.get(_iri(alternative), {})
                keys = set(alt) - {_RDF_TYPE}
                if keys == {_SH + "class"}:
                    options.append(("class", _iri(alt[_SH + "class"][0])))
                elif keys == {_SH + "datatype"} and _iri(alt[_SH + "datatype"][0]) in _LEXICAL:
                    options.append(("datatype", _iri(alt[_SH + "datatype"][0])))
                else:
                    return None
            prop.checks.append(("or", options))
    return prop


@cache
def compiled_shapes() -> _Compiled:
    """The shapes and the ontology's subclass axioms, parsed once per process (with pyoxigraph)."""
    by_subject: dict = {}
    for quad in pyoxigraph.parse(path=str(ontology_dir() / SHAPES_FILE)):
        key = quad.subject.value if not isinstance(quad.subject, pyoxigraph.BlankNode) else "_:" + quad.subject.value
        obj = quad.object
        value = ("_:" + obj.value) if isinstance(obj, pyoxigraph.BlankNode) else obj
        by_subject.setdefault(key, {}).setdefault(quad.predicate.value, []).append(value)
    direct: dict = {}
    for quad in pyoxigraph.parse(path=str(ontology_dir() / ONTOLOGY_FILE)):
        if quad.predicate.value == "http://www.w3.org/2000/01/rdf-schema#subClassOf" and \
                isinstance(quad.object, pyoxigraph.NamedNode):
            direct.setdefault(quad.subject.value, set()).add(quad.object.value)

    def closure(cls):
        seen, todo = {cls}, [cls]
        while todo:
            for parent in direct.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    supers = {cls: closure(cls) for cls in set(direct) | {p for ps in direct.values() for p in ps}}
    supported, shapes = True, []
    for props in by_subject.values():
        if _SH + "NodeShape" not in {_iri(t) for t in props.get(_RDF_TYPE, [])}:
            continue
        shape = _Shape({_iri(c) for c in props.get(_SH + "targetClass", [])},
                       {_iri(p) for p in props.get(_SH + "targetSubjectsOf", [])})
        supported &= all(not key.startswith(_SH) or key in _KNOWN for key in props)
        for ref in props.get(_SH + "property", []):
            prop = _compile_property(by_subject, by_subject.get(_iri(ref), {}))
            supported &= prop is not None
            if prop is not None:
                shape.properties.append(prop)
        shapes.append(shape)
    compiled = _Compiled(shapes, supers, supported)
    for shape in shapes:
        for cls in shape.classes:
            compiled.by_class.setdefault(cls, []).append(shape)
        for predicate in shape.subjects_of:
            compiled.by_predicate.setdefault(predicate, []).append(shape)
    return compiled


class _Index:
    """subject -> predicate -> values, from triples (IRIs as strings, literals as pyoxigraph Literals)."""

    def __init__(self, triples):
        self.data: dict = {}
        named, blank, data = pyoxigraph.NamedNode, pyoxigraph.BlankNode, self.data
        for t in triples:
            s, o = t.subject, t.object
            s = s.value if isinstance(s, named) else "_:" + str(s.value)
            value = o.value if isinstance(o, named) else ("_:" + o.value if isinstance(o, blank) else o)
            props = data.get(s)
            if props is None:
                props = data[s] = {}
            values = props.get(p := t.predicate.value)
            if values is None:
                props[p] = {value}
            else:
                values.add(value)

    def subjects(self):
        return self.data.keys()

    def values(self, s, p):
        return self.data.get(s, {}).get(p, ())


def _value_ok(kind, argument, value, index, supers) -> bool:
    if kind == "datatype":
        if not isinstance(value, pyoxigraph.Literal):
            return False
        lang = value.language
        datatype = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" if lang else value.datatype.value
        if datatype != argument or not _LEXICAL[argument].fullmatch(value.value):
            return False
        if argument == _XSD + "date":
            try:
                dt.date.fromisoformat(value.value)
            except ValueError:
                return False
        return True
    if kind == "class":
        if isinstance(value, pyoxigraph.Literal):
            return False
        return any(argument in supers.get(t, {t}) for t in index.values(value, _RDF_TYPE) if isinstance(t, str))
    if kind == "nodeKind":
        is_literal = isinstance(value, pyoxigraph.Literal)
        is_blank = not is_literal and value.startswith("_:")
        kinds = {_SH + "IRI": not is_literal and not is_blank, _SH + "BlankNode": is_blank, _SH + "Literal": is_literal,
                 _SH + "BlankNodeOrIRI": not is_literal, _SH + "IRIOrLiteral": not is_blank,
                 _SH + "BlankNodeOrLiteral": is_blank or is_literal}
        return kinds.get(argument, False)
    if kind == "pattern":
        if not isinstance(value, pyoxigraph.Literal) and value.startswith("_:"):
            return False
        return bool(argument.search(value.value if isinstance(value, pyoxigraph.Literal) else value))
    if kind in ("minInclusive", "maxInclusive"):
        number = _number(value)
        return number is not None and (number >= argument if kind == "minInclusive" else number <= argument)
    if kind == "or":
        return any(_value_ok(k, a, value, index, supers) for k, a in argument)
    return False


def _number(value):
    if isinstance(value, pyoxigraph.Literal) and value.datatype.value in _NUMERIC and \
            _LEXICAL[value.datatype.value].fullmatch(value.value):
        return Decimal(value.value)
    return None


def fast_violations(triples, focus: set | None = None, index: _Index | None = None) -> int | None:
    """How many constraints fail (0: conforms), or None when the shapes need pySHACL.

    ``focus`` restricts the check to those subjects (all by default); their values and the
    types of their values are read from the whole data."""
    compiled = compiled_shapes()
    if not compiled.supported:
        return None
    index = index or _Index(triples)
    supers, by_class, by_predicate = compiled.supers, compiled.by_class, compiled.by_predicate
    candidates = index.subjects() if focus is None else [s for s in focus if s in index.data]
    failures = 0
    for s in candidates:
        props = index.data[s]
        # the shapes that target s: through its classes (and their superclasses) or its predicates
        targeting = {}
        for t in props.get(_RDF_TYPE, ()):
            if isinstance(t, str):
                for cls in supers.get(t, (t,)):
                    for shape in by_class.get(cls, ()):
                        targeting[id(shape)] = shape
        for predicate in props:
            for shape in by_predicate.get(predicate, ()):
                targeting[id(shape)] = shape
        for shape in targeting.values():
            for prop in shape.properties:
                failures += _property_failures(prop, props, index, supers)
    return failures


def _property_failures(prop, props, index, supers) -> int:
    """How many of one property shape's checks the subject with ``props`` fails."""
    values = props.get(prop.path, set())
    failures = 0
    for kind, argument in prop.checks:
        if kind == "minCount":
            failures += len(values) < argument
        elif kind == "maxCount":
            failures += len(values) > argument
        elif kind == "lessThan":
            others = [_number(o) for o in props.get(argument, ())]
            for v in values:
                n = _number(v)
                failures += n is None or any(o is None or not n < o for o in others)
        else:
            failures += sum(not _value_ok(kind, argument, v, index, supers) for v in values)
    return failures


# ---------------------------------------------------------------- what changed since the last check


def _marks(store) -> dict[str, str]:
    from .graph import KGX, VALIDATED_GRAPH

    return {q.subject.value: q.object.value
            for q in store.store.quads_for_pattern(None, KGX.validatedHash, None, VALIDATED_GRAPH)}


def changed_documents(store) -> list:
    """The documents' graphs whose content changed since their last check (or never checked)."""
    marks = _marks(store)
    return [g for g in store.document_graphs() if marks.get(g.value) is None
            or marks[g.value] != (store.content_hash(g) or "")]


def validate_changed(store, *, everything: bool = False) -> tuple[bool, int, str, int]:
    """Check the documents changed since their last check: ``(conforms, violations, report, checked)``.

    Each changed document is checked as it reads in the union of the store: its own nodes and the
    entities it describes, with every value they have in any graph (so two documents that give
    an entity two labels are caught), and the types of the nodes they point to. The Wikidata
    links graph is checked each time (it is rewritten by every `kg link`). Conforming documents
    get a mark (their content hash, in graph/_/validated), written if the store is open for
    writing. A violation, or ``everything``, runs the whole-store check for the exact report.
    """
    from .terms import LINKS_GRAPH

    graphs = store.document_graphs() if everything else changed_documents(store)
    if everything:
        conforms, count, report = store_violations(store)
    else:
        focus: set = set()
        for graph in graphs + [LINKS_GRAPH]:
            quads = store.document_quads(graph) if graph != LINKS_GRAPH else \
                store.store.quads_for_pattern(None, None, None, graph)
            focus.update(q.subject for q in quads)
        triples, seen = [], set()
        for node in focus:
            for q in store.store.quads_for_pattern(node, None, None, None):
                triples.append(q.triple)
                if isinstance(q.object, pyoxigraph.NamedNode) and q.object not in seen and q.object not in focus:
                    seen.add(q.object)
                    triples += [t.triple for t in store.store.quads_for_pattern(q.object, _TYPE, None, None)]
        names = {n.value if isinstance(n, pyoxigraph.NamedNode) else "_:" + n.value for n in focus}
        if fast_violations(triples, focus=names) == 0:
            conforms, count, report = True, 0, "Validation Report\nConforms: True\n"
        else:
            conforms, count, report = store_violations(store)
    if conforms and not getattr(store, "read_only", True):
        _mark(store, graphs)
    return conforms, count, report, len(graphs)


_TYPE = pyoxigraph.NamedNode(_RDF_TYPE)


def _mark(store, graphs) -> None:
    from .graph import KGX, VALIDATED_GRAPH

    old = [q for g in graphs for q in store.store.quads_for_pattern(g, KGX.validatedHash, None, VALIDATED_GRAPH)]
    new = [pyoxigraph.Quad(g, KGX.validatedHash, pyoxigraph.Literal(store.content_hash(g) or ""), VALIDATED_GRAPH)
           for g in graphs]
    store._commit(delete=old, insert=new)
