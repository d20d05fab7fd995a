"""kg.sparql_guard: brackets and operator chains are counted outside strings, IRIs, comments and
names; queries past the limits are refused with one QueryError, every saved query passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import QueryError
from kg.sparql_guard import MAX_CHAIN, MAX_DEPTH, chain_length, check_nesting, measure, nesting_depth

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text, depth", [
    ("SELECT * WHERE { ?s ?p ?o }", 1),
    ("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p [ ?q ( 1 2 ) ] } }", 4),
    ('SELECT * WHERE { ?s ?p "((({{{[[[" }', 1),
    ("SELECT * WHERE { ?s ?p '''{{{\n((('''  }", 1),
    ('SELECT * WHERE { ?s ?p """a \\""" ((( """ }', 1),
    ("SELECT * WHERE { ?s ?p ?o } # {{{{{{{{{{", 1),
    ("SELECT * WHERE { ?s <http://e/a#{{{> ?o }", 1),
    ("SELECT * WHERE { ?s ex:a\\(b ?o }", 1),               # an escaped bracket in a name
    ("SELECT * WHERE { ?s <http://e/Paris_(France)> ?o }", 2),  # an IRI's ( counts: harmless
    ("}}}} {", 1),                                          # stray closers never go below zero
])
def test_depth_outside_strings_iris_comments(text, depth):
    assert nesting_depth(text) == depth


def test_a_comparison_that_looks_like_an_iri_still_counts():
    # `?a<((…2…))>?a` is a comparison to Oxigraph: 10,000 of those brackets segfaulted it.
    deep = "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<" + "(" * 10_000 + "2" + ")" * 10_000 + ">?a) }"
    with pytest.raises(QueryError, match="nested too deeply"):
        check_nesting(deep)


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("{", "}"), ("[", "]")])
def test_the_limit_is_exact(opener, closer):
    def nested(n):
        return "SELECT * WHERE { FILTER(" + opener * n + "1" + closer * n + ") }"

    check_nesting(nested(MAX_DEPTH - 2))                    # { and ( of the query itself
    with pytest.raises(QueryError) as refused:
        check_nesting(nested(MAX_DEPTH))
    assert str(refused.value) == (f"SPARQL nested too deeply (more than {MAX_DEPTH} levels of brackets); "
                                  "refused before parsing")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("query", [
    "SELECT (1" + "+1" * 10_000 + " AS ?x) WHERE {}",
    "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }",
    "SELECT * WHERE { {?s ?p ?o}" + " UNION {?s ?p ?o}" * 10_000 + " }",
    "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL {?s ?p ?o} . " * 10_000 + " }",
    "SELECT * WHERE { FILTER(true" + " && true" * 10_000 + ") }",
    "SELECT * WHERE { ?s <http://p>" + "/<http://p>" * 10_000 + " ?o }",
], ids=["plus", "not", "union", "optional", "and", "path"])
def test_long_operator_chains_are_refused(query):
    # Each of these, 10,000 long, overflowed Oxigraph's stack too.
    with pytest.raises(QueryError, match="chains too many operators"):
        check_nesting(query)


def test_chains_end_at_brackets_and_separators():
    assert chain_length("SELECT ((1+2)+(3+4) AS ?x) {}") == 2
    data = "INSERT DATA { GRAPH <g> {" + 'ex:a-b ex:p "x-y"^^xsd:string, -1, ex:c-d .\n' * 5_000 + "} }"
    assert measure(data) == (2, 1)                          # -1 after a comma is a number, not a chain
    check_nesting(data)
    assert chain_length("SELECT * { ?s ?p ?o FILTER(?o != 1) }") == 1   # SELECT *; != is no chain
    check_nesting("SELECT * WHERE { FILTER(1" + " || 1" * (MAX_CHAIN - 2) + ") }")


def test_every_saved_query_passes():
    for path in sorted((REPO / "queries").glob("*.rq")):
        depth, chain = measure(path.read_text(encoding="utf-8"))
        assert depth <= 10 and chain <= 20, path.name


def test_huge_text_is_refused_before_counting():
    with pytest.raises(QueryError, match="too long"):
        check_nesting("#" * 1_000_001)
