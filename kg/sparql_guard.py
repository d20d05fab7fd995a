"""Refuse SPARQL nested too deeply, before any parser sees it.

Oxigraph's parser is recursive: 3,000 nested ``{`` or 10,000 ``(`` overflow its stack, which
kills the process (``kg query`` with a segmentation fault, ``oxigraph serve`` with "stack
overflow"). No real query comes near the limit; counting brackets outside strings, IRIs and
comments is cheap and exact enough to refuse such input with a clear message.

>>> check_nesting("SELECT * WHERE { ?s ?p ?o FILTER((?o > 1)) }")
>>> check_nesting("ASK {" * 300 + "}" * 300)
Traceback (most recent call last):
...
kg.errors.QueryError: SPARQL nested too deeply (more than 128 levels of brackets); refused before parsing
>>> nesting_depth('SELECT ("((((" AS ?x) <http://e/(((> # (((\\n { FILTER(?x) }')
2
"""

from __future__ import annotations

import re

from .errors import QueryError

MAX_DEPTH = 128          # levels of ( { [ together; real queries stay under 20
MAX_LENGTH = 1_000_000   # characters of query text

# Pieces where brackets do not count: long and short strings, IRIs, comments.
_SKIP = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""'
                   r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
                   r'|"(?:[^"\\\n]|\\.)*"'
                   r"|'(?:[^'\\\n]|\\.)*'"
                   r"|<[^<>\"{}|^`\\\s]*>"
                   r"|#[^\n]*")
_OPEN, _CLOSE = "({[", ")}]"


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of ``text``, ignoring strings, IRIs and comments."""
    depth = deepest = 0
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char in "\"'<#":
            skipped = _SKIP.match(text, position)
            if skipped:
                position = skipped.end()
                continue
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        position += 1
    return deepest


def check_nesting(text: str, limit: int = MAX_DEPTH) -> None:
    """Raise :class:`QueryError` for a query longer than MAX_LENGTH or nested beyond ``limit``."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"SPARQL text too long ({len(text):,} characters; limit {MAX_LENGTH:,})")
    if nesting_depth(text) > limit:
        raise QueryError(f"SPARQL nested too deeply (more than {limit} levels of brackets); refused before parsing")
