"""Issue 8, item 11: ``kg ingest`` printed nothing until the end, and file names broke its lines.

All lines came after the whole batch, so after a ``kill -9`` nobody knew what had been committed;
a file name holding a newline split its line in two. Each file's line is now printed as soon as
it is final (a document once it is committed), and names are printed on one line, control
characters escaped.
"""

import subprocess
import sys
import textwrap

import pytest
from pyoxigraph import NamedNode, Store

from kg.cli import cli

pytestmark = pytest.mark.slow

TEXTS = ["Leaders met in Vienna on Monday.\n\nThe chancellor of Austria opened the talks.\n",
         "Ministers met in Berlin on Tuesday.\n\nThe chancellor of Germany hosted them.\n"]


def test_one_line_per_file_then_the_summary(runner, tmp_path):
    for name, text in zip(["a.txt", "b.txt"], TEXTS, strict=True):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"),
                                 "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:2]] == [["added", str(tmp_path / "a.txt")],
                                                        ["added", str(tmp_path / "b.txt")]]
    assert lines[2].startswith("2 added, 0 replaced, 0 unchanged, 0 failed; store ")


# Ingest a.txt, then b.txt, one document per commit; the process dies (as abruptly as kill -9)
# when it starts on b.txt. What it printed before dying must be what the store holds.
DIE_ON_THE_SECOND = """
    import os, sys
    import kg.pipeline
    kg.pipeline.ingest_paths.__kwdefaults__["batch_size"] = 1
    parse_many, calls = kg.pipeline.parse_many, []

    def parse_then_die(docs, **kwargs):
        calls.append(len(docs))
        if len(calls) == 2:
            sys.stdout.flush()
            os._exit(9)
        return parse_many(docs, **kwargs)

    kg.pipeline.parse_many = parse_then_die
    from kg.cli import cli
    cli(sys.argv[1:])
"""


def test_a_document_is_printed_once_committed_even_if_the_run_dies_later(tmp_path):
    for name, text in zip(["a.txt", "b.txt"], TEXTS, strict=True):
        (tmp_path / name).write_text(text, encoding="utf-8")
    store = tmp_path / "store"
    # cwd outside the repository: the child imports the same `kg` as this test.
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(DIE_ON_THE_SECOND), "ingest", str(tmp_path / "a.txt"),
                             str(tmp_path / "b.txt"), "--store", str(store)],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 9, result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [["added", str(tmp_path / "a.txt")]]
    opened = Store.read_only(str(store))
    try:
        graphs = {g.value for g in opened.named_graphs() if isinstance(g, NamedNode)}
    finally:
        del opened
    assert "https://w3id.org/newskg/graph/a" in graphs
    assert "https://w3id.org/newskg/graph/b" not in graphs


def test_a_file_name_with_a_newline_is_one_escaped_line(runner, tmp_path):
    source = tmp_path / "two\nlines.txt"
    source.write_text(TEXTS[0], encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(source), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"added      {tmp_path}/two\\nlines.txt  ("), lines
    assert lines[1].startswith("1 added, 0 replaced, 0 unchanged, 0 failed; store ")
