"""The ontology (newskg.ttl), the SHACL shapes (shapes.ttl) and the JSON-LD context agree with the
vocabulary contract in DESIGN.md and with each other.

Only rdflib and pyshacl are used, so these tests run without the store or the spaCy model.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import OWL, RDF, RDFS, SH, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_IRI = URIRef("https://w3id.org/newskg/ontology")

KG = Namespace("https://w3id.org/newskg/ontology#")
SHAPES = Namespace("https://w3id.org/newskg/shapes#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("http://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

# --- The vocabulary contract (DESIGN.md, "Vocabulary" table and "Provenance" section) -------------

DESIGN_CLASSES = [
    "Agent",
    "Person",
    "Organisation",
    "Place",
    "Country",
    "Event",
    "Statement",
    "Document",
    "Position",
    "Mention",
    "Evidence",
]
DESIGN_OBJECT_PROPERTIES = [
    "initiatedBy",
    "proposedAt",
    "organisedBy",
    "location",
    "headquarters",
    "partOf",
    "holdsPosition",
    "positionOf",
    "speaker",
    "statedAt",
    "deliveredBy",
    "source",
    "author",
    "publisher",
    "dateline",
    "denotes",
]
DESIGN_DATATYPE_PROPERTIES = [
    "proposalDate",
    "date",
    "startDate",
    "endDate",
    "firstHeld",
    "lastHeld",
    "theme",
    "memberCount",
    "observerCount",
    "partnerCount",
    "population",
    "text",
    "isDirectQuote",
    "datePublished",
    "beginIndex",
    "endIndex",
    "anchorOf",
    "confidence",
    "method",
]
# Further terms the code base relies on (not in the DESIGN table, but part of the ontology).
EXTRA_OBJECT_PROPERTIES = ["accountableTo", "basedOn"]
EXTRA_DATATYPE_PROPERTIES = [
    "independenceDate",
    "sentence",
    "content",
    "contentHash",
    "title",
    "url",
    "language",
    "role",
]
DATE_PROPERTIES = [
    "date",
    "startDate",
    "endDate",
    "firstHeld",
    "lastHeld",
    "proposalDate",
    "datePublished",
    "independenceDate",
]
# Properties for which no external vocabulary has a counterpart; they must say so with an
# rdfs:seeAlso to the nearest external term instead of a (false) subPropertyOf.
NO_EXTERNAL_COUNTERPART = {"isDirectQuote", "observerCount", "partnerCount"}

WIKIDATA_MIRRORS = {
    "initiatedBy": "P112",
    "organisedBy": "P664",
    "location": "P276",
    "headquarters": "P159",
    "date": "P585",
    "startDate": "P580",
    "endDate": "P582",
    "memberCount": "P2124",
    "population": "P1082",
    "partOf": "P361",
    "holdsPosition": "P39",
}

ALIGNMENT_PREDICATES = [
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    KG.wikidataProperty,
]


def kg_terms(names):
    return [KG[n] for n in names]


def is_external(term) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(str(KG))


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "newskg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


@pytest.fixture(scope="module")
def context() -> dict:
    with open(ONTOLOGY_DIR / "context.jsonld", encoding="utf-8") as f:
        return json.load(f)


# --- The ontology --------------------------------------------------------------------------------


def test_ontology_header(ontology):
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, RDFS.label) is not None
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.description) is not None


@pytest.mark.parametrize(
    "name, kind",
    [(n, OWL.Class) for n in DESIGN_CLASSES]
    + [(n, OWL.ObjectProperty) for n in DESIGN_OBJECT_PROPERTIES + EXTRA_OBJECT_PROPERTIES]
    + [(n, OWL.DatatypeProperty) for n in DESIGN_DATATYPE_PROPERTIES + EXTRA_DATATYPE_PROPERTIES],
)
def test_term_is_declared_with_label_and_comment(ontology, name, kind):
    term = KG[name]
    assert (term, RDF.type, kind) in ontology, f"kg:{name} is not declared as {kind}"
    assert ontology.value(term, RDFS.label) is not None, f"kg:{name} has no rdfs:label"
    assert ontology.value(term, RDFS.comment) is not None, f"kg:{name} has no rdfs:comment"


@pytest.mark.parametrize("name", DESIGN_CLASSES + DESIGN_OBJECT_PROPERTIES + DESIGN_DATATYPE_PROPERTIES)
def test_design_term_is_aligned_to_an_external_vocabulary(ontology, name):
    term = KG[name]
    aligned = [o for p in ALIGNMENT_PREDICATES for o in ontology.objects(term, p) if is_external(o)]
    if name in NO_EXTERNAL_COUNTERPART:
        assert not aligned, f"kg:{name} is aligned after all; remove it from NO_EXTERNAL_COUNTERPART"
        see_also = [o for o in ontology.objects(term, RDFS.seeAlso) if is_external(o)]
        assert see_also, f"kg:{name} has neither an alignment nor an external rdfs:seeAlso"
    else:
        assert aligned, f"kg:{name} has no subClassOf/subPropertyOf/equivalent*/wikidataProperty alignment"


def test_every_kg_term_used_is_declared_and_documented(ontology):
    used = {t for triple in ontology for t in triple if isinstance(t, URIRef) and str(t).startswith(str(KG))}
    for term in used:
        assert ontology.value(term, RDF.type) is not None, f"{term} is used but never declared"
        assert ontology.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
        assert ontology.value(term, RDFS.comment) is not None, f"{term} has no rdfs:comment"


def superclasses(ontology, cls):
    return set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}


def test_class_hierarchy(ontology):
    assert {KG.Place, KG.Agent} <= superclasses(ontology, KG.Country)
    assert KG.Organisation not in superclasses(ontology, KG.Country)
    assert KG.Agent in superclasses(ontology, KG.Person)
    assert KG.Agent in superclasses(ontology, KG.Organisation)
    assert PROV.Agent in superclasses(ontology, KG.Agent)
    assert PROV.Agent in superclasses(ontology, KG.Country)
    assert ORG.Post in superclasses(ontology, KG.Position)
    assert {SCHEMA.CreativeWork, PROV.Entity} <= superclasses(ontology, KG.Document)
    assert PROV.Entity in superclasses(ontology, KG.Evidence)
    assert PROV.Entity in superclasses(ontology, KG.Statement)
    # no class is its own ancestor
    for name in DESIGN_CLASSES:
        assert KG[name] not in superclasses(ontology, KG[name])


def test_wikidata_property_annotation(ontology):
    assert (KG.wikidataProperty, RDF.type, OWL.AnnotationProperty) in ontology
    for name, pid in WIKIDATA_MIRRORS.items():
        assert (KG[name], KG.wikidataProperty, WDT[pid]) in ontology, f"kg:{name} should mirror {pid}"


def test_property_alignments(ontology):
    expected = {
        "organisedBy": SCHEMA.organizer,
        "location": SCHEMA.location,
        "holdsPosition": ORG.holds,
        "positionOf": ORG.postIn,
        "speaker": PROV.wasAttributedTo,
        "source": PROV.hadPrimarySource,
        "author": SCHEMA.author,
        "publisher": SCHEMA.publisher,
        "dateline": SCHEMA.locationCreated,
        "basedOn": SCHEMA.isBasedOn,
        "startDate": SCHEMA.startDate,
        "endDate": SCHEMA.endDate,
        "datePublished": SCHEMA.datePublished,
        "text": SCHEMA.text,
        "title": SCHEMA.headline,
        "url": SCHEMA.url,
    }
    for name, parent in expected.items():
        assert (KG[name], RDFS.subPropertyOf, parent) in ontology, f"kg:{name} ⊑ {parent}"


def test_date_properties_range_over_date_with_precision(ontology):
    members = None
    for definition in ontology.objects(KG.DateWithPrecision, OWL.equivalentClass):
        union = ontology.value(definition, OWL.unionOf)
        if union is not None:
            members = set(Collection(ontology, union))
    assert (KG.DateWithPrecision, RDF.type, RDFS.Datatype) in ontology
    assert members == {XSD.date, XSD.gYearMonth, XSD.gYear}
    for name in DATE_PROPERTIES:
        assert (KG[name], RDFS.range, KG.DateWithPrecision) in ontology, f"kg:{name} range"


def test_object_property_ranges(ontology):
    assert (KG.holdsPosition, RDFS.domain, KG.Person) in ontology
    assert (KG.holdsPosition, RDFS.range, KG.Position) in ontology
    assert (KG.location, RDFS.range, KG.Place) in ontology
    speaker_range = ontology.value(KG.speaker, RDFS.range)
    assert set(Collection(ontology, ontology.value(speaker_range, OWL.unionOf))) == {KG.Agent, KG.Document}


# --- The JSON-LD context -----------------------------------------------------------------------


def expand(context: dict, value: str) -> str:
    if ":" in value:
        prefix, local = value.split(":", 1)
        if prefix in context and isinstance(context[prefix], str):
            return context[prefix] + local
    return value


def test_context_shape(context):
    assert set(context) == {"@context"}
    ctx = context["@context"]
    expected_prefixes = {
        "kg": str(KG),
        "id": "https://w3id.org/newskg/id/",
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "owl": str(OWL),
        "xsd": str(XSD),
        "skos": str(SKOS),
        "prov": str(PROV),
        "schema": str(SCHEMA),
        "wd": "http://www.wikidata.org/entity/",
    }
    for prefix, iri in expected_prefixes.items():
        assert ctx.get(prefix) == iri, prefix
    assert ctx["label"] == "rdfs:label"
    assert ctx["altLabel"] == "skos:altLabel"
    assert ctx["sameAs"] == {"@id": "owl:sameAs", "@type": "@id"}
    assert ctx["subject"] == {"@id": "rdf:subject", "@type": "@id"}
    assert ctx["predicate"] == {"@id": "rdf:predicate", "@type": "@id"}
    assert expand(ctx, ctx["object"]["@id"]) == str(RDF.object)
    assert "@type" not in ctx["object"]


def test_context_terms_map_to_declared_terms(context, ontology):
    ctx = context["@context"]
    declared_properties = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    declared_classes = set(ontology.subjects(RDF.type, OWL.Class))
    mapped = set()
    for term, definition in ctx.items():
        if term.startswith("@"):
            continue
        iri = expand(ctx, definition if isinstance(definition, str) else definition["@id"])
        if not iri.startswith(str(KG)) or iri == str(KG):
            continue  # other vocabularies, and the kg: prefix itself
        mapped.add(URIRef(iri))
        assert URIRef(iri) in declared_properties | declared_classes, f"{term} -> {iri} is not declared"
        if URIRef(iri) in declared_properties:
            assert term == iri[len(str(KG)) :], f"term {term} should be named like its property"
    missing = declared_properties - mapped
    assert not missing, f"properties without a context term: {sorted(missing)}"


def test_context_types(context, ontology):
    ctx = context["@context"]
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        name = str(prop)[len(str(KG)) :]
        assert ctx[name].get("@type") == "@id", f"{name} should be typed @id"
    typed = {
        "memberCount": "xsd:integer",
        "observerCount": "xsd:integer",
        "partnerCount": "xsd:integer",
        "beginIndex": "xsd:integer",
        "endIndex": "xsd:integer",
        "isDirectQuote": "xsd:boolean",
        "confidence": "xsd:decimal",
    }
    for name, datatype in typed.items():
        assert ctx[name] == {"@id": f"kg:{name}", "@type": datatype}
    for name in DATE_PROPERTIES:
        definition = ctx[name]
        assert isinstance(definition, str) or "@type" not in definition, f"{name} must not fix a @type"


def test_context_round_trips_a_graph(context):
    data = Graph().parse(data=VALID_DATA, format="turtle")
    compacted = data.serialize(format="json-ld", context=context["@context"], auto_compact=True)
    document = json.loads(compacted)
    assert "@context" in document
    nodes = document.get("@graph", [document])
    keys = {key for node in nodes for key in node}
    assert {"speaker", "text", "source", "label", "confidence", "startDate"} <= keys
    assert not any(key.startswith(("kg:", str(KG))) for key in keys), keys
    again = Graph().parse(data=compacted, format="json-ld")
    assert isomorphic(data, again)


# --- SHACL -------------------------------------------------------------------------------------

PREFIXES = """
@prefix kg: <https://w3id.org/newskg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix document: <https://w3id.org/newskg/id/document/> .
@prefix person: <https://w3id.org/newskg/id/person/> .
@prefix country: <https://w3id.org/newskg/id/country/> .
@prefix place: <https://w3id.org/newskg/id/place/> .
@prefix organisation: <https://w3id.org/newskg/id/organisation/> .
@prefix event: <https://w3id.org/newskg/id/event/> .
@prefix position: <https://w3id.org/newskg/id/position/> .
@prefix statement: <https://w3id.org/newskg/id/statement/> .
@prefix mention: <https://w3id.org/newskg/id/mention/> .
@prefix evidence: <https://w3id.org/newskg/id/evidence/> .
"""

VALID_DATA = (
    PREFIXES
    + """
