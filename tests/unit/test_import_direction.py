"""The package's rooms, read from its imports: nothing imports upward.

- the engine (conditions, evaluation, membership, services, with conf and models) imports
  only the engine;
- what comes in from the shop (intake) and what segments are used for (targeting, reports,
  webhooks) import only the engine and their own room;
- the adapters (host, standalone, graphql, dashboard_app, management, demo, worker, apps)
  import anything.
"""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "saleor_segments"

ENGINE = {"conditions", "evaluation", "membership", "services", "conf", "models"}
ADAPTERS = ("host", "standalone", "graphql", "dashboard_app", "management", "demo", "worker",
            "apps", "migrations")
USES = ("targeting", "reports", "webhooks")  # what segments are used for
ROOMS = dict.fromkeys(ENGINE, "engine") | dict.fromkeys(ADAPTERS, "adapter") | {
    "intake": "intake", **{name: name for name in USES}}
MAY_IMPORT = {
    "engine": {"engine"},
    "intake": {"engine", "intake"},
    **{name: {"engine", name} for name in USES},
    "adapter": {"engine", "intake", *USES, "adapter"},
}
# Django finds an app's models through its models module, which therefore imports them all
DJANGO_CONVENTION = {("saleor_segments.models", f"saleor_segments.{name}.models")
                     for name in USES}


def module_name(path: pathlib.Path, package: pathlib.Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: pathlib.Path, package_root: pathlib.Path) -> set[str]:
    """Absolute names of the saleor_segments modules (or their members) a file imports,
    at module level or inside functions."""
    name = module_name(path, package_root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found |= {f"{module}.{alias.name}" for alias in node.names} if not node.module \
                else {module}
    return {m for m in found if m == "saleor_segments" or m.startswith("saleor_segments.")}


def room(module: str) -> str | None:
    parts = module.split(".")
    return ROOMS.get(parts[1]) if len(parts) > 1 else None


def upward_imports(package: pathlib.Path = PACKAGE) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        source = module_name(path, package)
        here = room(source)
        for target in sorted(imported(path, package)):
            there = room(target)
            if here is None or there is None or (source, target) in DJANGO_CONVENTION:
                continue
            if there not in MAY_IMPORT[here]:
                found.append(f"{source} ({here}) imports {target} ({there})")
    return found


def test_every_module_of_the_package_belongs_to_a_room():
    loose = [p.name for p in PACKAGE.iterdir()
             if p.name != "__init__.py" and (p.suffix == ".py" or (p / "__init__.py").exists())
             and p.stem not in ROOMS]
    assert loose == []


def test_nothing_imports_upward():
    assert upward_imports() == []


@pytest.mark.parametrize("source,target,expected", [
    ("from ..targeting import discounts\n", "intake/shop_events.py", True),
    ("from ..worker.tasks import request_refresh\n", "membership/refresh.py", True),
    ("from ...graphql.context import requestor\n", "conditions/text/x.py", True),
    ("def f():\n    from saleor_segments.intake import activity\n", "services/x.py", True),
    ("from ..membership.tables import segments_of\n", "targeting/content.py", False),
    ("from ..targeting import discounts\n", "graphql/x.py", False),
])
def test_the_check_sees_an_upward_import(tmp_path, source, target, expected):
    """The check itself can fail: a copy of the package's shape with one planted import."""
    root = tmp_path / "saleor_segments"
    path = root / target
    for folder in [root, *reversed(path.relative_to(root).parents)]:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / "__init__.py").touch()
    path.write_text(source)
    assert bool(upward_imports(root)) is expected
