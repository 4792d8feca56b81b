"""The reference evaluator decides on its own: the engine only gives it the parsed tree."""

import ast
from pathlib import Path

import saleor_segments

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
PACKAGE = Path(saleor_segments.__file__).parent


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_reference_uses_only_the_tree_and_the_table_list_from_the_engine():
    engine = {m for p in REFERENCE.glob("*.py") for m in imported_modules(p)
              if m.startswith("saleor_segments")}
    assert engine <= {"saleor_segments.conditions.ast", "saleor_segments.conditions.saleor_tables"}


def test_the_package_ships_no_python_evaluation():
    assert not (PACKAGE / "evaluation" / "python.py").exists()
    sources = "\n".join(p.read_text() for p in (PACKAGE / "conditions").glob("*.py"))
    assert "def evaluate(" not in sources and "def matches(" not in sources
