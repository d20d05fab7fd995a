"""The store's layout: what is true of an entity is stored once, provenance stays exact (docs/graph-layout.md)."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.graph import ENTITIES_GRAPH, KGX, split_document
from kg.store import KGStore
from kg.terms import GRAPH, ID, KG, RDF, RDFS, XSD

KAZ = NamedNode(ID + "country/kazakhstan")
CICA = NamedNode(ID + "organisation/cica")


def integer(n: int) -> Literal:
    return Literal(str(n), datatype=XSD.integer)


def doc(name: str, label: str = "Kazakhstan", mentions: int = 2, fact: bool = True):
    graph, node = NamedNode(GRAPH + name), NamedNode(ID + f"document/{name}")
    digest = (name + label).encode().hex().ljust(64, "0")[:64]
    quads = [Quad(node, RDF.type, KG.Document, graph), Quad(node, RDFS.label, Literal(name), graph),
             Quad(node, KG.contentHash, Literal(digest), graph),
             Quad(KAZ, RDF.type, KG.Country, graph), Quad(KAZ, RDFS.label, Literal(label), graph),
             Quad(CICA, RDF.type, KG.Organisation, graph), Quad(CICA, RDFS.label, Literal("CICA"), graph)]
    for i in range(mentions):
        m = NamedNode(ID + f"mention/{name}-{i}-{i + 5}")
        quads += [Quad(m, RDF.type, KG.Mention, graph), Quad(m, KG.denotes, KAZ, graph),
                  Quad(m, KG.source, node, graph), Quad(m, KG.beginIndex, integer(i), graph),
                  Quad(m, KG.endIndex, integer(i + 5), graph)]
    if fact:
        e = NamedNode(ID + f"evidence/{name}-1")
        quads += [Quad(CICA, KG.initiatedBy, KAZ, graph), Quad(e, RDF.type, KG.Evidence, graph),
                  Quad(e, RDF.subject, CICA, graph), Quad(e, RDF.predicate, KG.initiatedBy, graph),
                  Quad(e, RDF.object, KAZ, graph), Quad(e, KG.source, node, graph)]
    return graph, quads, digest


def rows(store, sparql):
    return [tuple(s[i].value if s[i] is not None else None for i in range(len(s)))
            for s in store.query(sparql)]


def count(store, entity):
    found = {q.predicate: int(q.object.value) for q in store.store.quads_for_pattern(entity, None, None, ENTITIES_GRAPH)
             if q.predicate in (KGX.mentionCount, KGX.documentCount)}
    return found.get(KGX.mentionCount, 0), found.get(KGX.documentCount, 0)


def test_split_keeps_own_nodes_and_shares_descriptions_and_facts():
    graph, quads, _ = doc("a")
    stored = split_document(graph, quads)
    shared = {(t.subject, t.predicate) for t in stored.shared}
    assert (KAZ, RDFS.label) in shared and (CICA, KG.initiatedBy) in shared
    assert all(q.subject != KAZ for q in stored.own)
    assert any(q.predicate == RDFS.label and q.subject.value.endswith("document/a") for q in stored.own)
    assert len(stored.supports) == len(stored.shared)


def test_an_entity_is_described_once_whatever_the_number_of_documents(tmp_path):
    with KGStore(tmp_path / "s") as store:
        store.add_documents([doc("a"), doc("b")])
        store.replace_graph(*doc("c")[:2], content_hash=doc("c")[2])
        assert rows(store, f"SELECT ?n WHERE {{ {KAZ} rdfs:label ?n }}") == [("Kazakhstan",)]
        assert rows(store, f"SELECT ?x WHERE {{ {CICA} kg:initiatedBy ?x }}") == [(KAZ.value,)]
        assert count(store, KAZ) == (6, 3)
        # the facts keep one evidence per document
        assert len(rows(store, "SELECT ?e WHERE { ?e rdf:subject ?s }")) == 3


def test_removing_the_last_supporting_document_removes_the_triple(tmp_path):
    with KGStore(tmp_path / "s") as store:
        store.add_documents([doc("a"), doc("b", fact=False)])
        assert store.remove_graph(NamedNode(GRAPH + "a"))
        assert rows(store, f"SELECT ?x WHERE {{ {CICA} kg:initiatedBy ?x }}") == []       # only a said it
        assert rows(store, f"SELECT ?n WHERE {{ {KAZ} rdfs:label ?n }}") == [("Kazakhstan",)]  # b still does
        assert count(store, KAZ) == (2, 1)
        store.remove_graph(NamedNode(GRAPH + "b"))
        assert len(store) == 0


def test_replacing_a_document_replaces_what_only_it_said(tmp_path):
    with KGStore(tmp_path / "s") as store:
        store.add_documents([doc("a")])
        graph, quads, digest = doc("a", label="Republic of Kazakhstan", mentions=1)
        assert store.replace_graph(graph, quads, content_hash=digest) == "replaced"
        assert rows(store, f"SELECT ?n WHERE {{ {KAZ} rdfs:label ?n }}") == [("Republic of Kazakhstan",)]
        assert count(store, KAZ) == (1, 1)
        assert set(store.document_quads(graph)) == set(quads)           # the document, whole, as extracted
        assert store.replace_graph(graph, quads, content_hash=digest) == "unchanged"


def test_a_crash_during_a_bulk_load_leaves_no_entity_triple_behind(tmp_path):
    from kg.store import PENDING

    with KGStore(tmp_path / "s") as store:
        store.add_documents([doc("a", fact=False)])
        graph, quads, digest = doc("b")
        # as left by a kill during the bulk load: pending record, part of the body, no hash yet
        store.store.add(Quad(graph, KG.contentHash, Literal(digest), PENDING))
        store.store.extend(split_document(graph, quads).own[3:9])
    with KGStore(tmp_path / "s") as store:
        assert [g.value for g in store.document_graphs()] == [GRAPH + "a"]
        assert rows(store, f"SELECT ?x WHERE {{ {CICA} kg:initiatedBy ?x }}") == []
        assert count(store, KAZ) == (2, 1)


def test_a_store_of_the_previous_layout_is_migrated_on_open_after_a_backup(tmp_path):
    path = tmp_path / "s"
    old = Store(str(path))
    for _, quads, _ in (doc("a"), doc("b")):
        old.extend(quads)                              # v0.2: every description in every document graph
    old.flush()
    del old
    with KGStore(path, read_only=True) as store:       # a reader upgrades and migrates too
        assert rows(store, f"SELECT ?n WHERE {{ {KAZ} rdfs:label ?n }}") == [("Kazakhstan",)]
        assert count(store, KAZ) == (4, 2)
        for name in ("a", "b"):
            graph, quads, _ = doc(name)
            assert set(store.document_quads(graph)) == set(quads)
    backup = tmp_path / "s.before-layout-v3"
    assert len(Store.read_only(str(backup))) == 2 * len(doc("a")[1])
    with KGStore(path) as store:                       # migrated once
        assert not (tmp_path / "s.before-layout-v3-2").exists()
        store.remove_graph(NamedNode(GRAPH + "a"))
        store.remove_graph(NamedNode(GRAPH + "b"))
        assert len(store) == 0


# ---------------------------------------------------------------- documents' sort keys

TREATY = NamedNode(ID + "document/almaty-act")


def sort_keys(store):
    return {q.subject: q.object for q in store.store.quads_for_pattern(None, KGX.sortKey, None, None)
            if q.graph_name == ENTITIES_GRAPH}


def citing(name: str):
    """A document that cites the treaty (a kg:Document it names, described in the entities graph)."""
    graph, quads, digest = doc(name, fact=False)
    quads += [Quad(TREATY, RDF.type, KG.Document, graph), Quad(TREATY, RDFS.label, Literal("Almaty Act"), graph)]
    return graph, quads, digest


def test_every_document_has_one_sort_key_kept_while_a_document_supports_it(tmp_path):
    from kg.graph import document_sort_key

    with KGStore(tmp_path / "s") as store:
        store.add_documents([citing("a"), citing("b")])
        keys = sort_keys(store)
        expected = {NamedNode(ID + "document/a"), NamedNode(ID + "document/b"), TREATY}
        assert set(keys) == expected
        assert all(keys[d] == document_sort_key(d.value) for d in expected)
        # one copy each in the whole store (a query reads one key per document)
        assert len(list(store.store.quads_for_pattern(TREATY, KGX.sortKey, None, None))) == 1
        for name in ("a", "b"):            # the round trip gives the document as extracted, no key
            graph, quads, _ = citing(name)
            assert set(store.document_quads(graph)) == set(quads)
        store.remove_graph(NamedNode(GRAPH + "a"))
        assert set(sort_keys(store)) == {NamedNode(ID + "document/b"), TREATY}
        store.remove_graph(NamedNode(GRAPH + "b"))
        assert sort_keys(store) == {} and len(store) == 0


def test_a_store_written_before_the_sort_keys_gets_them_on_open(tmp_path):
    fresh, old = tmp_path / "fresh", tmp_path / "old"
    for path in (fresh, old):
        with KGStore(path) as store:
            store.add_documents([citing("a"), citing("b")])
    raw = Store(str(old))                 # as the layout was before the keys: no key, no support record
    for q in list(raw.quads_for_pattern(None, KGX.sortKey, None, None)):
        raw.remove(q)
    for q in list(raw.quads_for_pattern(None, KGX.supports, None, None)):
        if "internal#sortKey" in q.object.value:
            raw.remove(q)
    raw.flush()
    del raw
    with KGStore(old, read_only=True) as store:        # a reader upgrades and adds them
        migrated = set(store.store)
    with KGStore(fresh, read_only=True) as store:
        assert migrated == set(store.store)
    with KGStore(old) as store:                         # and removing still removes everything
        store.remove_graph(NamedNode(GRAPH + "a"))
        store.remove_graph(NamedNode(GRAPH + "b"))
        assert len(store) == 0


def test_sort_keys_order_documents_as_their_iris():
    import random
    from decimal import Decimal

    from kg.graph import DOCUMENT_IRI, document_sort_key

    rng = random.Random(10)
    alphabet = "-0123456789abcdefghijklmnopqrstuvwxyz" + "._/:AZ~é✓ "
    iris = [DOCUMENT_IRI + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    iris += [DOCUMENT_IRI + "synthetic-052-r" + str(n) for n in range(12)]
    iris += [ID + "document", ID + "documents/x", "https://a.example/", "https://w3id.org/newskg/id/event/x", "urn:x"]
    ordered = sorted(set(iris))                       # Oxigraph orders IRIs by their text, as Python does
    keys = [Decimal(document_sort_key(iri).value) for iri in ordered]
    assert keys == sorted(keys)                         # never against the IRI order (ties go to the IRI)
    # each fits Oxigraph's inlined xsd:decimal (an i128 of units of 10^-18): compared without lookups
    for iri in ordered:
        whole, _, fraction = document_sort_key(iri).value.partition(".")
        assert len(fraction) == 18 and 0 <= int(whole + fraction) < 2**127
    # distinct slugs of up to 23 slug characters get distinct keys
    short = sorted({DOCUMENT_IRI + s for s in ("a", "a-", "a-b", "a0", "ab", "b", "z" * 23, "kazakhstan-peace-secur")})
    assert len({document_sort_key(iri) for iri in short}) == len(short)


def test_counts_added_up_by_bulk_writes_equal_a_recount(tmp_path):
    with KGStore(tmp_path / "s") as store:
        store.add_documents([doc("a"), doc("b", mentions=3)])
        store.add_documents([doc("c", mentions=1), citing("d")])      # KAZ has counts: added to them
        assert count(store, KAZ) == (2 + 3 + 1 + 2, 4)
        entities = {q.subject for q in store.store.quads_for_pattern(None, KGX.mentionCount, None, ENTITIES_GRAPH)}
        stored, recounted = store._recounted(entities)
        assert entities and set(stored) == set(recounted)
        store.remove_graph(NamedNode(GRAPH + "b"))                    # a removal recounts
        assert count(store, KAZ) == (5, 3)
