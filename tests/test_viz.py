"""``kg viz``: the HTML page is self-contained and is really drawn by headless Chromium; the SVG
comes from Graphviz. The seed store's picture is saved to docs/img/seed-graph.png for the README.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from kg.cli import cli
from kg.store import KGStore
from kg.viz import graph_picture

REPO = Path(__file__).resolve().parent.parent
SCREENSHOT = REPO / "docs" / "img" / "seed-graph.png"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium; .ci/run installs it "
                "where apt-get is available)")


def browse(page: Path, profile: Path, *, show: str | None = None, screenshot: Path | None = None) -> str:
    """Open ``page`` in headless Chromium (a fresh profile); the DOM after scripts ran, or "" for a screenshot."""
    url = page.resolve().as_uri() + (f"#show={urllib.parse.quote(show, safe='')}" if show else "")
    command = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=20000"]
    if screenshot is not None:
        command += ["--window-size=1600,1000", f"--screenshot={screenshot}"]
    else:
        command += ["--dump-dom"]
    done = subprocess.run(command + [url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1000:]
    return done.stdout


def body_data(dom: str) -> dict[str, str]:
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    return dict(re.findall(r'data-([a-z]+)="([^"]*)"', body.group(1)))


def test_the_page_is_one_offline_file(runner, small_store_path, tmp_path):
    page = tmp_path / "graph.html"
    result = runner.invoke(cli, ["viz", "-o", str(page), "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"wrote {re.escape(str(page))} \(\d+ nodes, \d+ edges\)\n", result.stdout)
    html = page.read_text(encoding="utf-8")
    assert "vis-network" in html and "@version 10." in html          # the bundled library, inline
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing loaded from anywhere
    data = json.loads(re.search(r"const DATA = (.*);\n", html).group(1))
    with KGStore(small_store_path, create=False) as store:
        picture = graph_picture(store)
    assert len(data["nodes"]) == len(picture.nodes) and len(data["edges"]) == len(picture.edges)
    groups = {node["group"] for node in data["nodes"]}
    assert {"Person", "Event", "Statement"} <= groups
    assert any(edge["evidence"] for edge in data["edges"] if edge["label"] not in ("said", "at"))
    assert {"said", "at"} <= {edge["label"] for edge in data["edges"]}


def test_chromium_draws_every_node_and_shows_evidence_on_selection(runner, small_store_path, tmp_path):
    page = tmp_path / "graph.html"
    assert runner.invoke(cli, ["viz", "-o", str(page), "--store", str(small_store_path)]).exit_code == 0
    data = json.loads(re.search(r"const DATA = (.*);\n", page.read_text(encoding="utf-8")).group(1))
    fact = next(e for e in data["edges"] if e["evidence"] and e["label"] not in ("said", "at"))
    dom = browse(page, tmp_path / "profile", show=fact["id"])
    drawn = body_data(dom)
    assert int(drawn["nodes"]) == len(data["nodes"]) and int(drawn["edges"]) == len(data["edges"])
    assert drawn["shown"] == fact["id"]
    sentence = fact["evidence"][0].split("”")[0].lstrip("“")
    info = re.search(r'<div id="info">(.*?)</div>\s*</div>', dom, re.S).group(1)
    assert sentence[:60].replace("&", "&amp;") in info   # the edge's evidence sentence is on the panel


@pytest.mark.slow
def test_seed_graph_in_chromium_and_its_screenshot(runner, built_store, tmp_path):
    page = tmp_path / "seed-graph.html"
    assert runner.invoke(cli, ["viz", "-o", str(page), "--store", str(built_store)]).exit_code == 0
    with KGStore(built_store, create=False) as store:
        picture = graph_picture(store)
    person = "https://w3id.org/newskg/id/person/kairat-sarybay"
    drawn = body_data(browse(page, tmp_path / "profile", show=person))
    assert int(drawn["nodes"]) == len(picture.nodes) >= 50
    assert drawn["shown"] == person
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shot = tmp_path / "seed-graph.png"
    browse(page, tmp_path / "profile-2", show=person, screenshot=shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000   # not a blank page
    shutil.copyfile(shot, SCREENSHOT)


def test_around_an_entity_and_depth(small_store_path):
    with KGStore(small_store_path, create=False) as store:
        whole = graph_picture(store)
        centre = next(e["from"] for e in whole.edges if e["label"] == "said")
        label = whole.nodes[centre]["label"]
        alone = graph_picture(store, entity=label, depth=0)
        near = graph_picture(store, entity=label, depth=1)
        farther = graph_picture(store, entity=label, depth=2)
    assert list(alone.nodes) == [centre] and alone.edges == []
    neighbours = {e["to"] for e in whole.edges if e["from"] == centre} | {e["from"] for e in whole.edges if e["to"] == centre}
    assert set(near.nodes) == neighbours | {centre}
    assert set(near.nodes) <= set(farther.nodes) <= set(whole.nodes)


def test_one_document(runner, small_store_path, tmp_path):
    with KGStore(small_store_path, create=False) as store:
        graphs = [g.value for g in store.graphs() if "/_/" not in g.value and "wikidata" not in g.value]
        whole = graph_picture(store)
        pictures = [graph_picture(store, document=graph) for graph in graphs]
    assert len(pictures) >= 2
    assert all(0 < len(p.edges) < len(whole.edges) for p in pictures)
    result = runner.invoke(cli, ["viz", "--document", "no-such-doc", "-o", str(tmp_path / "x.html"),
                                 "--store", str(small_store_path)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: no graph 'no-such-doc'")


def test_unknown_entity_is_one_error_line(runner, small_store_path, tmp_path):
    result = runner.invoke(cli, ["viz", "--entity", "Nobody At All", "-o", str(tmp_path / "x.html"),
                                 "--store", str(small_store_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["Error: no entity is named 'Nobody At All' (give an IRI, a label or an alias)"]


def test_svg_through_graphviz(runner, small_store_path, tmp_path):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz)")
    out = tmp_path / "graph.svg"
    result = runner.invoke(cli, ["viz", "-o", str(out), "--store", str(small_store_path)])
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    with KGStore(small_store_path, create=False) as store:
        picture = graph_picture(store)
    assert svg.count('class="node"') == len(picture.nodes) and svg.count('class="edge"') == len(picture.edges)


def test_svg_without_graphviz_is_a_clear_error(runner, small_store_path, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = runner.invoke(cli, ["viz", "--format", "svg", "-o", str(tmp_path / "g.svg"), "--store", str(small_store_path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --format svg needs Graphviz's `dot`")
    assert not (tmp_path / "g.svg").exists()


def test_the_bundled_library_ships_in_the_wheel():
    import fnmatch

    tomllib = pytest.importorskip("tomllib", reason="tomllib is Python 3.11+")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    globs = config["package-data"]["kg"]
    for name in ("vis-network.min.js", "vis-network.LICENSE-MIT", "vis-network.LICENSE-APACHE-2.0"):
        assert (REPO / "kg" / "assets" / name).is_file()
        assert any(fnmatch.fnmatch(f"assets/{name}", g) for g in globs), f"kg/assets/{name} is not package data"
