"""`kg ingest --jobs N`: extraction in worker processes, one writer; the same store as --jobs 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import cli
from kg.pipeline import PARALLEL_MIN, ingest_paths
from kg.store import KGStore

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).resolve().parent / "golden"


def golden_articles(folder: Path, n: int) -> Path:
    """``n`` golden articles (with their metadata) copied into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in sorted(p for p in GOLDEN.iterdir() if (p / "article.txt").is_file())[:n]:
        shutil.copyfile(case / "article.txt", folder / f"{case.name}.txt")
        if (case / "article.meta.json").is_file():
            shutil.copyfile(case / "article.meta.json", folder / f"{case.name}.meta.json")
    return folder


def sorted_nquads(store_path: Path) -> list[str]:
    with KGStore(store_path, create=False, read_only=True) as store:
        return sorted(str(q) for g in store.document_graphs()
                      for q in store.store.quads_for_pattern(None, None, None, g))


def ingest(store_path: Path, paths, **kwargs):
    seen = []
    with KGStore(store_path) as store:
        report = ingest_paths(store, paths, on_result=seen.append, **kwargs)
    return report, seen


def test_jobs_gives_the_same_store_statuses_and_reports(tmp_path):
    articles = golden_articles(tmp_path / "articles", 5)
    (articles / "empty.txt").write_text("")                      # fails to read
    twin = tmp_path / "elsewhere"
    twin.mkdir()
    first = sorted(articles.glob("*.txt"))[0]
    # the same id from another file (and other text): refused, naming the first
    (twin / first.name).write_text(first.read_text() + "\n\nOne more paragraph.\n")
    if first.with_suffix(".meta.json").is_file():
        shutil.copyfile(first.with_suffix(".meta.json"), twin / f"{first.stem}.meta.json")
    paths = [articles, twin]

    one, seen_one = ingest(tmp_path / "one", paths, jobs=1)
    two, seen_two = ingest(tmp_path / "two", paths, jobs=2, min_parallel=2)

    assert sorted_nquads(tmp_path / "one") == sorted_nquads(tmp_path / "two")
    assert [(r.path, r.status, r.quads, r.entities, r.facts) for r in one.results] == \
           [(r.path, r.status, r.quads, r.entities, r.facts) for r in two.results]
    assert [r.status for r in two.results].count("added") == 5
    failed = {Path(r.path).name: r.message for r in two.failed}
    assert "empty.txt" in failed and "is already the id of" in failed[first.name]
    # each file reported once, when final
    assert sorted(r.path for r in seen_two) == sorted(r.path for r in two.results)
    assert len(seen_two) == len(two.results)


def test_jobs_rerun_is_unchanged_and_force_replaces(tmp_path):
    articles = golden_articles(tmp_path / "articles", 3)
    store = tmp_path / "store"
    ingest(store, [articles], jobs=2, min_parallel=2)
    before = sorted_nquads(store)
    again, _ = ingest(store, [articles], jobs=2, min_parallel=2)
    assert [r.status for r in again.results] == ["unchanged"] * 3
    forced, _ = ingest(store, [articles], jobs=2, min_parallel=2, force=True)
    assert [r.status for r in forced.results] == ["replaced"] * 3
    assert sorted_nquads(store) == before


def test_jobs_reports_a_non_conforming_or_failing_document_and_goes_on(tmp_path):
    articles = golden_articles(tmp_path / "articles", 2)
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    report, seen = ingest(tmp_path / "store", [articles], jobs=2, min_parallel=2)
    assert [r.status for r in report.results].count("added") == 2
    assert [Path(r.path).name for r in report.failed] == ["binary.txt"]
    assert len(seen) == 3


def test_cli_ingest_jobs_2_matches_jobs_1(runner, tmp_path):
    # Enough short files for the worker processes to start (fewer are extracted in-process).
    folder = tmp_path / "short"
    folder.mkdir()
    paragraphs = [p for case in sorted(GOLDEN.iterdir()) if (case / "article.txt").is_file()
                  for p in (case / "article.txt").read_text(encoding="utf-8").split("\n\n")[1:3]]
    for index in range(PARALLEL_MIN):
        text = f"Report number {index}\n\n" + paragraphs[index % len(paragraphs)]
        (folder / f"short-{index:02d}.txt").write_text(text, encoding="utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        store = tmp_path / f"store-{jobs}"
        result = runner.invoke(cli, ["ingest", str(folder), "--store", str(store), "--jobs", jobs, "--no-link"])
        assert result.exit_code == 0, result.output
        outputs[jobs] = result.output
    assert outputs["1"] == outputs["2"].replace("store-2", "store-1")
    assert sorted_nquads(tmp_path / "store-1") == sorted_nquads(tmp_path / "store-2")


def test_cli_jobs_must_be_positive(runner, tmp_path):
    result = runner.invoke(cli, ["ingest", str(tmp_path), "--jobs", "0", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
