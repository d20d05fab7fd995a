"""KGStore.add_documents: bulk-load speed, yet every document complete or absent after a crash."""

from pyoxigraph import Literal, NamedNode, Quad

from kg.store import PENDING, KGStore
from kg.terms import GRAPH, KG

P = NamedNode("http://example.org/p")


def document(name: str, digest: str, size: int = 3):
    graph = NamedNode(GRAPH + name)
    node = NamedNode(f"https://w3id.org/newskg/id/document/{name}")
    quads = [Quad(node, KG.contentHash, Literal(digest), graph)]
    quads += [Quad(node, P, Literal(f"{digest}-{i}"), graph) for i in range(size)]
    return graph, quads, digest


def test_new_documents_are_added_and_known_ones_replaced_in_order(tmp_path):
    with KGStore(tmp_path / "s") as store:
        assert store.add_documents([document("a", "h1"), document("b", "h2")]) == ["added", "added"]
        assert store.add_documents([document("a", "h1"), document("b", "h3"), document("c", "h4"),
                                    document("c", "h5")]) == ["unchanged", "replaced", "added", "replaced"]
        assert store.content_hash(NamedNode(GRAPH + "b")) == "h3"
        assert store.content_hash(NamedNode(GRAPH + "c")) == "h5"
        assert len(store) == 3 * 4
        assert not store.store.contains_named_graph(PENDING)


def test_a_crash_before_the_completion_mark_drops_the_partial_document(tmp_path):
    with KGStore(tmp_path / "s") as store:
        store.add_documents([document("a", "h1")])
        graph, quads, digest = document("b", "h2")
        # as left by a kill during the bulk load: pending record, part of the body, no hash yet
        store.store.add(Quad(graph, KG.contentHash, Literal(digest), PENDING))
        store.store.extend(quads[1:2])
    with KGStore(tmp_path / "s") as store:
        assert [g.value for g in store.graphs()] == [GRAPH + "a"]
        assert len(store) == 4


def test_a_crash_after_the_completion_mark_keeps_the_document(tmp_path):
    with KGStore(tmp_path / "s") as store:
        graph, quads, digest = document("b", "h2")
        store.store.add(Quad(graph, KG.contentHash, Literal(digest), PENDING))
        store.store.extend(quads)          # complete, but the pending record was not removed yet
    with KGStore(tmp_path / "s") as store:
        assert [g.value for g in store.graphs()] == [GRAPH + "b"]
        assert len(store) == 4
