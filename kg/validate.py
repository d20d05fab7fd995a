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

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pyoxigraph
import rdflib
from rdflib.namespace import RDF, SH

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
    name) starts the error message.
    """
    _check(_triples_graph(quad.triple for quad in quads), where)


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
    conforms, results_graph, report_text = _validate(store_graph(store))
    return conforms, (0 if conforms else violation_count(results_graph)), report_text
