"""Export a store (or one document's quads) as Turtle, TriG, N-Quads, N-Triples or JSON-LD.

* ``trig`` and ``nquads`` keep the named graphs: one graph per document, plus the Wikidata
  links graph. They are what to use to copy a store.
* ``turtle`` and ``ntriples`` hold the union of all graphs as plain triples (a triple stated by
  two documents is written once), sorted by subject so that each resource reads as one block.
* ``jsonld`` is the same union, compacted with ``ontology/context.jsonld``. The context is
  embedded in the file (``"@context": {…}``), so the file is self-contained and no JSON-LD
  processor has to fetch anything. The named graphs are merged into the default graph on
  purpose: node objects then hold everything known about a resource, and every JSON-LD reader
  (including rdflib's ``Graph``) sees all triples. Each fact still names its document through
  ``kg:source``; export TriG or N-Quads to keep the graphs themselves.

With ``graph``, only that named graph is written (as a named graph in TriG/N-Quads, as plain
triples in the other formats).

>>> from pyoxigraph import Literal, NamedNode, Quad
>>> person = NamedNode("https://w3id.org/newskg/id/person/jane-roe")
>>> label = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> g = NamedNode("https://w3id.org/newskg/graph/doc")
>>> print(serialize_quads([Quad(person, label, Literal("Jane Roe"), g)], "turtle").decode().splitlines()[-1])
person:jane-roe rdfs:label "Jane Roe" .
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pyoxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat, Triple

from .errors import KGError, UsageError
from .terms import ENTITY_CLASSES, GRAPH, ID, INTERNAL_GRAPHS, ONTOLOGY, PREFIXES, graph_iri

# name -> (pyoxigraph format, keeps named graphs)
FORMATS: dict[str, tuple[RdfFormat | None, bool]] = {
    "turtle": (RdfFormat.TURTLE, False),
    "trig": (RdfFormat.TRIG, True),
    "nquads": (RdfFormat.N_QUADS, True),
    "ntriples": (RdfFormat.N_TRIPLES, False),
    "jsonld": (None, False),
}
SUFFIXES = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "ntriples",
            ".jsonld": "jsonld", ".json": "jsonld"}

Output = BinaryIO | str | Path | None

# Turtle cannot put "/" in a prefixed name without escaping it ("id:person\/x"), so exports get
# one prefix per kind of resource instead ("person:amina-okafor"), and one for graphs.
RESOURCE_KINDS = (*ENTITY_CLASSES.values(), "statement", "mention", "evidence")
EXPORT_PREFIXES = {
    **{name: iri for name, iri in PREFIXES.items() if iri != ID},
    **{kind: f"{ID}{kind}/" for kind in RESOURCE_KINDS},
    "graph": GRAPH,
}


def format_for_path(path: str | Path | None) -> str | None:
    """The export format a file name asks for (``graph.ttl`` -> ``turtle``), or None.

    >>> format_for_path("out/kg.jsonld"), format_for_path("kg.txt")
    ('jsonld', None)
    """
    if path is None:
        return None
    return SUFFIXES.get(Path(str(path)).suffix.lower())


def _check_format(fmt: str) -> str:
    name = (fmt or "").lower().replace("-", "")
    name = {"ttl": "turtle", "nq": "nquads", "nt": "ntriples", "json": "jsonld"}.get(name, name)
    if name not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    return name


# ---------------------------------------------------------------- JSON-LD


@cache
def jsonld_context() -> dict:
    """The JSON-LD context of ``ontology/context.jsonld`` (the object under ``"@context"``)."""
    from .validate import ontology_dir

    document = json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))
    return document["@context"]


def _no_remote_documents(url, options=None):
    """PyLD document loader that refuses the network: the context is always given inline."""
    from pyld.jsonld import JsonLdError

    raise JsonLdError(f"newskg does not fetch remote JSON-LD documents ({url})", "loading document failed")


def jsonld_bytes(triples: Iterable[Triple]) -> bytes:
    """Triples as a JSON-LD document compacted with the newskg context (embedded)."""
    from pyld import jsonld

    nquads = pyoxigraph.serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8")
    options = {"documentLoader": _no_remote_documents}
    expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads", **options}) if nquads else []
    compacted = jsonld.compact(expanded, {"@context": jsonld_context()}, options)
    if "@graph" not in compacted:
        # Always a top-level @graph array: readers can iterate it whether it holds 0, 1 or n nodes.
        nodes = {k: v for k, v in compacted.items() if k != "@context"}
        compacted = {"@context": compacted["@context"], "@graph": [nodes] if nodes else []}
    return (json.dumps(compacted, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------- writing


def _write(data_writer, output: Output) -> bytes | None:
    """Run ``data_writer(binary_stream)`` into ``output``; return bytes when output is None."""
    if output is None:
        buffer = io.BytesIO()
        data_writer(buffer)
        return buffer.getvalue()
    if isinstance(output, (str, Path)):
        path = Path(output)
        try:
            with open(path, "wb") as stream:
                data_writer(stream)
        except OSError as exc:
            raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
        return None
    data_writer(output)
    return None


def _writer(fmt: str, triples: Iterable[Triple] | None, quads: Iterable[Quad] | None):
    rdf_format, keeps_graphs = FORMATS[fmt]

    def write(stream: BinaryIO) -> None:
        if fmt == "jsonld":
            stream.write(jsonld_bytes(triples))
        elif keeps_graphs:
            pyoxigraph.serialize(quads, stream, rdf_format, prefixes=EXPORT_PREFIXES)
        else:
            pyoxigraph.serialize(triples, stream, rdf_format, prefixes=EXPORT_PREFIXES)
        stream.flush()

    return write


def serialize_quads(quads: Iterable[Quad], fmt: str, output: Output = None) -> bytes | None:
    """Write quads (one document's, for ``kg extract``) in ``fmt``; bytes when ``output`` is None.

    Graph formats keep the quads' graphs; the others write their triples, each once.
    """
    fmt = _check_format(fmt)
    # An RDF graph is a set: whatever the caller passes, each triple (or quad) is written once.
    if FORMATS[fmt][1]:
        return _write(_writer(fmt, None, list(dict.fromkeys(quads))), output)
    return _write(_writer(fmt, list(dict.fromkeys(q.triple for q in quads)), None), output)


def resolve_graph(store, graph: str) -> NamedNode:
    """The named graph ``graph`` names: its IRI, or a document id (``my-article``)."""
    oxigraph_store = getattr(store, "store", store)
    candidates = []
    try:
        candidates.append(NamedNode(graph))
    except ValueError:
        pass
    if "://" not in graph and graph.strip():
        candidates.append(graph_iri(graph))
    for candidate in candidates:
        if oxigraph_store.contains_named_graph(candidate):
            return candidate
    raise UsageError(f"no graph {graph!r} in the store (a document's graph is {GRAPH}DOC-ID; "
                     f"the document id alone also works)")


UNION_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"


def export(store, fmt: str, output: Output = None, graph: str | None = None) -> bytes | None:
    """Write the store (a KGStore or pyoxigraph Store) in ``fmt``: turtle, trig, nquads, ntriples, jsonld.

    ``output`` is a binary stream, a file path, or None to get the bytes back. ``graph`` (an IRI
    or a document id) restricts the export to that named graph. Bad ``fmt`` or ``graph`` raise
    :class:`~kg.errors.UsageError` before anything is written.
    """
    fmt = _check_format(fmt)
    oxigraph_store = getattr(store, "store", store)
    graph_node = resolve_graph(oxigraph_store, graph) if graph is not None else None
    keeps_graphs = FORMATS[fmt][1]
    if keeps_graphs:
        if graph_node is None:
            rdf_format = FORMATS[fmt][0]
            # store.dump streams the whole dataset straight from the indexes.
            return _write(lambda stream: oxigraph_store.dump(stream, rdf_format, prefixes=EXPORT_PREFIXES), output)
        return _write(_writer(fmt, None, _graph_quads(store, graph_node)), output)
    if graph_node is None:
        triples = oxigraph_store.query(UNION_TRIPLES, use_default_graph_as_union=True)
    else:
        triples = (q.triple for q in _graph_quads(store, graph_node))
    return _write(_writer(fmt, triples, None), output)


def _graph_quads(store, graph: NamedNode):
    """One graph; a document's whole, as `kg extract` gives it (its entity triples are stored once,
    in the shared entities graph, see docs/graph-layout.md)."""
    if hasattr(store, "document_quads") and not graph.value.startswith(INTERNAL_GRAPHS):
        return store.document_quads(graph)
    return getattr(store, "store", store).quads_for_pattern(None, None, None, graph)


# ---------------------------------------------------------------- what a store holds


@dataclass
class StoreStats:
    """Counts over the union of a store's graphs (``kg stats``, ``kg build``).

    ``documents`` counts ingested source documents; ``entities["Document"]`` counts the
    documents they mention (treaties, declarations).
    """

    documents: int = 0
    graphs: int = 0
    quads: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    statements: int = 0
    facts: int = 0
    mentions: int = 0
    links: int = 0

    @property
    def entity_total(self) -> int:
        return sum(self.entities.values())


# Source documents (ingested, with their text) are counted apart from the documents an
# article mentions (a treaty, a policy concept), which are entities like any other.
CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?class { kg:Document kg:Person kg:Organisation kg:Country kg:Place kg:Event kg:Position
                  kg:Statement kg:Evidence kg:Mention }
  ?x a ?class
  FILTER NOT EXISTS { ?x kg:content ?text }
} GROUP BY ?class"""

