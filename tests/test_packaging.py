"""The ontology, saved queries and lexicon must ship in the wheel, not only work in a checkout."""

import fnmatch
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")


@pytest.mark.parametrize("folder", ["ontology", "queries", "data/lexicon", "data/wikidata"])
def test_every_resource_file_is_package_data(folder):
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    package = next(name for name, directory in config["package-dir"].items() if directory == folder)
    assert package in config["packages"], f"{package} ({folder}/) is not listed as a package"
    globs = config["package-data"][package]
    files = [p.name for p in (REPO / folder).iterdir() if p.is_file() and not p.name.startswith(".")]
    missing = [name for name in files if not any(fnmatch.fnmatch(name, g) for g in globs)]
    assert not missing, f"{folder}: not shipped by {globs}: {missing}"


def test_installed_layout_is_where_the_code_looks():
    """Installed, kg/<name>/ holds each resource folder; the lookups fall back to exactly those."""
    import kg.lexicon
    import kg.queries
    import kg.validate

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for module, package in ((kg.lexicon, "kg.data"), (kg.queries, "kg.saved_queries"), (kg.validate, "kg.ontology")):
        assert package in config["package-dir"], f"{package} is not mapped to a folder"
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert f'"{package.split(".", 1)[1]}"' in source, f"{module.__name__} does not look in {package}"
