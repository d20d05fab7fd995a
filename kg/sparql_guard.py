"""Refuse SPARQL nested too deeply, before any parser sees it.

Oxigraph parses and evaluates SPARQL recursively. Measured on ``oxigraph serve`` 0.5.13 (whose
request threads have the smallest stacks): about 2,100 nested ``{``, 4,400 nested ``(`` or a
chain of about 6,000 operators (``1+1+1…``, ``{…} UNION {…} UNION …``, ``!!!!…``) overflow the
stack, which kills the process (``kg query`` with a segmentation fault, the server with "stack
overflow"). No real query comes near the limits below, which stay far under those depths.

:func:`check_nesting` reads the text once, skipping strings, IRIs, comments and names, and
counts two things:

- brackets ``( { [`` open at once (:data:`MAX_DEPTH`); something that looks like an IRI counts
  its ``(`` and ``[`` too, since ``?a<((…))>?b`` is a comparison, not an IRI;
- operators that build a chain, along the brackets open at once (:data:`MAX_CHAIN`):
  ``|| && + - * / | !`` and ``UNION OPTIONAL MINUS``. ``(a+b)+(c+d)`` is a chain of 2, not 3:
  an operator inside a closed bracket no longer counts, nor one before a , ; or . (the end of
  an expression), except UNION, OPTIONAL and MINUS, which chain a group's patterns.

>>> check_nesting("SELECT * WHERE { ?s ?p ?o FILTER((?o > 1)) }")
>>> check_nesting("ASK {" * 300 + "}" * 300)
Traceback (most recent call last):
...
kg.errors.QueryError: SPARQL nested too deeply (more than 128 levels of brackets); refused before parsing
>>> nesting_depth('SELECT ("((((" AS ?x) <http://e/a> # (((\\n { FILTER(?x) }')
2
>>> chain_length("SELECT (1 + 2 * 3 AS ?x) { ?s ex:a-b/ex:c -1, -2 } # + + +")
2
"""

from __future__ import annotations

import re

from .errors import QueryError

MAX_DEPTH = 128          # levels of ( { [ together; real queries stay under 20
MAX_CHAIN = 1000         # chained operators along one nesting path
MAX_LENGTH = 1_000_000   # characters of query text

# Long strings first, then short ones (they cannot span lines: an unterminated one ends at the
# line end, where the parser stops anyway), IRIs, comments, names (prefixed names, variables,
# keywords, blank nodes: ``ex:a-b`` holds no minus), numbers, an escaped character, then the
# brackets and operators that count. ``!=``, ``^^``, ``||`` and ``&&`` are matched whole.
_TOKEN = re.compile(r'''
      (?P<skip>  """(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)
               | \'\'\'(?:[^'\\]|\\.|'(?!''))*(?:\'\'\'|\Z)
               | "(?:[^"\\\n\r]|\\.)*"?
               | '(?:[^'\\\n\r]|\\.)*'?
               | \#[^\n\r]*
               | \\.
               | \d[\d.]*(?:[eE][+-]?\d+)?
               | != | \^\^ )
    | (?P<iri>   <[^<>"{}|^`\\\x00-\x20]*> )
    | (?P<name>  [?$_:A-Za-z\u00C0-\U000EFFFF](?:[\w.:%\-\u00B7\u00C0-\U000EFFFF]|\\.)* )
    | (?P<open>  [({\[] )
    | (?P<close> [)}\]] )
    | (?P<op>    \|\| | && | [-+*/|!] )
    | (?P<end>   [,;.] )
''', re.VERBOSE | re.DOTALL)

_IRI_OPENERS = re.compile(r"[(\[]")
_CHAIN_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS"})


def measure(text: str) -> tuple[int, int]:
    """The deepest bracket nesting and the longest operator chain of ``text``."""
    depth = deepest = 0
    chain = longest = 0
    # Per open bracket (outermost first): operators in the current expression, which ends at
    # , ; or . (``-1, -1`` are two numbers, not a chain), and UNION/OPTIONAL/MINUS, which chain
    # a group's patterns across those separators.
    operators, keywords = [0], [0]
    for token in _TOKEN.finditer(text):
        kind = token.lastgroup
        if kind == "open":
            depth += 1
            operators.append(0)
            keywords.append(0)
            deepest = max(deepest, depth)
        elif kind == "close":
            if depth:
                depth -= 1
                chain -= operators.pop() + keywords.pop()
        elif kind == "end":
            chain -= operators[-1]
            operators[-1] = 0
        elif kind == "op" or (kind == "name" and token.group().upper() in _CHAIN_KEYWORDS):
            (operators if kind == "op" else keywords)[-1] += 1
            chain += 1
            longest = max(longest, chain)
        elif kind == "iri":
            deepest = max(deepest, depth + len(_IRI_OPENERS.findall(token.group())))
    return deepest, longest


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting of ``text``, ignoring strings, IRIs, comments and names."""
    return measure(text)[0]


def chain_length(text: str) -> int:
    """The longest chain of operators along one nesting path of ``text``."""
    return measure(text)[1]


def check_nesting(text: str, limit: int = MAX_DEPTH, chain_limit: int = MAX_CHAIN) -> None:
    """Raise :class:`QueryError` for a query longer than MAX_LENGTH, nested or chained too deeply."""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"SPARQL text too long ({len(text):,} characters; limit {MAX_LENGTH:,})")
    depth, chain = measure(text)
    if depth > limit:
        raise QueryError(f"SPARQL nested too deeply (more than {limit} levels of brackets); refused before parsing")
    if chain > chain_limit:
        raise QueryError(f"SPARQL chains too many operators (more than {chain_limit} of || && + - * / | ! "
                         f"UNION OPTIONAL MINUS in one expression); refused before parsing")