SOURCE_COUNT = "SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { ?doc kg:content ?text }"

LINK_COUNT = """
SELECT (COUNT(*) AS ?n) WHERE {
  SELECT DISTINCT ?x ?item WHERE { ?x owl:sameAs ?item FILTER(STRSTARTS(STR(?item), STR(wd:))) }
}"""


def _count(oxigraph_store, sparql: str) -> int:
    for row in oxigraph_store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES):
        return int(row[0].value)
    return 0


def store_stats(store) -> StoreStats:
    """Documents, quads, entities per class, statements, facts (evidence), mentions, links.

    >>> store_stats(pyoxigraph.Store()).quads
    0
    """
    oxigraph_store = getattr(store, "store", store)
    stats = StoreStats(quads=len(oxigraph_store))
    stats.graphs = sum(1 for _ in oxigraph_store.named_graphs())

    counts = {row["class"].value[len(ONTOLOGY):]: int(row["n"].value)
              for row in oxigraph_store.query(CLASS_COUNTS, use_default_graph_as_union=True, prefixes=PREFIXES)}
    stats.documents = _count(oxigraph_store, SOURCE_COUNT)
    stats.entities = {name: counts.get(name, 0) for name in ENTITY_CLASSES}
    stats.statements = counts.get("Statement", 0)
    stats.facts = counts.get("Evidence", 0)
    stats.mentions = counts.get("Mention", 0)
    stats.links = _count(oxigraph_store, LINK_COUNT)
    return stats
