"""Namespaces and IRIs. Every ``kg:`` term used here is declared in ``ontology/newskg.ttl``.

>>> KG.Person.value
'https://w3id.org/newskg/ontology#Person'
>>> entity_iri("person", "amina-okafor").value
'https://w3id.org/newskg/id/person/amina-okafor'
>>> slugify("France’s Defence Strategy (2024-2030)")
'frances-defence-strategy-2024-2030'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from pyoxigraph import NamedNode

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
        # Terms are built once: graph building asks for the same few thousands of times.
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = NamedNode(self._base + name)
        return term

    def __str__(self) -> str:
        return self._base


KG = Namespace(ONTOLOGY)
RDF = Namespace(RDF_NS)
RDFS = Namespace(RDFS_NS)
OWL = Namespace(OWL_NS)
XSD = Namespace(XSD_NS)
SKOS = Namespace(SKOS_NS)

# The classes an extracted entity can have, and the IRI path segment of each.
ENTITY_CLASSES = {
    "Person": "person",
    "Organisation": "organisation",
    "Country": "country",
    "Place": "place",
    "Event": "event",
    "Document": "document",
    "Position": "position",
}

LINKS_GRAPH = NamedNode(GRAPH + "wikidata-links")


def slugify(text: str, max_length: int = 80) -> str:
    """A readable, IRI-safe slug: ASCII letters and digits separated by hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "").replace("'", "")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    if not slug:
        # Names written only in other scripts still need a stable, valid IRI segment.
        slug = "x" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    if len(slug) > max_length:
        # keep IRIs readable but distinct: two long names sharing their first 80 characters differ here
        digest = hashlib.sha1(slug.encode("ascii")).hexdigest()[:8]
        slug = slug[: max_length - 9].rstrip("-") + "-" + digest
    return slug


def entity_iri(kind_segment: str, slug: str) -> NamedNode:
    return NamedNode(f"{ID}{kind_segment}/{slug}")


def graph_iri(doc_id: str) -> NamedNode:
    return NamedNode(GRAPH + slugify(doc_id))


def wikidata_iri(qid: str) -> NamedNode:
    if not re.fullmatch(r"Q[1-9][0-9]*", qid):
        raise ValueError(f"not a Wikidata item id: {qid!r}")
    return NamedNode(WIKIDATA + qid)
