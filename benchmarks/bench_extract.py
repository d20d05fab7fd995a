"""Extraction throughput (words/s): newskg ``extract_many`` vs bare spaCy ``nlp.pipe``, same model.

Baseline: ``spacy.load(model).pipe(texts, batch_size=8)`` over the same texts (a separate copy
of the model, without newskg's paragraph component). Target: ratio >= 0.7.

Extra rows (not part of the target, for context): ``extract`` one document at a time (what
``kg ingest`` / ``ingest_paths`` does), and the SHACL check ``ingest_paths`` runs per document by
default (``validate=True``), timed once on a subset.

    python benchmarks/bench_extract.py [--quick]
"""

from __future__ import annotations

import common  # noqa: F401  (puts the repository on sys.path)
from common import FULL_DOCS, QUICK_DOCS, arguments, corpus, interleaved, median, save, table, timed, words

TARGET = 0.7


def main() -> None:
    args = arguments(__doc__.splitlines()[0], validate_docs=dict(type=int, default=None,
                                                                 help="documents for the SHACL row"))
    n_docs = QUICK_DOCS if args.quick else FULL_DOCS
    repeats = args.repeats or 2
    validate_docs = args.validate_docs if args.validate_docs is not None else (5 if args.quick else 20)

    import spacy

    from kg.extract import _pipeline, extract, extract_many
    from kg.graph import document_quads
    from kg.nlp import model_name

    docs = corpus(n_docs)
    texts = [doc.text for doc in docs]
    n_words = words(docs)
    print(f"corpus: {len(docs)} documents, {n_words:,} words; model {model_name()}; {repeats} rounds")

    bare = spacy.load(model_name())
    ours = _pipeline(None)
    print(f"bare pipes:   {bare.pipe_names}\nnewskg pipes: {ours.pipe_names}")
    for _ in bare.pipe(texts[:3]):                   # warm up both (lexicon, vectors, caches)
        pass
    for _ in extract_many(docs[:3]):
        pass

    def run_bare():
        for _ in bare.pipe(texts, batch_size=8):
            pass

    def run_many():
        for _ in extract_many(docs, batch_size=8):
            pass

    def run_single():
        for doc in docs:
            extract(doc)

    runs = {"spacy nlp.pipe (baseline)": run_bare, "newskg extract_many": run_many}
    if not args.quick:
        runs["newskg extract, one by one"] = run_single
    times = interleaved(runs, repeats)

    base = median(times["spacy nlp.pipe (baseline)"])
    rows, results = [], {}
    for name, seconds in times.items():
        med = median(seconds)
        rows.append([name, med, n_words / med, base / med])
        results[name] = {"seconds": seconds, "median_s": med, "words_per_s": n_words / med, "ratio": base / med}

    # SHACL validation as run by ingest_paths(validate=True): once, on the first documents.
    from kg.validate import check_quads

    subset = docs[:validate_docs]
    pairs = [(doc, list(document_quads(doc, extraction))) for doc, extraction in extract_many(subset)]
    check_quads(pairs[0][1], where="warm-up")
    seconds, _ = timed(lambda: [check_quads(quads, where=doc.id) for doc, quads in pairs])
    sub_words = words(subset)
    rows.append([f"SHACL check_quads ({len(subset)} docs, once)", seconds, sub_words / seconds,
                 base / n_words * sub_words / seconds])
    results["shacl check_quads"] = {"docs": len(subset), "words": sub_words, "seconds": seconds,
                                    "words_per_s": sub_words / seconds,
                                    "ms_per_doc": 1000 * seconds / len(subset)}

    ratio = results["newskg extract_many"]["ratio"]
    print()
    print(table(["run", "median s", "words/s", "ratio vs spaCy"], rows))
    print(f"\nextract_many / bare spaCy = {ratio:.2f}  (target >= {TARGET}: {'met' if ratio >= TARGET else 'MISSED'})")
    save("extract", args.quick, {"docs": len(docs), "words": n_words, "repeats": repeats, "model": model_name(),
                                 "target": TARGET, "ratio": ratio, "met": ratio >= TARGET, "runs": results})


if __name__ == "__main__":
    main()
