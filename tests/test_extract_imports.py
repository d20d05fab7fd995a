"""Extraction produces dataclasses and knows nothing of RDF or the store (kg/extract/README.md)."""

import ast
from pathlib import Path

import kg.extract

FORBIDDEN = ("kg.graph", "kg.terms", "kg.store")
EXTRACT = Path(kg.extract.__file__).resolve().parent


def imported_modules(path: Path):
    """Absolute names of every module a file imports, relative imports resolved."""
    package = ".".join(("kg", *path.relative_to(EXTRACT.parent).with_suffix("").parts[:-1]))
    if path.name == "__init__.py":
        package = ".".join(("kg", *path.relative_to(EXTRACT.parent).parent.parts))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(p for p in (*parts, base) if p)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def test_extract_imports_nothing_from_graph_terms_or_store():
    modules = sorted(EXTRACT.rglob("*.py"))
    assert len(modules) >= 10
    offending = [(str(path.relative_to(EXTRACT)), name) for path in modules for name in imported_modules(path)
                 if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)]
    assert not offending, f"kg/extract must not import RDF layout or the store: {offending}"


def test_the_import_check_sees_relative_imports(tmp_path):
    probe = EXTRACT / "model.py"
    assert "kg.keys" in set(imported_modules(probe)), "relative imports are not resolved"


def test_keys_are_shared_with_the_rdf_layer():
    from kg import graph, terms
    from kg.extract import model

    assert graph.document_key is model.document_key
    assert terms.slugify("Amina Okafor") == "amina-okafor"