document:a a kg:Document ;
    rdfs:label "Kazakhstan hosts forum" ;
    kg:title "Kazakhstan hosts forum" ;
    kg:datePublished "2023-07-14"^^xsd:date ;
    kg:language "en" ;
    kg:content "President Kassym-Jomart Tokayev said peace matters. CICA met in Astana." ;
    kg:contentHash "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" .

country:kazakhstan a kg:Country ;
    rdfs:label "Kazakhstan" ;
    owl:sameAs wd:Q232 ;
    kg:population 19800000 ;
    kg:independenceDate "1991-12-16"^^xsd:date .

place:astana a kg:Place ; rdfs:label "Astana" ; kg:partOf country:kazakhstan .

person:tokayev a kg:Person ;
    rdfs:label "Kassym-Jomart Tokayev" ;
    skos:altLabel "Tokayev" ;
    kg:holdsPosition position:president-of-kazakhstan .

position:president-of-kazakhstan a kg:Position ;
    rdfs:label "President of Kazakhstan" ;
    kg:role "President" ;
    kg:positionOf country:kazakhstan .

organisation:cica a kg:Organisation ;
    rdfs:label "Conference on Interaction and Confidence-Building Measures in Asia" ;
    skos:altLabel "CICA" ;
    kg:initiatedBy country:kazakhstan ;
    kg:proposalDate "1992-10"^^xsd:gYearMonth ;
    kg:memberCount 28 ;
    kg:observerCount 9 ;
    kg:headquarters place:astana .

