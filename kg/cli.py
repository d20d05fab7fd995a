"""The ``kg`` command line: each command parses, calls the library, formats the result.

The commands live in kg/commands/, one module per kind of work; this module holds the group.

Exit codes: 0 ok, 1 data problem (bad input file, non-conforming graph, failed query),
2 usage problem (unknown option, command, query name or format). Every library error
(:class:`kg.errors.KGError`) becomes one ``Error: …`` line on stderr, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .commands import cluster, export, ingest, link, push, query, reconcile, serve, store, viz
from .commands.common import CommandError, _quiet_stdout, one_line
from .errors import KGError
from .store import DEFAULT_STORE


class KGGroup(click.Group):
    """Turns every KGError raised by a command into a CommandError, and so do failed writes.

    A full disk or a closed pipe while writing output, and a store that turns out to be damaged
    while it is read, also end as one ``Error:`` line (a reader reaching the end of a pipe early,
    ``kg query … | head``, ends quietly).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KGError as exc:
            raise CommandError(one_line(str(exc)), exc.exit_code) from None
        except BrokenPipeError:
            _quiet_stdout()
            raise click.exceptions.Exit(1) from None
        except OSError as exc:
            raise CommandError(one_line(f"cannot write output: {exc.strerror or exc}")) from None
        except RuntimeError as exc:
            if "corrupt" not in str(exc).lower():
                raise
            from .store import damaged

            store = ctx.meta.get("kg.store_path", DEFAULT_STORE)
            raise CommandError(one_line(str(damaged(Path(store), str(exc))))) from None



@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="kg")
def cli():
    """newskg: turn news articles into an RDF knowledge graph, stored in Oxigraph.

    Build a store from the bundled articles with `kg build`, add your own with `kg ingest`,
    ask questions with `kg query`, and export with `kg export`. The store is .kg/store
    unless --store or KG_STORE say otherwise.
    """


for _command in (ingest.build, ingest.ingest, ingest.extract, query.query, query.list_queries, export.export_command,
                 store.validate, export.stats, query.explain, link.link, store.backup, store.restore, serve.serve,
                 push.push_command, viz.viz_command, reconcile.reconcile_command, cluster.extract_batch_command,
                 cluster.load_command):
    cli.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    cli()
