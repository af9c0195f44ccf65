"""Dependencies point one way: api/web -> pipeline -> engines and store -> document and the
leaf modules. Read from the source with `ast`, so an import inside a function (a lazy import)
or under TYPE_CHECKING counts like any other: a cycle hidden in a function is still a cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import service

PACKAGE = Path(service.__file__).parent

# The layer of each top-level name under `service`; a module may import its own layer and
# those below, never one above.
LEAF, ENGINES_AND_STORE, PIPELINE, ENTRY = 0, 1, 2, 3
LAYERS: dict[str, int] = {
    # Pure helpers, settings and shapes everyone shares.
    **dict.fromkeys(
        (
            "__init__",
            "cancellation",
            "cleaning",
            "config",
            "document",
            "errors",
            "faults",
            "files",
            "metrics",
            "schemas",
            "security",
            "segmentation",
        ),
        LEAF,
    ),
    "engines": ENGINES_AND_STORE,
    "store": ENGINES_AND_STORE,
    "pipeline": PIPELINE,
    # What a request, a command or a worker enters through, and what composes the layers.
    **dict.fromkeys(
        (
            "api",
            "web",
            "batch",
            "app",
            "runtime",
            "server",
            "cli",
            "admin_cli",
            "models_cli",
            "tm_cli",
            "cli_common",
        ),
        ENTRY,
    ),
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module, package: str) -> set[str]:
    """Every `service...` name imported anywhere in `tree` (a module of `package`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            # `from service import segmentation` imports the module service.segmentation.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "service" or name.startswith("service.")}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYERS["__init__"] if parts == ["service"] else LAYERS.get(parts[1])


def _upward(module: str, imported: set[str]) -> list[str]:
    own = _layer(module)
    assert own is not None, f"{module} has no layer"
    # Names with no layer (`from service import __version__`) are the package's leaf __init__.
    return [f"{module} imports {name}" for name in sorted(imported) if (_layer(name) or LEAF) > own]


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer() -> None:
    top = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in _modules()}
    assert top - set(LAYERS) == set(), "give each new top-level module or package a layer"


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward: list[str] = []
    for path in _modules():
        module = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        upward += _upward(module, _imports(tree, package))
    assert upward == []


def test_the_rule_sees_imports_inside_functions_and_relative_ones() -> None:
    # The checker itself: an import hidden in a function body, or written relative, is found.
    tree = ast.parse(
        "def load():\n"
        "    from service.pipeline.article import ArticlePipeline\n"
        "    from ..api import deps\n"
        "    return ArticlePipeline, deps\n"
    )
    found = _upward("service.store.review", _imports(tree, "service.store"))
    assert found == [
        "service.store.review imports service.api",
        "service.store.review imports service.api.deps",
        "service.store.review imports service.pipeline.article",
        "service.store.review imports service.pipeline.article.ArticlePipeline",
    ]
    assert _upward("service.pipeline.article", _imports(tree, "service.pipeline")) == [
        "service.pipeline.article imports service.api",
        "service.pipeline.article imports service.api.deps",
    ]
