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
