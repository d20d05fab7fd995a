"""The web front of ``kg serve``: entity pages and a saved-query index beside the Oxigraph server.

:mod:`kg.web.app` listens on the public port, serves ``/``, ``/entity/{type}/{slug}`` and
``/ui`` (Oxigraph's query page) and forwards the SPARQL protocol to the Oxigraph process on an
internal loopback port, refusing queries nested too deeply (:mod:`kg.sparql_guard`) and bodies
that are too large. :mod:`kg.web.remote` queries that Oxigraph over HTTP; :mod:`kg.web.pages`
renders the HTML.
"""