event:forum a kg:Event ;
    rdfs:label "Astana International Forum" ;
    kg:startDate "2023-07-13"^^xsd:date ;
    kg:endDate "2023-07-14"^^xsd:date ;
    kg:firstHeld "2008"^^xsd:gYear ;
    kg:location place:astana ;
    kg:organisedBy country:kazakhstan ;
    kg:theme "Peace and security" .

statement:s1 a kg:Statement ;
    kg:speaker person:tokayev ;
    kg:text "peace matters" ;
    kg:isDirectQuote false ;
    kg:statedAt event:forum ;
    kg:source document:a ;
    kg:beginIndex 0 ;
    kg:endIndex 51 .

statement:s2 a kg:Statement ;
    kg:speaker country:kazakhstan ;
    kg:text "Kazakhstan supports dialogue"@en ;
    kg:source document:a .

mention:m1 a kg:Mention ;
    kg:denotes person:tokayev ;
    kg:source document:a ;
    kg:beginIndex 10 ;
    kg:endIndex 31 ;
    kg:anchorOf "Kassym-Jomart Tokayev" .

evidence:e1 a kg:Evidence ;
    rdf:subject organisation:cica ;
    rdf:predicate kg:headquarters ;
    rdf:object place:astana ;
    kg:source document:a ;
    kg:beginIndex 52 ;
    kg:endIndex 71 ;
    kg:sentence "CICA met in Astana." ;
    kg:confidence 0.85 ;
    kg:method "pattern:met-in" .
