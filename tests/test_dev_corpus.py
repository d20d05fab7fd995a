"""The development corpus as a regression floor: what the rules reached must not slip back.

tests/dev-corpus holds 155 short articles in real news styles with gold written blind (by people who
had not read kg/extract), including the held-back batches once they were scored
(tests/golden/HELD-BACK.md). Unlike the golden cases, nothing here must match row for row: the
articles are scored with the project's scorer (``shared/tools/kg_score.py``, beside the repository
on the developers' machines and in CI) and the figures must stay above floors set just under
what was measured when they were last set (2026-11-30, session 4's end, 105 articles: mean per-article
F1 0.869, lowest article 0.710, statements micro-F1 0.915; the held-back batches hb9, hb10 and hb12 joined at
that point, after their blind scoring, and lowered the mean and the lowest article; hb13 and hb14 joined last:
115 articles, 0.865, 0.704, 0.913, and the mean's floor went back to 0.86 for them, as a new batch may). Session 5's rules
took those 115 to 0.870 / 0.704 / 0.918; then hb15 and hb16 joined after their blind scoring: 125 articles, 0.863,
0.619 (a British regional paper's hospital story, hb15), 0.916, and the article floor went down to 0.61 for that new
article, as a new batch may; the second round's rules took the 125 to 0.870 / 0.702 / 0.927, and hb17 and hb18
joined after their blind scoring: 135 articles, 0.866, 0.702, 0.924 (floors 0.86 / 0.70 / 0.92). Session 6: hb19 and
hb20 joined after their blind scoring (145 articles at session 5's last code: 0.860, 0.528, 0.918); the first round's
rules took them to 0.867, 0.674 (hb20's EU press release), 0.933, and the article floor went down to 0.65 (the
issue's own floor for unseen articles) for that new batch; hb21 and hb22 joined after their blind scoring at the
start and after the first round (155 articles, 0.865, 0.674, 0.929); the session's end: 155 articles, 0.873, 0.687,
0.933 (floors 0.87 / 0.68 / 0.93). Raise the floors
when the rules get better; never lower them to let a change in (a new held-back batch may: say so).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "dev-corpus"
SCORER = REPO.parent / "shared" / "tools" / "kg_score.py"
ONTOLOGY = REPO / "ontology" / "newskg.ttl"

MEAN_FLOOR = 0.87         # mean of the per-article overall F1
ARTICLE_FLOOR = 0.68       # every article
STATEMENT_FLOOR = 0.93     # statements, micro-F1 over the corpus
MAIN_KINDS = ("entity", "fact", "position", "statement")


def scorer():
    if not SCORER.is_file():
        pytest.skip(f"the scorer is not at {SCORER} (shared/ sits beside the repository in CI)")
    spec = importlib.util.spec_from_file_location("kg_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    sys.modules["kg_score"] = module          # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def f1(tp: int, fp: int, found: int, gold: int) -> float:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = found / gold if gold else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@cache
def scores(tmp: str) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Per-article overall F1, and per kind the summed [tp, fp, found, gold], over the corpus."""
    from kg.documents import read_document
    from kg.export import serialize_quads
    from kg.pipeline import extract_quads

    kg_score = scorer()
    per_article, totals = {}, {}
    for case in sorted(p for p in CORPUS.iterdir() if (p / "expected.tsv").is_file()):
        graph = Path(tmp) / f"{case.name}.nq"
        serialize_quads(extract_quads(read_document(case / "article.txt")), "nquads", graph)
        result = kg_score.score(kg_score.KG([str(graph)], [str(ONTOLOGY)], kg_score.DEFAULT_NS),
                                kg_score.read_gold(str(case / "expected.tsv")))
        counts = [sum(getattr(result[k], field) for k in MAIN_KINDS) for field in ("tp", "fp", "found", "gold")]
        per_article[case.name] = f1(*counts)
        for kind, value in result.items():
            total = totals.setdefault(kind, [0, 0, 0, 0])
            for i, field in enumerate(("tp", "fp", "found", "gold")):
                total[i] += getattr(value, field)
    return per_article, totals


@pytest.fixture(scope="module")
def corpus_scores(tmp_path_factory):
    if not CORPUS.is_dir() or not any(CORPUS.iterdir()):
        pytest.skip("no development corpus")
    return scores(str(tmp_path_factory.mktemp("dev-corpus")))


def test_mean_per_article_f1_stays_above_its_floor(corpus_scores):
    per_article, _ = corpus_scores
    mean = sum(per_article.values()) / len(per_article)
    assert mean >= MEAN_FLOOR, f"mean per-article F1 {mean:.3f} < {MEAN_FLOOR}"


def test_no_article_falls_below_the_floor(corpus_scores):
    per_article, _ = corpus_scores
    low = {name: round(score, 3) for name, score in per_article.items() if score < ARTICLE_FLOOR}
    assert not low, f"articles below {ARTICLE_FLOOR}: {low}"


def test_statements_stay_above_their_floor(corpus_scores):
    _, totals = corpus_scores
    statements = f1(*totals["statement"])
    assert statements >= STATEMENT_FLOOR, f"statements micro-F1 {statements:.3f} < {STATEMENT_FLOOR}"
