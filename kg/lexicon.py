"""Load the data files under ``data/lexicon/``: gazetteers, title words, verbs, patterns.

Knowledge lives in these files, rules live in code. Each loader is cached: the files are small
and read once per process.

>>> "said" in load_words("speech_verbs.txt")
True
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

_REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The data folder: the repository's in a checkout, the installed package's otherwise."""
    if (_REPO_DATA / "lexicon").is_dir():
        return _REPO_DATA
    return Path(__file__).resolve().parent / "data"   # installed: kg/data (pyproject package-dir)


def lexicon_path(name: str) -> Path:
    return data_dir() / "lexicon" / name


def _lines(name: str) -> list[str]:
    text = lexicon_path(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@cache
def load_cased_words(name: str) -> frozenset[str]:
    """A set of words or phrases, one per line, as written (case matters: "Sh20" is money, "SH20" a road)."""
    return frozenset(_lines(name))


@cache
def load_words(name: str) -> frozenset[str]:
    """A set of lower-cased words or phrases, one per line."""
    return frozenset(line.lower() for line in _lines(name))


@cache
def load_patterns(name: str) -> tuple[re.Pattern, ...]:
    """Case-insensitive regular expressions, one per line."""
    return tuple(re.compile(line, re.IGNORECASE) for line in _lines(name))


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a tab-separated file whose first non-comment line is the header."""
    return load_table_path(lexicon_path(name))


def load_table_path(path: Path) -> tuple[dict[str, str], ...]:
    """Rows of the tab-separated file at ``path`` (first non-comment line: the header)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return ()
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    return tuple(
        {key: (value.strip() if value else "") for key, value in zip(header, row + [""] * len(header), strict=False)}
        for row in reader
    )


@cache
def load_mapping(name: str) -> dict[str, str]:
    """A two-column tab-separated file (no header) as a dict."""
    mapping = {}
    for line in _lines(name):
        key, _, value = line.partition("\t")
        mapping[key] = value.strip()
    return mapping
