"""Extraction time against document length: words/s at 10 KB, 100 KB and 1 MB (target: within 2x).

One long document is built from the paragraphs of the source articles (``data/articles``,
``tests/golden``, ``tests/dev-corpus``) in a fixed shuffled order, repeated until it reaches the
size, so it holds real names, quotes and posts. The paragraphs are parsed by spaCy once (spaCy's
own cost is linear: ``kg.extract.parse`` cuts long texts into 100 KB pieces) and the parses are
joined with ``Doc.from_docs`` into one ``Doc`` per size, exactly as ``parse`` joins its pieces.
What is timed is ``extract_parsed``: every rule of newskg on that one ``Doc``. The table also
gives spaCy's words/s on the paragraphs and the resulting words/s of a whole ``kg extract``.

    python benchmarks/bench_linear.py [--quick]      # --quick: 10 KB and 100 KB only
"""

from __future__ import annotations

import random

import common  # noqa: F401  (puts the repository on sys.path)
from common import REPO, SEED, arguments, median, save, source_documents, table, timed

SIZES = {"10 KB": 10_000, "100 KB": 100_000, "1 MB": 1_000_000}
TARGET = 2.0


def paragraphs() -> list[str]:
    from kg.documents import read_document

    docs = source_documents() + [read_document(p) for p in sorted((REPO / "tests" / "dev-corpus").glob("*/article.txt"))]
    found = [p.strip() for doc in docs for p in doc.text.split("\n\n")[1:] if len(p.split()) >= 8]
    random.Random(SEED).shuffle(found)
    return found


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    repeats = args.repeats or (3 if args.quick else 2)
    sizes = {k: v for k, v in SIZES.items() if not (args.quick and v > 100_000)}

    from spacy.tokens import Doc

    from kg.documents import Document
    from kg.extract import _pipeline, extract_parsed

    nlp = _pipeline(None)
    pool = [p + "\n\n" for p in paragraphs()]
    seconds, parsed = timed(lambda: list(nlp.pipe(pool, batch_size=16)))
    pool_words = sum(len(p.split()) for p in pool)
    spacy_wps = pool_words / seconds
    print(f"paragraphs: {len(pool)} ({sum(map(len, pool)):,} characters, {pool_words:,} words); "
          f"spaCy {spacy_wps:,.0f} words/s")

    rows, results = [], {}
    for name, size in sizes.items():
        picked, chars, k = [], 0, 0
        while chars < size:
            picked.append(k % len(pool))
            chars += len(pool[k % len(pool)])
            k += 1
        text = "Long document\n\n" + "".join(pool[i] for i in picked)
        title = nlp("Long document\n\n")
        doc = Doc.from_docs([title, *(parsed[i] for i in picked)], ensure_whitespace=False)
        assert doc.text == text
        # the paragraphs come from cleaned documents: the text is used as it is
        document = Document(id=f"linear-{size}", text=text, title="Long document")
        n_words = len(text.split())
        times = []
        for round_ in range(repeats):
            seconds, _ = timed(extract_parsed, document, doc)
            times.append(seconds)
            print(f"  {name:>7} round {round_ + 1}/{repeats}: {seconds:7.2f} s", flush=True)
        rules_wps = n_words / median(times)
        whole = 1 / (1 / rules_wps + 1 / spacy_wps)
        results[name] = {"characters": len(text), "words": n_words, "seconds": times, "rules_words_per_s": rules_wps,
                         "extract_words_per_s": whole}
        rows.append([name, len(text), n_words, median(times), rules_wps, whole])
    best = max(r["rules_words_per_s"] for r in results.values())
    worst = min(r["rules_words_per_s"] for r in results.values())
    ratio = best / worst
    print()
    print(table(["size", "characters", "words", "rules s (median)", "rules words/s", "kg extract words/s"], rows))
    print(f"\nspaCy: {spacy_wps:,.0f} words/s; fastest/slowest rules words/s = {ratio:.2f} "
          f"(target <= {TARGET}): {'met' if ratio <= TARGET else 'MISSED'}")
    save("linear", args.quick, {"spacy_words_per_s": spacy_wps, "sizes": results, "ratio": ratio, "target": TARGET})


if __name__ == "__main__":
    main()
