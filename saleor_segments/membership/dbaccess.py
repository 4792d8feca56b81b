"""How the engine asks its host for write access to the database.

Standalone: no ceremony. Inside Saleor, ``host`` installs Saleor's ``allow_writer`` (Saleor
refuses unannounced writer access in Celery tasks and tests)."""

import contextlib
from collections.abc import Callable

_writer: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext


def set_writer_context(factory: Callable[[], contextlib.AbstractContextManager]) -> None:
    global _writer
    _writer = factory


def writer() -> contextlib.AbstractContextManager:
    """Context manager around work that reads and writes the primary database."""
    return _writer()
