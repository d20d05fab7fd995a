"""Issue 8, item 11: ``kg export -o .kg/store/CURRENT`` overwrote a file of the store and broke it.

The output path was not checked, so an export could write over the database's own files (the
next command failed with ``RuntimeError: Corruption: CURRENT file corrupted``). An output inside
the store folder is now refused as a usage error (exit 2), as ``kg backup`` refuses a target
inside the store, and the store is untouched.
"""

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from kg.cli import cli

QUAD = Quad(NamedNode("https://example.org/thing"), NamedNode("https://example.org/name"), Literal("kept"),
            NamedNode("https://w3id.org/newskg/graph/doc"))


@pytest.mark.parametrize("target", ["CURRENT", "export.ttl"])
def test_an_export_into_the_store_is_refused(runner, tmp_path, target):
    store = tmp_path / "store"
    opened = Store(str(store))
    opened.add(QUAD)
    opened.flush()
    del opened
    current = (store / "CURRENT").read_bytes()
    output = store / target
    result = runner.invoke(cli, ["export", "-o", str(output), "--store", str(store)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip() == f"Error: output {output} is inside the store {store}; write it somewhere else"
    assert (store / "CURRENT").read_bytes() == current
    assert (target == "CURRENT") or not output.exists()
    reopened = Store.read_only(str(store))
    try:
        assert set(reopened) == {QUAD}
    finally:
        del reopened
