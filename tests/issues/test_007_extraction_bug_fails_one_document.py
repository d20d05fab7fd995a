"""Issue 7: a bug met while extracting one document stopped the whole batch with a traceback.

Any exception other than a KGError (an IndexError in a rule, say) escaped ``ingest_paths``:
the documents after it were never ingested and the user saw a traceback. Now that document is
reported as failed (one error line that says nothing of it was stored) and the batch goes on.
"""

from kg import pipeline
from kg.cli import cli
from kg.extract.model import Extraction
from kg.store import KGStore


def test_one_broken_document_does_not_stop_the_batch(runner, tmp_path, monkeypatch):
    def extract_parsed(doc, parsed):
        if doc.id == "a-broken":
            raise IndexError("list index out of range")
        return Extraction()

    monkeypatch.setattr(pipeline, "extract_parsed", extract_parsed)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a-broken", "b-fine"):
        (folder / f"{name}.txt").write_text("Leaders met in Vienna.\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr == (f"Error: {folder / 'a-broken.txt'}: extraction failed (IndexError: list index out "
                             "of range); nothing of it was stored — please report this file\n")
    assert result.stdout.splitlines()[:2] == [f"failed     {folder / 'a-broken.txt'}",
                                              f"added      {folder / 'b-fine.txt'}  (5 quads, 0 entities, "
                                              "0 statements, 0 facts)"]
    with KGStore(tmp_path / "store") as store:
        assert [g.value for g in store.document_graphs()] == ["https://w3id.org/newskg/graph/b-fine"]
