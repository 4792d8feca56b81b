"""Reports and exports at scale (issue 11): 1,000,000 customers generated in SQL.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/seg_bench python \
        benchmarks/reports_benchmark.py [--customers N] [--keep]

Measures, each figure beside its target: the export of a segment of every customer to CSV and
to XLSX (wall time, and the peak memory of the worker process that writes it: ru_maxrss of a
child process running the export task's body), a 3-segment report (ALL of two, less a third:
count and the first grid page), a 365-day size history, a 20-segment overlap matrix.

It wipes the standalone store tables and the plugin's tables of the database it is given
(a database of its own; never a shop's).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleor_segments.standalone.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

TARGETS = {"csv": 30.0, "xlsx": 120.0, "memory_mb": 200.0, "report": 2.0, "history": 2.0,
           "overlap": 2.0}

GENERATE = """
TRUNCATE account_user, account_address, account_user_addresses, account_customertype,
         saleor_segments_customermembership, saleor_segments_membershiplog,
         saleor_segments_segment CASCADE;
INSERT INTO account_customertype (id, name, slug) VALUES (1, 'Wholesale', 'wholesale');
INSERT INTO account_address (id, first_name, last_name, city, country, country_area, postal_code,
                             phone, company_name, street_address_1, street_address_2, city_area)
SELECT g, 'First' || g, 'Last' || g, 'City', (ARRAY['US', 'PL', 'DE', 'FR', 'JP'])[1 + g %% 5],
       'CA', lpad((g %% 99999)::text, 5, '0'), '+4930' || g, '', '1 Main St', '', ''
FROM generate_series(1, %(customers)s) g;
INSERT INTO account_user (id, email, first_name, last_name, is_staff, is_active, is_confirmed,
    date_joined, updated_at, language_code, number_of_orders, default_billing_address_id,
    default_shipping_address_id, customer_type_id, metadata, private_metadata)
SELECT g, 'user' || g || '@example.com',
       CASE WHEN g %% 1000 = 0 THEN '=1+1' ELSE 'Zoë' || g END, 'Łast' || g, false, true, true,
       now() - (g %% 900) * interval '1 day', now(), 'en', 0, g, g,
       CASE WHEN g %% 3 = 0 THEN 1 END, '{}', '{}'
FROM generate_series(1, %(customers)s) g;
"""


def scalar(sql, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def segment(name: str) -> int:
    from saleor_segments.models import Segment

    return Segment.objects.create(name=name, channel_id=1, conditions={"conditions": []}).pk


def members(segment_id: int, where: str, params=()) -> None:
    """Memberships (joined over the last 365 days) and their 'joined' log rows."""
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO saleor_segments_customermembership (segment_id, customer_id, joined_at,
                                                            definition_version)
            SELECT %s, u.id, now() - ((u.id::bigint * 7919) %% 365) * interval '1 day'
                              - (u.id %% 86400) * interval '1 second', 1
            FROM account_user u WHERE {where}""", [segment_id, *params])
        cursor.execute("""
            INSERT INTO saleor_segments_membershiplog (segment_id, customer_id, action, at,
                                                       reason, definition_version)
            SELECT segment_id, customer_id, 'joined', joined_at, 'refresh', 1
            FROM saleor_segments_customermembership WHERE segment_id = %s""", [segment_id])


def generate(customers: int) -> dict:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(GENERATE, {"customers": customers})
    everyone = segment("Everyone")
    members(everyone, "true")
    with connection.cursor() as cursor:  # some left (and rejoined later): a real history
        cursor.execute("""
            INSERT INTO saleor_segments_membershiplog (segment_id, customer_id, action, at,
                                                       reason, definition_version)
            SELECT segment_id, customer_id, a, at, 'refresh', 1
            FROM saleor_segments_customermembership m,
                 LATERAL (VALUES ('left', m.joined_at - interval '30 days'),
                                 ('joined', m.joined_at - interval '60 days')) v(a, at)
            WHERE segment_id = %s AND customer_id %% 10 = 0""", [everyone])
    report = [segment(f"Report {n}") for n in (2, 3, 5)]
    for pk, n in zip(report, (2, 3, 5)):
        members(pk, "u.id %% %s = 0", [n])
    overlap = [segment(f"Overlap {i}") for i in range(20)]
    for i, pk in enumerate(overlap):  # 5% .. 52.5% of the customers each
        members(pk, "((u.id::bigint * 2654435761 + %s * 40503) %% 1000) < %s", [i, 50 + 25 * i])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # (autovacuum's steady state: index-only scans)
    rows = scalar("SELECT count(*) FROM saleor_segments_customermembership")
    print(f"generated {customers:,} customers, {rows:,} memberships in "
          f"{time.perf_counter() - started:.0f} s")
    return {"everyone": everyone, "report": report, "overlap": overlap}


