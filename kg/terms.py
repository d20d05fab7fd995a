"""Namespaces and IRIs. Every ``kg:`` term used here is declared in ``ontology/newskg.ttl``.

>>> KG.Person.value
'https://w3id.org/newskg/ontology#Person'
>>> entity_iri("person", "amina-okafor").value
'https://w3id.org/newskg/id/person/amina-okafor'
>>> slugify("France’s Defence Strategy (2024-2030)")
'frances-defence-strategy-2024-2030'
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from .keys import ENTITY_CLASSES, slugify  # noqa: F401  (re-exported: one key layout)

ONTOLOGY = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
GRAPH = "https://w3id.org/newskg/graph/"
WIKIDATA = "http://www.wikidata.org/entity/"

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
XSD_NS = "http://www.w3.org/2001/XMLSchema#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
PROV_NS = "http://www.w3.org/ns/prov#"
SCHEMA_NS = "http://schema.org/"
ORG_NS = "http://www.w3.org/ns/org#"

PREFIXES = {
    "kg": ONTOLOGY,
    "id": ID,
    "rdf": RDF_NS,
    "rdfs": RDFS_NS,
    "owl": OWL_NS,
    "xsd": XSD_NS,
    "skos": SKOS_NS,
    "prov": PROV_NS,
    "schema": SCHEMA_NS,
    "org": ORG_NS,
    "wd": WIKIDATA,
}


class Namespace:
    """Attribute access to the IRIs of one namespace, as pyoxigraph NamedNodes."""

    def __init__(self, base: str):
        self._base = base
        self._terms: dict[str, NamedNode] = {}

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> NamedNode:
        # Terms are built once: graph building asks for the same few thousands of times. A term is
        # also kept as an attribute, so that ``KG.name`` after the first time is a plain attribute
        # read (``__getattr__`` only runs for names not found).
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = NamedNode(self._base + name)
            if not name.startswith("_"):
                self.__dict__[name] = term
        return term

    def __str__(self) -> str:
        return self._base


KG = Namespace(ONTOLOGY)
RDF = Namespace(RDF_NS)
RDFS = Namespace(RDFS_NS)
OWL = Namespace(OWL_NS)
XSD = Namespace(XSD_NS)
SKOS = Namespace(SKOS_NS)

# Graphs newskg keeps for itself live under graph/_/: a document id is a slug (letters, digits,
# hyphens), so no document's graph can ever take one of these names.
INTERNAL_GRAPHS = GRAPH + "_/"
LINKS_GRAPH = NamedNode(INTERNAL_GRAPHS + "wikidata-links")
# Where v0.1 kept the links, inside the documents' namespace (moved on the first write-open).
LEGACY_LINKS_GRAPH = NamedNode(GRAPH + "wikidata-links")


def entity_iri(kind_segment: str, slug: str) -> NamedNode:
    return NamedNode(f"{ID}{kind_segment}/{slug}")


def graph_iri(doc_id: str) -> NamedNode:
    return NamedNode(GRAPH + slugify(doc_id))


def wikidata_iri(qid: str) -> NamedNode:
    if not re.fullmatch(r"Q[1-9][0-9]*", qid):
        raise ValueError(f"not a Wikidata item id: {qid!r}")
    return NamedNode(WIKIDATA + qid)
