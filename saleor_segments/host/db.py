"""Saleor's database-access rules, handed to the engine."""

from saleor.core.db.connection import allow_writer

from ..membership import dbaccess


def install() -> None:
    dbaccess.set_writer_context(allow_writer)
