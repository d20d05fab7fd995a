"""Rules that run inside a whole pass (``metadata`` is registered in ``kg/extract/__init__.py``) rather than on one cue: metadata, posts and statements.

They are registered so that every ``kg:method`` value names a row of data/lexicon/rules.tsv with
its confidence and a function to read; the passes (``kg/extract/__init__.py``, ``posts.py``,
``statements.py``) call them in the order written there.
"""

from __future__ import annotations

from ..statements import StatementFinder
from . import rule


@rule("post-title")
def post_title(ctx):
    """"President X", "X, the Secretary General of Y", "Y's Deputy Prime Minister X"."""
    from ..posts import extract_posts
    return extract_posts(ctx)


@rule("byline-title")
def byline_title(ctx):
    """"By Sophie Lang, State Political Reporter": the author's post at the publisher."""
    from ..posts import byline_posts
    return byline_posts(ctx)


rule("quote-attribution")(StatementFinder.direct_quotes)
rule("as-stated-by")(StatementFinder._as_stated)
rule("according-to")(StatementFinder.according_to)
rule("remarks-by")(StatementFinder._noun_by)
rule("content-before-verb")(StatementFinder._content_before)
rule("reported-speech")(StatementFinder.reported_speech)
rule("briefing-summary")(StatementFinder.summarised_speech)
