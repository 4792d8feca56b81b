"""Exports of customers to CSV or XLSX, streamed: rows come from a server-side cursor in
batches, formatted by PostgreSQL, and go straight to the file (csv writer; XlsxWriter in its
constant-memory mode), so memory stays constant whatever the number of rows."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import logging
import os
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..conf import app_settings
from ..membership.members import (
    GRID_COLUMNS,
    GRID_EXPRESSIONS,
    SORT_COLUMNS,
    MemberFilter,
    grid_from,
    segment_source,
)
from .models import ExportFile
from .sets import ReportSpec

logger = logging.getLogger(__name__)

HEADERS = ("ID", "First name", "Last name", "Email", "Customer type", "Phone", "ZIP",
           "Country", "State/Province", "Customer since", "Joined segment at")
assert len(HEADERS) == len(GRID_COLUMNS)
BATCH = 5000  # rows fetched per round trip; progress is saved after each batch


def export_dir() -> Path:
    """``SEGMENTS_EXPORT_DIR``; else ``MEDIA_ROOT/segment-exports`` (inside Saleor), else
    ``./exports``. Files are served only by the plugin's link (never by their path)."""
    if app_settings.EXPORT_DIR:
        return Path(app_settings.EXPORT_DIR)
    media = getattr(settings, "MEDIA_ROOT", "")
    return Path(media) / "segment-exports" if media else Path("exports")


def source_of(export: ExportFile) -> tuple[str, list]:
    params = export.params
    if export.kind == ExportFile.Kind.REPORT:
        return ReportSpec.from_json(params["report"]).source()
    return segment_source(params["segment"])


def member_filter(data: dict | None) -> MemberFilter:
    data = data or {}
    return MemberFilter(search=data.get("search") or None,
                        countries=tuple(data.get("countries") or ()),
                        joined_from=_datetime(data.get("joined_from")),
                        joined_to=_datetime(data.get("joined_to")))


def filter_json(criteria: MemberFilter) -> dict:
    return {"search": criteria.search, "countries": list(criteria.countries),
            "joined_from": criteria.joined_from.isoformat() if criteria.joined_from else None,
            "joined_to": criteria.joined_to.isoformat() if criteria.joined_to else None}


def _datetime(value):
    return dt.datetime.fromisoformat(value) if value else None


def create_export(*, kind: str, file_format: str, params: dict, requestor=None) -> ExportFile:
    """A pending export record (the task writes the file)."""
    who = {}
    if requestor is not None and requestor.actor_id:
        if requestor.kind == "staff":
            who["user_id"] = int(requestor.actor_id)
        elif requestor.kind == "app" and requestor.actor_id.isdigit():
            who["app_id"] = int(requestor.actor_id)
        who["requested_by"] = requestor.actor_name[:255]
    return ExportFile.objects.create(
        kind=kind, file_format=file_format, params=params,
        expires_at=timezone.now() + dt.timedelta(hours=app_settings.EXPORT_EXPIRY_HOURS), **who)


def csv_select() -> str:
    """The grid's columns as CSV text, formatted by PostgreSQL: times in ISO 8601 (UTC), text
    a spreadsheet would run as a formula prefixed with ' (OWASP's advice)."""
    columns = []
    for name, expression in zip(GRID_COLUMNS, GRID_EXPRESSIONS, strict=True):
        if name in TIME_COLUMNS:
            columns.append(f"to_char({expression} AT TIME ZONE 'UTC', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')")
        elif name == "id":
            columns.append(expression)
        else:
            columns.append(f"CASE WHEN left({expression}, 1) IN {FORMULA_STARTS} "
                           f"THEN chr(39) || {expression} ELSE {expression} END")  # chr(39): '
    return "SELECT " + ", ".join(columns)


def rows(export: ExportFile, select: str, progress=None):
    """The grid's rows of an export, in its sort order, from a server-side cursor (the
    caller holds a transaction); ``progress(n)`` after each batch."""
    params = export.params
    sort = params.get("sort", "id")
    column = SORT_COLUMNS[sort]
    direction = "DESC" if params.get("descending") else "ASC"
    joins, values = grid_from(source_of(export), member_filter(params.get("filter")))
    connection.ensure_connection()
    with connection.connection.cursor(name=f"segments_export_{export.pk}") as cursor:
        cursor.itersize = BATCH
        cursor.execute(f"{select} {joins} ORDER BY {column} {direction}, "
                       f"m.customer_id {direction}", values)
        written = 0
        while True:
            batch = cursor.fetchmany(BATCH)
            if not batch:
                break
            yield from batch
            written += len(batch)
            if progress is not None:
                progress(written)


def count_rows(export: ExportFile) -> int:
    joins, values = grid_from(source_of(export), member_filter(export.params.get("filter")))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {joins}", values)
        return cursor.fetchone()[0]


TIME_COLUMNS = ("date_joined", "joined_at")
# a spreadsheet runs text starting with one of these as a formula
FORMULA_STARTS = r"('=', '+', '-', '@', E'\t', E'\r')"


def write_csv(path: Path, records) -> None:
    """UTF-8 with a BOM (Excel reads it as UTF-8); the records come formatted
    (``csv_select``)."""
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(records)