def timed(fn, repeat=3):
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def line(label, value, target, unit="s"):
    ok = "OK " if value <= target else "MISS"
    print(f"  {ok} {label:<52} {value:10.2f} {unit:<3} (target < {target:g} {unit})")


def child_export(export_id: int) -> None:
    """Runs in a fresh process: the export task's body, then its peak memory."""
    from saleor_segments.reports.export import run_export

    started = time.perf_counter()
    export = run_export(export_id)
    print(json.dumps({"status": export.status, "rows": export.rows_written,
                      "seconds": time.perf_counter() - started,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def export(segment_id: int, file_format: str) -> dict:
    from saleor_segments.reports.export import create_export

    record = create_export(kind="members", file_format=file_format,
                           params={"segment": segment_id, "filter": {}, "sort": "id"})
    out = subprocess.run([sys.executable, __file__, "--child-export", str(record.pk)],
                         capture_output=True, text=True, env=os.environ, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    from saleor_segments.reports.export import file_path

    record.refresh_from_db()
    result["size_mb"] = file_path(record).stat().st_size / 2 ** 20
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--child-export", type=int)
    parser.add_argument("--skip-generate", action="store_true",
                        help="reuse the data of a previous run")
    parser.add_argument("--formats", default="csv,xlsx",
                        help="export formats to measure (comma-separated; '' for none)")
    args = parser.parse_args()
    if args.child_export:
        return child_export(args.child_export)
    call_command("migrate", verbosity=0)
    from saleor_segments.models import Segment

    if args.skip_generate:
        pks = list(Segment.objects.order_by("pk").values_list("pk", flat=True))
        ids = {"everyone": pks[0], "report": pks[1:4], "overlap": pks[4:24]}
    else:
        ids = generate(args.customers)
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f} (shared with other work: figures vary)")

    from saleor_segments.membership.members import matched_customers
    from saleor_segments.reports.history import overlap_matrix, size_history
    from saleor_segments.reports.sets import ReportSpec, report_count, report_cursor

    size = scalar("SELECT count(*) FROM saleor_segments_customermembership WHERE "
                  "segment_id = %s", [ids["everyone"]])
    print(f"\nexport of a {size:,}-member segment (11 grid columns, sorted by ID):")
    for file_format in [f for f in args.formats.split(",") if f]:
        result = export(ids["everyone"], file_format)
        assert result["status"] == "success" and result["rows"] == size, result
        line(f"{file_format.upper()} export ({result['size_mb']:.0f} MB file)", result["seconds"],
             TARGETS[file_format])
        line(f"{file_format.upper()} worker peak memory (ru_maxrss)", result["maxrss_mb"],
             TARGETS["memory_mb"], "MB")

    a, b, c = ids["report"]
    spec = ReportSpec((a, b), "all", (c,))
    print("\nreport: ALL of (every 2nd, every 3rd customer) less every 5th:")
    seconds, count = timed(lambda: report_count(spec))
    line(f"count ({count:,} customers)", seconds, TARGETS["report"])
    def first_page():  # as the API runs it (segmentReport.members): in a report's transaction
        with report_cursor():
            return matched_customers(None, first=100, sort="email", source=spec.source())

    seconds, _page = timed(first_page)
    line("grid: first page of 100 by email, with totalCount", seconds, TARGETS["report"])
    union = ReportSpec((a, b, c), "any")
    seconds, count = timed(lambda: report_count(union))
    line(f"count of ANY of the three ({count:,} customers)", seconds, TARGETS["report"])

    import datetime as dt

    today = dt.date.today()
    seconds, points = timed(lambda: size_history(ids["everyone"], today - dt.timedelta(days=364),
                                                 today))
    print(f"\nsize history of the {size:,}-member segment:")
    line(f"365 days ({len(points)} points, last {points[-1].members:,})", seconds,
         TARGETS["history"])
    seconds, cells = timed(lambda: overlap_matrix(ids["overlap"]))
    rows = scalar("SELECT count(*) FROM saleor_segments_customermembership WHERE "
                  "segment_id = ANY(%s)", [ids["overlap"]])
    print(f"\noverlap of 20 segments ({rows:,} memberships):")
    line(f"20 x 20 matrix ({len(cells)} cells)", seconds, TARGETS["overlap"])


if __name__ == "__main__":
    main()
