"""Reports equal plain Python: for random memberships, a segment report's union (ANY),
intersection (ALL) and exclusions select what Python's set algebra selects; for a random
join/leave log, the size history on every day equals the membership replayed from the log at
the end of that day; the overlap matrix equals pairwise set intersections."""

import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_segments.membership.members import customers_at
from saleor_segments.models import CustomerMembership, MembershipLog, Segment
from saleor_segments.reports.history import BITMAP_SPAN, overlap_matrix, size_history
from saleor_segments.reports.sets import ReportSpec, report_count

pytestmark = pytest.mark.django_db

# ids in several 64-customer words of the overlap's bitmaps (and gaps of whole words)
CUSTOMERS = (1, 2, 3, 62, 63, 64, 65, 127, 128, 700, 5000, 5063)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
START = dt.date(2026, 3, 1)


@pytest.fixture
def segments(channel):
    return [Segment.objects.create(name=f"S{i}", channel_id=channel["id"]).pk
            for i in range(4)]


def report_ids(spec: ReportSpec) -> set[int]:
    sql, params = spec.source()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


@SETTINGS
@given(memberships=st.lists(st.sets(st.sampled_from(CUSTOMERS)), min_size=4, max_size=4),
       picks=st.lists(st.sampled_from(["include", "exclude", "none"]), min_size=4,
                      max_size=4),
       mode=st.sampled_from(["any", "all"]))
def test_report_equals_set_algebra(segments, memberships, picks, mode):
    if "include" not in picks:
        picks = ["include"] + picks[1:]
    with transaction.atomic():
        sid = transaction.savepoint()
        CustomerMembership.objects.bulk_create(
            CustomerMembership(segment_id=pk, customer_id=c, definition_version=1)
            for pk, members in zip(segments, memberships) for c in members)
        include = [pk for pk, p in zip(segments, picks) if p == "include"]
        exclude = [pk for pk, p in zip(segments, picks) if p == "exclude"]
        spec = ReportSpec(tuple(include), mode, tuple(exclude))
        sets = dict(zip(segments, memberships))
        combine = set.union if mode == "any" else set.intersection
        expected = combine(*(sets[pk] for pk in include))
        for pk in exclude:
            expected -= sets[pk]
        assert spec.check() is not None
        assert report_ids(spec) == expected
        assert report_count(spec) == len(expected)
        for span in (BITMAP_SPAN, 1):  # bitmaps, and bit masks per customer
            cells = {(o.segment_id, o.other_id): o for o in overlap_matrix(segments, span)}
            for a in segments:
                for b in segments:
                    shared = len(sets[a] & sets[b])
                    assert cells[a, b].shared == shared
                    assert cells[a, b].percent == (round(100 * shared / len(sets[a]), 2)
                                                   if sets[a] else 0.0)
        transaction.savepoint_rollback(sid)


@SETTINGS
@given(memberships=st.lists(st.sets(st.sampled_from(CUSTOMERS)), min_size=4, max_size=4),
       mode=st.sampled_from(["any", "all"]))
def test_report_and_overlap_under_parallel_plans(segments, memberships, mode):
    """The same statements planned as parallel ones (a Gather over every parallel-safe
    part) give the same answers."""
    from .conftest import forced_parallel_plans

    with transaction.atomic():
        sid = transaction.savepoint()
        CustomerMembership.objects.bulk_create(
            CustomerMembership(segment_id=pk, customer_id=c, definition_version=1)
            for pk, members in zip(segments, memberships) for c in members)
        spec = ReportSpec(tuple(segments[:2]), mode, (segments[2],))
        with forced_parallel_plans():
            ids = report_ids(spec)
            counted = report_count(spec)
            cells = {span: [(o.segment_id, o.other_id, o.shared)
                            for o in overlap_matrix(segments, span)]
                     for span in (BITMAP_SPAN, 1)}
        combine = set.union if mode == "any" else set.intersection
        expected = combine(set(memberships[0]), set(memberships[1])) - set(memberships[2])
        assert ids == expected and counted == len(expected)
        pairs = [(a, b, len(set(ma) & set(mb))) for a, ma in zip(segments, memberships)
                 for b, mb in zip(segments, memberships)]
        assert cells[BITMAP_SPAN] == pairs and cells[1] == pairs
        transaction.savepoint_rollback(sid)


# one customer's moves: (day offset, hour) of alternating joins and leaves
moves = st.lists(st.tuples(st.integers(-5, 20), st.integers(0, 23)), max_size=6)


@SETTINGS
@given(logs=st.lists(moves, min_size=1, max_size=8), weekly=st.booleans())
def test_size_history_equals_replayed_log(segments, logs, weekly):
    segment = segments[0]
    with transaction.atomic():
        sid = transaction.savepoint()
        rows = []
        for customer, times in enumerate(logs, start=1):
            for n, (day, hour) in enumerate(sorted(set(times))):
                at = dt.datetime.combine(START, dt.time(hour), tzinfo=dt.UTC) + dt.timedelta(
                    days=day)
                rows.append(MembershipLog(segment_id=segment, customer_id=customer,
                                          action="joined" if n % 2 == 0 else "left", at=at,
                                          reason="refresh", definition_version=1))
        MembershipLog.objects.bulk_create(rows)
        end = START + dt.timedelta(days=15)
        points = size_history(segment, START, end, "week" if weekly else "day")
        assert len(points) == (3 if weekly else 16)
        for point in points:
            replayed = customers_at(segment, point.end - dt.timedelta(microseconds=1))
            assert point.members == len(replayed), point
            inside = [r for r in rows if point.start <= r.at < point.end]
            assert point.joined == sum(r.action == "joined" for r in inside)
            assert point.left == sum(r.action == "left" for r in inside)
        transaction.savepoint_rollback(sid)
