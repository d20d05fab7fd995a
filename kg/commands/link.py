"""kg link: entities to Wikidata items."""

from __future__ import annotations

import click

from .common import _progress, _require, open_store, quiet_option, store_option


@click.command()
@click.option("--offline/--online", default=True, show_default=True,
              help="Offline: the verified table and the cache only. Online: ask the Wikidata API too.")
@click.option("--endpoint", metavar="URL", help="Wikidata API address (implies --online).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="Minimum score to accept a live match.")
@click.option("--report", is_flag=True, help="List the entities left unlinked, and why.")
@store_option
@quiet_option
def link(offline, endpoint, threshold, report, store_path, quiet):
    """Link entities to Wikidata items (owl:sameAs).

    The links graph is replaced as a whole.
    Live decisions are cached in wikidata-cache.json beside the store, so later runs
    (and `kg build`) reuse them offline.
    """
    link_module = _require("kg.link", "Wikidata linking (kg.link)")
    online = bool(endpoint) or not offline
    client = None
    progress = _progress("link", None, "name", quiet or not online)
    if online:
        client = _CountedClient(link_module.WikidataClient(api_url=endpoint) if endpoint
                                else link_module.WikidataClient(), progress)
    with open_store(store_path) as store, progress:
        result = link_module.link_store(store.store, online=online, client=client,
                                        cache_path=link_module.cache_path_for(store_path), threshold=threshold)
    click.echo(result.summary())
    if report:
        for row in result.unlinked:
            click.echo(f"  unlinked  {row.label}  ({row.entity_class}, {row.entity}): {row.reason}")


class _CountedClient:
    """A Wikidata client whose name searches advance a progress (one search per new name)."""

    def __init__(self, client, progress):
        self._client = client
        self._progress = progress

    def search(self, *args, **kwargs):
        try:
            return self._client.search(*args, **kwargs)
        finally:
            self._progress.advance()

    def __getattr__(self, name):
        return getattr(self._client, name)