def xlsx_select() -> str:
    """The grid's columns for XLSX, formatted by PostgreSQL so that Python converts nothing:
    times as Excel serial numbers (days since 1899-12-30, UTC; Excel has no time zones)."""
    columns = [f"date_part('epoch', {expression}) / 86400 + {EXCEL_EPOCH_DAYS}"
               if name in TIME_COLUMNS else expression
               for name, expression in zip(GRID_COLUMNS, GRID_EXPRESSIONS, strict=True)]
    return "SELECT " + ", ".join(columns)


EXCEL_EPOCH_DAYS = 25569  # 1970-01-01 as an Excel serial number
XLSX_OPTIONS = {"constant_memory": True,  # each row goes to the file when the next begins
                "strings_to_formulas": False, "strings_to_numbers": False,
                "strings_to_urls": False}  # text stays text, exactly


def write_xlsx(path: Path, records) -> None:
    """XlsxWriter in its constant-memory mode: rows go to the file as they come, strings
    inline. Every text is a text cell, kept exactly (never a formula, a number or a link;
    control characters as Excel's own _xHHHH_ escapes); the time columns carry a date
    format; an empty or missing value is no cell. The records come formatted
    (``xlsx_select``)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    try:
        sheet = workbook.add_worksheet("Customers")
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for column, name in enumerate(GRID_COLUMNS):
            if name in TIME_COLUMNS:  # (the format of cells written without one)
                sheet.set_column(column, column, 19, when)
        sheet.write_row(0, 0, HEADERS)
        number, text, rich = sheet.write_number, sheet.write_string, sheet.write_rich_string
        for row, record in enumerate(records, start=1):
            for column, value in enumerate(record):
                if type(value) is str:
                    if not value:
                        continue
                    if value.startswith("<r>") and value.endswith("</r>"):
                        # XlsxWriter would take such text for rich-string XML: as a rich
                        # string of plain parts it is escaped like any other
                        rich(row, column, value[:1], value[1:2], value[2:])
                    else:
                        text(row, column, value)
                elif value is not None:
                    number(row, column, value)
    finally:
        workbook.close()


WRITERS = {ExportFile.Format.CSV: write_csv, ExportFile.Format.XLSX: write_xlsx}


def run_export(export_id: int) -> ExportFile:
    """Write an export's file, saving progress as it goes; failures are recorded on it."""
    export = ExportFile.objects.get(pk=export_id)
    if export.status != ExportFile.Status.PENDING:
        return export  # (a redelivered task: already done)
    folder = export_dir() / export.token[:16]
    name = f"{export.kind}-{export.pk}-{timezone.now():%Y%m%d-%H%M%S}.{export.file_format}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        total = count_rows(export)
        ExportFile.objects.filter(pk=export.pk).update(rows_total=total,
                                                       updated_at=timezone.now())

        written = [0]
        with _progress_saver(export.pk) as save, transaction.atomic():
            def progress(count):  # (the cursor's transaction is not committed until the end)
                written[0] = count
                save(count)

            select = (csv_select() if export.file_format == ExportFile.Format.CSV
                      else xlsx_select())
            WRITERS[export.file_format](folder / name, rows(export, select, progress))
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.SUCCESS, file_name=f"{folder.name}/{name}",
            rows_written=written[0], message="", updated_at=timezone.now())
    except Exception as exc:  # recorded on the file; the task does not retry a bad export
        logger.exception("Segment export %s failed", export.pk)
        _remove(folder / name)
        ExportFile.objects.filter(pk=export.pk).update(
            status=ExportFile.Status.FAILED, message=f"Export failed: {exc.__class__.__name__}",
            updated_at=timezone.now())
    export.refresh_from_db()
    return export


@contextlib.contextmanager
def _progress_saver(export_id: int):
    """``save(rows)`` on a connection of its own (autocommit): progress is visible while the
    export's own transaction (its server-side cursor) is still open."""
    own = connection.get_new_connection(connection.get_connection_params())
    own.autocommit = True

    def save(count: int) -> None:
        with own.cursor() as cursor:
            cursor.execute("UPDATE saleor_segments_exportfile SET rows_written = %s, "
                           "updated_at = now() WHERE id = %s", [count, export_id])

    try:
        yield save
    finally:
        own.close()


def file_path(export: ExportFile) -> Path | None:
    if not export.file_name:
        return None
    return export_dir() / export.file_name


def _remove(path: Path) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.rmdir()  # (only when empty)
    except OSError:
        pass


def delete_expired(now: dt.datetime | None = None) -> int:
    """Remove the files of expired exports and mark them expired (the records stay, as
    Saleor keeps its export files' records). How many were expired."""
    now = now or timezone.now()
    expired = 0
    for export in ExportFile.objects.filter(expires_at__lte=now).exclude(
            status=ExportFile.Status.EXPIRED).iterator():
        path = file_path(export)
        if path is not None:
            _remove(path)
        ExportFile.objects.filter(pk=export.pk).update(status=ExportFile.Status.EXPIRED,
                                                       file_name="", updated_at=now)
        expired += 1
    return expired
