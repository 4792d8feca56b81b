"""How the engine asks its host for write access to the database.

Standalone: no ceremony. Inside Saleor, ``host`` installs Saleor's ``allow_writer`` (Saleor
refuses unannounced writer access in Celery tasks and tests)."""

import contextlib

_writer = contextlib.nullcontext


def set_writer_context(factory) -> None:
    global _writer
    _writer = factory


def writer():
    """Context manager around work that reads and writes the primary database."""
    return _writer()
