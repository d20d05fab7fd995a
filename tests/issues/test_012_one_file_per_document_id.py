"""Issue 8, item 1: files whose names reduce to one document id overwrote each other.

``news/2023/report.txt`` and ``news/2024/report.txt`` are both document ``report``;
``news/my report.txt`` and ``news/My_Report.md`` are both ``my-report``. One ``kg ingest news``
said "2 added, 2 replaced" (exit 0) and kept two graphs; a re-run swapped the winners and called
a file that was not stored "unchanged". Now a document id belongs to one file: the second file of
a run is refused with an error naming the first, a later run refuses a different file with a
taken id unless ``--force``, and ``--force`` also re-extracts a document left unchanged on disk
(the repair after ``kg query --update`` edited its graph).
"""

from pathlib import Path

import pytest
from conftest import store_quads as all_quads  # noqa: E402 - tests/ is on sys.path
from pyoxigraph import NamedNode, Store

from kg.cli import cli

pytestmark = pytest.mark.slow

KG = "https://w3id.org/newskg/ontology#"
GRAPH = "https://w3id.org/newskg/graph/"

FILES = {
    "2023/report.txt": "Leaders met in Vienna on Monday.\n\nThe president of Austria opened the talks.\n",
    "2024/report.txt": "Ministers met in Geneva on Tuesday.\n\nThe foreign minister of France spoke first.\n",
    "My_Report.md": "# Talks\n\nDiplomats met in Berlin on Friday.\n\nThe chancellor of Germany hosted them.\n",
    "my report.txt": "Officials gathered in Paris on Sunday.\n\nThe mayor of Paris welcomed them.\n",
}
# (kept, refused): files are taken in sorted order, the first with an id keeps it.
PAIRS = [("2023/report.txt", "2024/report.txt", "report"), ("My_Report.md", "my report.txt", "my-report")]


def write_news(root: Path) -> Path:
    news = root / "news"
    for name, text in FILES.items():
        (news / name).parent.mkdir(parents=True, exist_ok=True)
        (news / name).write_text(text, encoding="utf-8")
    return news


def documents(store_path: Path) -> dict[str, str]:
    """Document id -> the text stored for it (kg:content), for every graph holding a kg:Document."""
    store = Store.read_only(str(store_path))
    try:
        found = {}
        for quad in store.quads_for_pattern(None, NamedNode(KG + "content"), None, None):
            found[quad.graph_name.value.removeprefix(GRAPH)] = quad.object.value
        return found
    finally:
        del store




def lines(text: str, start: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(start)]


def test_the_second_file_with_an_id_is_refused_naming_the_first(runner, tmp_path):
    news, store = write_news(tmp_path), tmp_path / "store"
    result = runner.invoke(cli, ["ingest", str(news), "--store", str(store)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = lines(result.stderr, "Error: ")
    assert len(errors) == 2, result.stderr
    for kept, refused, doc_id in PAIRS:
        assert any(line.split()[1] == str(news / kept) for line in lines(result.stdout, "added ")), result.stdout
        assert f"failed     {news / refused}" in result.stdout.splitlines()
        error = next(e for e in errors if e.startswith(f"Error: {news / refused}: "))
        assert f"document id '{doc_id}'" in error and str(news / kept) in error, error
    stored = documents(store)
    assert sorted(stored) == ["my-report", "report"]
    assert stored["report"].strip() == FILES["2023/report.txt"].strip()
    assert "Berlin" in stored["my-report"]


def test_a_rerun_changes_nothing_and_never_says_unchanged_for_a_refused_file(runner, tmp_path):
    news, store = write_news(tmp_path), tmp_path / "store"
    runner.invoke(cli, ["ingest", str(news), "--store", str(store)])
    before, winners = all_quads(store), documents(store)
    result = runner.invoke(cli, ["ingest", str(news), "--store", str(store)])
    assert result.exit_code == 1, result.output
    for kept, refused, _ in PAIRS:
        assert f"unchanged  {news / kept}  (already in the store)" in result.stdout.splitlines(), result.stdout
        assert f"failed     {news / refused}" in result.stdout.splitlines(), result.stdout
    assert "0 added, 0 replaced, 2 unchanged, 2 failed" in result.stdout
    assert documents(store) == winners
    assert all_quads(store) == before


def test_a_later_run_refuses_a_taken_id_unless_force(runner, tmp_path):
    news, store = write_news(tmp_path), tmp_path / "store"
    first, second = news / "2023/report.txt", news / "2024/report.txt"
    assert runner.invoke(cli, ["ingest", str(first), "--store", str(store)]).exit_code == 0
    before = all_quads(store)

    result = runner.invoke(cli, ["ingest", str(second), "--store", str(store)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    error = lines(result.stderr, "Error: ")[0]
    assert error.startswith(f"Error: {second}: document id 'report' is taken by {first.resolve()}"), error
    assert "--force" in error
    assert all_quads(store) == before

    forced = runner.invoke(cli, ["ingest", "--force", str(second), "--store", str(store)])
    assert forced.exit_code == 0, forced.output
    assert lines(forced.stdout, "replaced ")[0].split()[1] == str(second)
    assert documents(store)["report"].strip() == FILES["2024/report.txt"].strip()


def test_force_repairs_a_graph_edited_by_an_update(runner, tmp_path):
    news, store = write_news(tmp_path), tmp_path / "store"
    source = news / "2023/report.txt"
    assert runner.invoke(cli, ["ingest", str(source), "--store", str(store)]).exit_code == 0

    def report_graph():
        opened = Store.read_only(str(store))
        try:
            return set(opened.quads_for_pattern(None, None, None, NamedNode(GRAPH + "report")))
        finally:
            del opened

    original = report_graph()
    edit = f"DELETE WHERE {{ GRAPH <{GRAPH}report> {{ ?document <{KG}title> ?title }} }}"
    edited = runner.invoke(cli, ["query", "--update", "--sparql", edit, "--store", str(store)])
    assert edited.exit_code == 0, edited.output
    damaged = report_graph()
    assert damaged < original

    # The file did not change, so a plain re-run skips it (it is not even extracted again) ...
    again = runner.invoke(cli, ["ingest", str(source), "--store", str(store)])
    assert again.exit_code == 0 and again.stdout.startswith(f"unchanged  {source}")
    assert report_graph() == damaged
    # ... and --force extracts it again and replaces the edited graph.
    forced = runner.invoke(cli, ["ingest", "--force", str(source), "--store", str(store)])
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.startswith(f"replaced   {source}")
    assert report_graph() == original
