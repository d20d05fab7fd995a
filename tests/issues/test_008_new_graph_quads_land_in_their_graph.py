"""Issue 8: ``replace_graph`` put a new document's quads in whatever graph they named.

Replacing an existing graph moved every quad into ``graph``; adding a new one wrote the quads
as given, so quads naming another graph (or none) landed outside the document's graph, where
a later replace or remove could not find them. Both paths now write into ``graph`` only.
"""

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from kg.store import KGStore

GRAPH = NamedNode("https://w3id.org/newskg/graph/doc")
S = NamedNode("https://w3id.org/newskg/id/document/doc")
P = NamedNode("https://w3id.org/newskg/ontology#title")


def test_added_quads_go_into_the_graph(tmp_path):
    with KGStore(tmp_path / "store") as store:
        quads = [Quad(S, P, Literal("one"), DefaultGraph()),
                 Quad(S, P, Literal("two"), NamedNode("https://w3id.org/newskg/graph/other"))]
        assert store.replace_graph(GRAPH, quads) == "added"
        assert {q.graph_name for q in store.store} == {GRAPH}
        assert store.remove_graph(GRAPH) and len(store) == 0
