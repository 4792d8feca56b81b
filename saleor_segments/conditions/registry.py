"""The registry of condition kinds: ``@register`` adds one, ``get`` finds it."""

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

from django.apps import apps

_KINDS: dict[str, Any] = {}  # kind -> Condition subclass
_discovered = False


def register(cls: Any) -> Any:
    """Class decorator: make a Condition subclass available under its ``kind``."""
    if cls.kind in _KINDS and _KINDS[cls.kind] is not cls:
        raise ValueError(f"condition kind {cls.kind!r} is already registered")
    _KINDS[cls.kind] = cls
    return cls


def _discover() -> None:
    """Import every installed app's ``segments_hooks`` module (third-party kinds) once."""
    global _discovered
    if _discovered or not apps.ready:
        return
    _discovered = True
    for config in apps.get_app_configs():
        with contextlib.suppress(ModuleNotFoundError):
            importlib.import_module(f"{config.name}.segments_hooks")


def get(kind: str) -> Any:
    _discover()
    return _KINDS.get(kind)


def all_kinds() -> dict[str, Any]:
    _discover()
    return dict(_KINDS)


@contextlib.contextmanager
def temporarily(*classes: Any) -> Iterator[None]:
    """Register kinds for the duration of a block (tests)."""
    added = [cls for cls in classes if cls.kind not in _KINDS]
    for cls in added:
        register(cls)
    try:
        yield
    finally:
        for cls in added:
            _KINDS.pop(cls.kind, None)
