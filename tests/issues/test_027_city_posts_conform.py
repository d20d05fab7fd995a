"""A post owned by a city (a mayor, a councillor) made the document fail SHACL, so it was not stored.

``kg:positionOf`` points to an Agent; extraction gives a municipal title the city it is datelined
in, a kg:Place. Eight of the 50 development articles were refused. A place that owns posts stands
for its local government: it is typed kg:Agent too, as a Country is.
"""

from kg.documents import document_from_text
from kg.extract.model import Entity, EntityRef, Extraction, Fact, Span
from kg.graph import document_quads
from kg.terms import KG, RDF, entity_iri
from kg.validate import check_quads

TEXT = "Mayor Jane Roe opened the new bridge in Hamilton on Monday.\n"


def city_post_extraction() -> Extraction:
    sentence = Span(0, len(TEXT) - 1)
    entities = {
        "place/hamilton": Entity("place/hamilton", "Place", "Hamilton"),
        "person/jane-roe": Entity("person/jane-roe", "Person", "Jane Roe"),
        "position/mayor-of-hamilton": Entity("position/mayor-of-hamilton", "Position", "Mayor of Hamilton",
                                             role="Mayor"),
    }
    facts = [
        Fact("person/jane-roe", "holdsPosition", EntityRef("position/mayor-of-hamilton"), sentence, 0.9, "post-title"),
        Fact("position/mayor-of-hamilton", "positionOf", EntityRef("place/hamilton"), sentence, 0.6, "post-title"),
    ]
    return Extraction(entities=entities, facts=facts)


def test_a_city_that_owns_a_post_is_an_agent_and_the_document_conforms():
    doc = document_from_text(TEXT, doc_id="bridge")
    quads = list(document_quads(doc, city_post_extraction()))
    city = entity_iri("place", "hamilton")
    types = {q.object for q in quads if q.subject == city and q.predicate == RDF.type}
    assert types == {KG.Place, KG.Agent}
    check_quads(quads, where="bridge.txt")        # raised ValidationError before the fix


def test_a_place_that_owns_no_post_stays_a_place_only():
    doc = document_from_text(TEXT, doc_id="bridge")
    extraction = city_post_extraction()
    extraction.facts = extraction.facts[:1]
    quads = list(document_quads(doc, extraction))
    types = {q.object for q in quads if q.subject == entity_iri("place", "hamilton") and q.predicate == RDF.type}
    assert types == {KG.Place}
