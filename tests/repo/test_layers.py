"""The package's layering, read from its imports: nothing imports a private name from another
subpackage (`make lint` checks the layers themselves with import-linter's contract in pyproject.toml)."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "mexc_helpers"
MODULES = sorted(PACKAGE.rglob("*.py"))


def part_of(module: str) -> str:
    """The subpackage (or top-level module) a dotted module name belongs to: mexc_helpers.X..."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def dotted(path: pathlib.Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: pathlib.Path):
    """(module imported from, name) for every `from ... import name` of the package, made absolute."""
    here = dotted(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.startswith("mexc_helpers"):
                for alias in node.names:
                    yield source, alias.name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_a_subpackage(path):
    mine = part_of(dotted(path))
    for source, name in imports(path):
        if part_of(source) != mine and part_of(source):
            hidden = [part for part in source.split(".") + [name] if part.startswith("_") and part != "__version__"]
            assert not hidden, f"{dotted(path)} imports {name} from {source}: a private name of another subpackage"


def test_the_check_reads_relative_imports_right():
    server_app = PACKAGE / "server" / "app.py"
    sources = {source for source, _ in imports(server_app)}
    assert "mexc_helpers.protocol.verify" in sources and "mexc_helpers.server.log" in sources
