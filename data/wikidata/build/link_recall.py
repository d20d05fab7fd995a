"""Offline link recall and precision on the development corpus (issue 14, part 2).

    python data/wikidata/build/link_recall.py                # per article and total
    python data/wikidata/build/link_recall.py --show         # with each miss, wrong and unchecked link
    python data/wikidata/build/link_recall.py --propose      # candidate rows for links.tsv (to review)

Each article of tests/dev-corpus goes the real way: extraction into an in-memory store (what
``kg ingest`` stores for it), then the offline linker (``kg link --offline``: the seed table and
offline-table.tsv, no cache, no network). The expected links are in tests/dev-corpus/links.tsv:
one row per gold entity whose name has a QID in a public list we can cite (the verifiable set,
wider than our table: every extract in build/sources/, sub-national regions of rigour included),
written from those lists, never from our output. The scoring is the project's scorer
(shared/tools/kg_score.py, ``link`` kind): a gold entity is *found* when a node carrying one of its
names is owl:sameAs its QID, *wrong* when such a node is linked to another QID. A link on an entity
that links.tsv does not cover is *unchecked*: the evaluation cannot tell whether it is right, so it
is listed (a links.tsv row from a source settles it).

``--propose`` prints, for every Country, Place and Organisation of the gold without a links.tsv row,
the QIDs that the extracts in build/sources/ give for one of its names; a person checks each one
against the article (which Victoria? which Georgia?) before adding it to links.tsv.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
CORPUS = REPO / "tests" / "dev-corpus"
LINKS = CORPUS / "links.tsv"
SCORER = REPO.parent / "shared" / "tools" / "kg_score.py"
ONTOLOGY = REPO / "ontology" / "newskg.ttl"
WIKIDATA = "http://www.wikidata.org/entity/"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"


def load_scorer(path: Path = SCORER):
    """shared/tools/kg_score.py as a module (it sits beside the repository), or None."""
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("kg_score", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["kg_score"] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def read_links(path: Path = LINKS) -> dict[str, list[dict[str, str]]]:
    """article -> its expected links (entity names as in expected.tsv, qid, source)."""
    by_article: dict[str, list[dict[str, str]]] = {}
    for row in read_tsv(path):
        by_article.setdefault(row["article"], []).append(row)
    return by_article


def cases(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if (p / "expected.tsv").is_file() and (p / "article.txt").is_file())


@dataclass
class ArticleResult:
    name: str
    gold: int = 0
    found: int = 0
    tp: int = 0
    fp: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)


def link_article(case: Path, workdir: Path, table_path=None) -> Path:
    """Extract one article into a store, link it offline, dump the store as N-Quads."""
    from pyoxigraph import RdfFormat, Store

    from kg.documents import read_document
    from kg.link import link_store
    from kg.pipeline import extract_quads

    store = Store()
    store.extend(extract_quads(read_document(case / "article.txt")))
    link_store(store, online=False, table_path=table_path)
    out = workdir / f"{case.name}.nq"
    store.dump(str(out), format=RdfFormat.N_QUADS)
    return out


def score_article(kg_score, case: Path, graph: Path, expected: list[dict[str, str]]) -> ArticleResult:
    kg = kg_score.KG([str(graph)], [str(ONTOLOGY)], kg_score.DEFAULT_NS)
    gold = [["link", row["entity"], "", row["qid"], ""] for row in expected]
    link = kg_score.score(kg, gold)["link"]
    result = ArticleResult(case.name, gold=link.gold, found=link.found, tp=link.tp, fp=link.fp,
                           misses=list(link.misses), wrong=list(link.wrong))
    covered = set().union(*(kg_score.names_of(row["entity"]) for row in expected)) if expected else set()
    for node, _, qid in kg.g.triples((None, kg_score.URIRef(OWL_SAME_AS), None)):
        if str(qid).startswith(WIKIDATA) and not kg.names[node] & covered:
            result.unchecked.append(f"{sorted(kg.names[node])[:1]} -> {str(qid)[len(WIKIDATA):]}")
    result.unchecked.sort()
    return result


def evaluate(corpus: Path = CORPUS, links: Path = LINKS, table_path=None, scorer=None) -> list[ArticleResult]:
    kg_score = scorer or load_scorer()
    if kg_score is None:
        raise SystemExit(f"Error: the scorer is not at {SCORER} (shared/ sits beside the repository)")
    expected = read_links(links)
    results = []
    with tempfile.TemporaryDirectory(prefix="link-recall-") as tmp:
        for case in cases(corpus):
            graph = link_article(case, Path(tmp), table_path)
            results.append(score_article(kg_score, case, graph, expected.get(case.name, [])))
    return results


def totals(results: list[ArticleResult]) -> dict[str, float]:
    gold = sum(r.gold for r in results)
    found = sum(r.found for r in results)
    tp, fp = sum(r.tp for r in results), sum(r.fp for r in results)
    return {"gold": gold, "found": found, "missed": gold - found, "wrong": sum(len(r.wrong) for r in results),
            "unchecked": sum(len(r.unchecked) for r in results),
            "recall": found / gold if gold else 0.0, "precision": tp / (tp + fp) if tp + fp else 1.0}


# --------------------------------------------------------------------------- proposing links.tsv rows


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"^the\s+", "", text)
    return re.sub(r"[\W_]+", "", text)


# extract -> (source id, [(name column, qid column)])
EXTRACTS = {
    "owid.tsv": ("owid", [("name", "qid"), ("label", "qid"), ("aliases", "qid")]),
    "conzept.tsv": ("conzept", [("name", "qid"), ("capital_name", "capital")]),
    "t2wml.tsv": ("t2wml", [("label", "qid")]),
    "osm_capitals.tsv": ("osm-capitals", [("name_ca", "qid"), ("name", "qid")]),
    "supraverden.tsv": ("supraverden", [("name", "qid")]),
    "opensanctions_igo.tsv": ("opensanctions-igo", [("name", "qid")]),
    "rigour.tsv": ("rigour", [("name", "qid"), ("full_name", "qid")]),
    "agency_registry.tsv": ("ror", [("name", "qid")]),
    "dr5hn_states.tsv": ("dr5hn-states", [("name", "qid")]),
    "dr5hn_subregions.tsv": ("dr5hn-subregions", [("name", "qid")]),
    "jgkim_regions.tsv": ("jgkim-regions", [("name", "qid"), ("en_label", "qid")]),
    "kuni_groupings.tsv": ("kuni", [("name", "qid"), ("short", "qid")]),
    "greater_turkiye_emblems.tsv": ("emblems", [("key", "qid")]),
    "dr5hn_cities.tsv": ("dr5hn-cities", [("name", "qid")]),
    "tinysearch_cities.tsv": ("tinysearch-cities", [("name", "qid")]),
    "popmap_cities.tsv": ("popmap", [("name", "qid")]),
    "spocwiki_bodies.tsv": ("spocwiki", [("name", "qid"), ("short", "qid")]),
}


def source_names() -> dict[str, dict[str, set[str]]]:
    """normalised name -> qid -> the sources that give that QID for that name."""
    index: dict[str, dict[str, set[str]]] = {}
    for file, (source, columns) in EXTRACTS.items():
        path = HERE / "sources" / file
        if not path.is_file():
            continue
        for row in read_tsv(path):
            for name_col, qid_col in columns:
                qid = row.get(qid_col, "")
                if not re.fullmatch(r"Q[1-9][0-9]*", qid):
                    continue
                for name in row.get(name_col, "").split("|"):
                    if name.strip():
                        index.setdefault(_norm(name), {}).setdefault(qid, set()).add(source)
    return index


def propose(corpus: Path = CORPUS, links: Path = LINKS) -> list[str]:
    index = source_names()
    have = {(a, row["entity"]) for a, rows in read_links(links).items() for row in rows} if links.is_file() else set()
    out = []
    for case in cases(corpus):
        for row in read_tsv_raw(case / "expected.tsv"):
            if row[0] != "entity" or row[2] not in ("Country", "Place", "Organisation") or (case.name, row[1]) in have:
                continue
            found: dict[str, set[str]] = {}
            for name in row[1].split("|"):
                for qid, sources in index.get(_norm(name), {}).items():
                    found.setdefault(qid, set()).update(sources)
            for qid, sources in sorted(found.items()):
                out.append("\t".join([case.name, row[1], qid, "|".join(sorted(sources)), row[2]]))
    return out


def read_tsv_raw(path: Path) -> list[list[str]]:
    return [(line.rstrip("\n").split("\t") + [""] * 5)[:5]
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--links", type=Path, default=LINKS)
    ap.add_argument("--table", help="one offline table file instead of the default two (seed + offline-table.tsv)")
    ap.add_argument("--show", action="store_true", help="list each miss, wrong and unchecked link")
    ap.add_argument("--propose", action="store_true", help="print candidate links.tsv rows from the source extracts")
    args = ap.parse_args(argv)
    if args.propose:
        print("\n".join(propose(args.corpus, args.links)))
        return 0
    if not args.links.is_file():
        print(f"Error: no expected links at {args.links}", file=sys.stderr)
        return 1
    results = evaluate(args.corpus, args.links, args.table)
    print("article\tgold\tfound\tmissed\twrong\tunchecked")
    for r in results:
        print(f"{r.name}\t{r.gold}\t{r.found}\t{r.gold - r.found}\t{len(r.wrong)}\t{len(r.unchecked)}")
        if args.show:
            for kind, items in (("missed", r.misses), ("WRONG", r.wrong), ("unchecked", r.unchecked)):
                for item in items:
                    print(f"    {kind}: {item}")
    t = totals(results)
    print(f"total\t{t['gold']}\t{t['found']}\t{t['missed']}\t{t['wrong']}\t{t['unchecked']}")
    print(f"recall {t['recall']:.3f} ({t['found']}/{t['gold']}), precision {t['precision']:.3f}, "
          f"{t['wrong']} wrong, {t['unchecked']} unchecked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
