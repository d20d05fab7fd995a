"""Token attributes as plain Python lists, built once per parsed Doc.

``doc[i]`` makes a new spaCy ``Token`` object on every call and ``doc[i:j].text`` joins the span's
tokens each time; the rules that scan every token (titles, gazetteer names, editions) ask millions of
times per hundred articles. Reading a list is an order of magnitude cheaper.
"""

from __future__ import annotations


class Tokens:
    __slots__ = ("doc", "text", "words", "lower", "idx")

    def __init__(self, doc):
        self.doc = doc
        words, lower, idx, pieces = [], [], [], []
        for tok in doc:
            words.append(tok.text)
            lower.append(tok.lower_)
            idx.append(tok.idx)
            pieces.append(tok.text_with_ws)
        self.words, self.lower, self.idx = words, lower, idx
        self.text = "".join(pieces)

    def __len__(self) -> int:
        return len(self.words)

    def span_text(self, i: int, j: int) -> str:
        """``doc[i:j].text`` (j > i)."""
        return self.text[self.idx[i]:self.idx[j - 1] + len(self.words[j - 1])]


_last: Tokens | None = None


def tokens(doc) -> Tokens:
    """The table of ``doc``: the last one built is kept, since rules work on one Doc at a time."""
    global _last
    table = _last
    if table is None or table.doc is not doc:
        table = _last = Tokens(doc)
    return table
