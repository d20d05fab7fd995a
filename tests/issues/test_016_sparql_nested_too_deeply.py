"""Issue 8, item 6: deeply nested SPARQL crashed ``kg query`` (segmentation fault, rc 139, no message).

Oxigraph's parser is recursive: 3,000 nested ``{`` or 10,000 ``(`` overflowed its stack and
killed the process. Such text is now refused before any parser sees it, with one ``Error:``
line (exit 1), for queries and for ``--update``, with or without ``--timeout``. Each case runs
in a subprocess, so that a crash shows as a signal instead of killing the test run.
"""

import subprocess
import sys

import pytest
from conftest import store_quads as quads  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import Literal, NamedNode, Quad, Store

G = "https://w3id.org/newskg/graph/doc"
NESTED_BRACES = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
NESTED_PARENTHESES = "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }"
UPDATE_BRACES = "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE " + "{" * 3000 + "}" * 3000
UPDATE_PARENTHESES = (f"INSERT {{ GRAPH <{G}> {{ <http://e/s> <http://e/p> ?x }} }} WHERE {{ BIND("
                      + "(" * 10000 + "1" + ")" * 10000 + " AS ?x) }")


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    opened = Store(str(path))
    opened.add(Quad(NamedNode("http://e/s"), NamedNode("http://e/p"), Literal("kept"), NamedNode(G)))
    opened.flush()
    del opened
    return path




@pytest.mark.parametrize("args", [
    ["--sparql", NESTED_BRACES],
    ["--sparql", NESTED_PARENTHESES],
    ["--timeout", "30", "--sparql", NESTED_BRACES],
    ["--update", "--sparql", UPDATE_BRACES],
    ["--update", "--sparql", UPDATE_PARENTHESES],
], ids=["braces", "parentheses", "braces-timeout", "update-braces", "update-parentheses"])
def test_nested_too_deeply_is_one_error_line(store, tmp_path, args):
    before = quads(store)
    # cwd outside the repository: the child imports the same `kg` as this test.
    result = subprocess.run([sys.executable, "-m", "kg.cli", "query", *args, "--store", str(store)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, f"rc {result.returncode}: {result.stderr[-500:]}"
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: SPARQL nested too deeply"), result.stderr[-500:]
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert quads(store) == before
