"""Issue 6: ingest refused a non-conforming document without saying what was wrong.

The one ``Error:`` line said "graph does not conform to the SHACL shapes (1 violation)" and
the report, which names the node and the broken shape, was dropped. The report now follows the
error line on stderr, indented; the store is left exactly as it was.

The document's graph is made invalid on purpose (a statement without ``kg:speaker``), and
extraction is replaced by a stub, so no spaCy model is needed.
"""

from pyoxigraph import Literal, NamedNode, Quad

from kg import pipeline
from kg.cli import cli
from kg.extract.model import Extraction
from kg.store import KGStore

KG = "https://w3id.org/newskg/ontology#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def stub_extraction(monkeypatch):
    real = pipeline.document_quads

    def quads(doc, extraction):
        yield from real(doc, extraction)
        if doc.id == "bad":
            statement = NamedNode("https://w3id.org/newskg/id/statement/bad-1")
            graph = NamedNode("https://w3id.org/newskg/graph/bad")
            yield Quad(statement, RDF_TYPE, NamedNode(KG + "Statement"), graph)
            yield Quad(statement, NamedNode(KG + "text"), Literal("Nobody said this."), graph)

    monkeypatch.setattr(pipeline, "extract", lambda doc, model=None: Extraction())
    monkeypatch.setattr(pipeline, "document_quads", quads)


def test_refusal_prints_the_report_and_stores_nothing(runner, tmp_path, monkeypatch):
    stub_extraction(monkeypatch)
    store = tmp_path / "store"
    (tmp_path / "good.txt").write_text("Leaders met in Vienna.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("Leaders met in Graz.\n", encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(tmp_path / "good.txt"), "--store", str(store)]).exit_code == 0
    with KGStore(store) as opened:
        before = set(opened.store)

    result = runner.invoke(cli, ["ingest", str(tmp_path / "bad.txt"), "--store", str(store)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {tmp_path / 'bad.txt'}: graph does not conform to the SHACL shapes (2 violations)"
    assert lines[1] == "    Validation Report"
    assert all(line.startswith("    ") for line in lines[1:] if line.strip())
    report = "\n".join(lines[1:])
    assert "statement/bad-1" in report and "Result Path: kg:speaker" in report
    assert "Traceback" not in result.output
    with KGStore(store) as opened:
        assert set(opened.store) == before