"""
)


def validate(turtle: str, ontology: Graph, shapes: Graph):
    data = Graph().parse(data=turtle, format="turtle")
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs")
    return conforms, report, text


def violations(report: Graph) -> set[tuple[URIRef, URIRef]]:
    """(focus node, source shape) of every violation in a validation report."""
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        focus = report.value(result, SH.focusNode)
        found.add((focus, shape if not isinstance(shape, BNode) else None))
    return found


def test_shapes_parse_and_name_their_property_shapes(shapes):
    assert len(shapes) > 0
    for prop_shape in shapes.objects(None, SH.property):
        assert isinstance(prop_shape, URIRef), "property shapes should have IRIs"
        assert shapes.value(prop_shape, SH.message) is not None, f"{prop_shape} has no sh:message"


def test_valid_graph_conforms(ontology, shapes):
    conforms, _, text = validate(VALID_DATA, ontology, shapes)
    assert conforms, text


ID = "https://w3id.org/newskg/id/"

VIOLATIONS = {
    "statement without speaker": (
        """statement:s3 a kg:Statement ; kg:text "no one said this" ; kg:source document:a .""",
        {(URIRef(ID + "statement/s3"), SHAPES["Statement-speaker"])},
    ),
    "statement with two speakers": (
        """statement:s1 kg:speaker country:kazakhstan .""",
        {(URIRef(ID + "statement/s1"), SHAPES["Statement-speaker"])},
    ),
    "speaker is a place, not an agent": (
        """statement:s2 kg:speaker place:astana .
           statement:s4 a kg:Statement ; kg:speaker place:astana ; kg:text "x" ; kg:source document:a .""",
        {
            (URIRef(ID + "statement/s2"), SHAPES["Statement-speaker"]),
            (URIRef(ID + "statement/s4"), SHAPES["Statement-speaker"]),
        },
    ),
    "person with two labels": (
        """person:tokayev rdfs:label "President Tokayev" .""",
        {(URIRef(ID + "person/tokayev"), SHAPES["Person-label"])},
    ),
    "date as free text": (
        """event:summit a kg:Event ; rdfs:label "Summit" ; kg:date "July 2023" .""",
        {(URIRef(ID + "event/summit"), SHAPES["date"])},
    ),
    "confidence above 1": (
        """evidence:e2 a kg:Evidence ;
               rdf:subject organisation:cica ; rdf:predicate kg:initiatedBy ;
               rdf:object country:kazakhstan ; kg:source document:a ;
               kg:confidence 1.5 ; kg:method "pattern:initiative" .""",
        {(URIRef(ID + "evidence/e2"), SHAPES["Evidence-confidence"])},
    ),
    "confidence as a string": (
        """evidence:e1 kg:confidence "high" .""",
        # one value too many, and one of the wrong datatype
        {(URIRef(ID + "evidence/e1"), SHAPES["Evidence-confidence"])},
    ),
    "evidence without method or predicate": (
        """evidence:e3 a kg:Evidence ; rdf:subject organisation:cica ; rdf:object place:astana ;
               kg:source document:a ; kg:confidence 0.5 .""",
        {
            (URIRef(ID + "evidence/e3"), SHAPES["Evidence-predicate"]),
            (URIRef(ID + "evidence/e3"), SHAPES["Evidence-method"]),
        },
    ),
    "mention with negative offset and no source": (
        """mention:m2 a kg:Mention ; kg:denotes person:tokayev ; kg:beginIndex -1 ; kg:endIndex 5 .""",
        {
            (URIRef(ID + "mention/m2"), SHAPES["Mention-beginIndex"]),
            (URIRef(ID + "mention/m2"), SHAPES["Mention-source"]),
        },
    ),
    "mention ending before it begins": (
        """mention:m3 a kg:Mention ; kg:denotes person:tokayev ; kg:source document:a ;
               kg:beginIndex 20 ; kg:endIndex 10 .""",
        {(URIRef(ID + "mention/m3"), SHAPES["Mention-beginIndex"])},
    ),
    "member count not an integer": (
        """organisation:cica kg:partnerCount "eight" .""",
        {(URIRef(ID + "organisation/cica"), SHAPES["partnerCount"])},
    ),
    "event without a label": (
        """event:unnamed a kg:Event ; kg:date "2023"^^xsd:gYear .""",
        {(URIRef(ID + "event/unnamed"), SHAPES["Entity-label"])},
    ),
    "direct-quote flag not a boolean": (
        """statement:s2 kg:isDirectQuote "yes" .""",
        {(URIRef(ID + "statement/s2"), SHAPES["Statement-isDirectQuote"])},
    ),
}


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_invalid_graph_fails_with_the_expected_shape(ontology, shapes, case):
    extra, expected = VIOLATIONS[case]
    conforms, report, text = validate(VALID_DATA + extra, ontology, shapes)
    assert not conforms, f"{case}: expected a violation"
    assert violations(report) == expected, text


def test_country_counts_as_agent_only_through_the_ontology(shapes):
    """Without the ontology a kg:Country is not known to be a kg:Agent: the subclass axiom matters."""
    data = Graph().parse(data=VALID_DATA, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    assert (URIRef(ID + "statement/s2"), SHAPES["Statement-speaker"]) in violations(report)
