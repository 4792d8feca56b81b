"""Split refresh: parts over customer-id ranges, committed as one change."""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from saleor_segments.membership import split
from saleor_segments.membership.check import check_customer
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.models import (
    MembershipLog,
    RefreshRun,
    RefreshRunPart,
    Segment,
    VisitorMembership,
)
from saleor_segments.services.segments import create_segment, update_segment
from saleor_segments.worker import tasks

from ..factories import NOW, CheckoutFactory, UserFactory
from ..helpers import EMAIL_SHOP as SHOP
from ..helpers import members

pytestmark = pytest.mark.django_db

def staged(run):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {split.STAGE} WHERE run_id = %s", [run.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def shoppers(channel):
    inside = [UserFactory(email=f"in{i}@shop.com") for i in range(12)]
    outside = [UserFactory(email=f"out{i}@else.com") for i in range(7)]
    return inside, outside


def test_ranges_cover_every_customer_once(shoppers):
    ranges = split.customer_ranges(4)
    assert len(ranges) == 4
    assert all(lo < hi for lo, hi in ranges)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))  # contiguous, no overlap
    ids = [u["id"] for group in shoppers for u in group]
    assert ranges[0][0] == min(ids) and ranges[-1][1] == max(ids) + 1
    sizes = [sum(lo <= i < hi for i in ids) for lo, hi in ranges]
    assert max(sizes) - min(sizes) <= 1  # about equal


def test_split_refresh_equals_full_refresh_and_is_one_change(channel, shoppers):
    inside, outside = shoppers
    whole = create_segment(name="whole", channel_id=channel["id"], conditions=SHOP)
    parted = create_segment(name="parted", channel_id=channel["id"], conditions=SHOP)
    refresh_segment(whole, now=NOW)

    run = split.plan(parted, parts=3, now=NOW)
    assert [p.subject for p in run.part_set.all()] == ["customer"] * 3
    lasts = [split.run_part(p.pk) for p in run.part_set.order_by("number")]
    assert lasts == [False, False, True]
    assert members(parted) == set()  # nothing changes before the commit
    assert staged(run) == len(inside)

    run = split.commit(run.pk)
    assert (run.status, run.joined, run.left) == ("done", len(inside), 0)
    assert members(parted) == members(whole) == {u["id"] for u in inside}
    assert staged(run) == 0
    assert MembershipLog.objects.filter(segment_id=parted.pk, action="joined",
                                        reason="refresh").count() == len(inside)
    parted.refresh_from_db()
    assert parted.last_refreshed_at == NOW and parted.refreshed_version == 1

    # people leave and join; a second split run writes only the difference
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET email = 'gone@else.com' WHERE id = %s",
                       [inside[0]["id"]])
        cursor.execute("UPDATE account_user SET email = 'new@shop.com' WHERE id = %s",
                       [outside[0]["id"]])
    run = split.run_inline(parted, parts=5)
    assert (run.status, run.joined, run.left) == ("done", 1, 1)
    assert split.commit(run.pk).joined == 1  # committing again changes nothing
    assert members(parted) == {u["id"] for u in inside[1:]} | {outside[0]["id"]}


def test_retried_part_replaces_its_own_staged_rows(channel, shoppers):
    inside, _ = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    run = split.plan(segment, parts=2)
    first, second = run.part_set.order_by("number")
    split.run_part(first.pk)
    before = staged(run)
    first.refresh_from_db()
    assert first.rows == before > 0
    in_first = [u["id"] for u in inside if first.lo <= u["id"] < first.hi]
    with connection.cursor() as cursor:  # meanwhile one of the part's customers leaves
        cursor.execute("UPDATE account_user SET email = 'gone@else.com' WHERE id = %s",
                       [in_first[0]])
    RefreshRunPart.objects.filter(pk=first.pk).update(done_at=None)  # as a lost acknowledgement
    assert split.run_part(first.pk) is False  # the retry ran (the second part is still due)
    first.refresh_from_db()
    assert first.done_at is not None and first.rows == before - 1
    assert staged(run) == before - 1  # its own rows replaced, not added to
    assert split.run_part(second.pk) is True
    run = split.commit(run.pk)
    assert run.status == "done" and members(segment) == {u["id"] for u in inside} - {
        in_first[0]}


def test_failed_part_keeps_members(channel, shoppers, monkeypatch, settings):
    inside, _ = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    refresh_segment(segment)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE account_user SET email = 'x@else.com'")
    run = split.plan(segment, parts=2)
    real = split.run_part
    calls = []

    def flaky(part_id):
        calls.append(part_id)
        if part_id == run.part_set.order_by("number")[1].pk:
            raise RuntimeError("worker lost its database")
        return real(part_id)

    monkeypatch.setattr(split, "run_part", flaky)
    for part in run.part_set.order_by("number"):
        result = tasks.refresh_part_task.apply(args=[part.pk])
    assert result.failed()
    assert len(calls) == 1 + 1 + tasks.refresh_part_task.max_retries  # retried, then given up
    run.refresh_from_db()
    assert run.status == "failed" and "worker lost its database" in run.error
    assert members(segment) == {u["id"] for u in inside}  # nobody lost
    assert staged(run) == 0
    assert split.commit(run.pk).status == "failed"  # a late commit does nothing


def staged_run(segment, parts=2):
    """A refreshed segment's new split run with every part staged, not yet committed."""
    refresh_segment(segment)
    run = split.plan(segment, parts=parts)
    for part in run.part_set.all():
        split.run_part(part.pk)
    return run


def test_segment_changed_meanwhile_makes_the_run_stale(channel, shoppers):
    inside, _ = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    run = staged_run(segment)
    update_segment(segment, conditions={"conditions": []})
    run = split.commit(run.pk)
    assert run.status == "stale" and staged(run) == 0
    assert members(segment) == {u["id"] for u in inside}


def test_lost_staged_rows_are_noticed(channel, shoppers):
    inside, _ = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    run = staged_run(segment)
    with connection.cursor() as cursor:  # as an unlogged table after a crash
        cursor.execute(f"DELETE FROM {split.STAGE} WHERE run_id = %s AND part = 1", [run.pk])
    run = split.commit(run.pk)
    assert run.status == "failed" and "missing staged rows" in run.error
    assert members(segment) == {u["id"] for u in inside}


def test_newer_event_wins_over_the_run(channel, shoppers):
    _, outside = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    run = split.plan(segment, parts=2, now=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    for part in run.part_set.all():
        split.run_part(part.pk)
    with connection.cursor() as cursor:  # after the parts ran, an event brings someone in
        cursor.execute("UPDATE account_user SET email = 'late@shop.com' WHERE id = %s",
                       [outside[0]["id"]])
    check_customer(outside[0]["id"], channel_id=channel["id"], reason="event:customer_updated")
    assert outside[0]["id"] in members(segment)
    run = split.commit(run.pk)
    assert outside[0]["id"] in members(segment)  # the stale staged "no" did not remove them


def test_visitors_form_their_own_part(channel, shoppers):
    token = uuid.uuid4()
    CheckoutFactory(token=token, channel_id=channel["id"], user_id=None)
    segment = create_segment(name="v", channel_id=channel["id"], apply_to="visitors_and_customers",
                             conditions={"conditions": []})
    run = split.run_inline(segment, parts=2)
    assert [(p.subject, p.lo is None) for p in run.part_set.all()] == [
        ("customer", False), ("customer", False), ("visitor", True)]
    assert run.status == "done" and run.joined == 19 + 1
    assert set(VisitorMembership.objects.values_list("checkout_token", flat=True)) == {token}


def test_tasks_fan_out_and_commit(channel, shoppers, django_capture_on_commit_callbacks):
    inside, _ = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    with django_capture_on_commit_callbacks(execute=True):
        run_id = tasks.refresh_segment_split_task.apply(args=[segment.pk, 3]).get()
    run = RefreshRun.objects.get(pk=run_id)
    assert (run.status, run.parts, run.parts_done) == ("done", 3, 3)
    assert members(segment) == {u["id"] for u in inside}
    assert tasks.refresh_segment_split_task.apply(args=[999999]).get() is None


def test_abandoned_runs_fail_and_history_is_pruned(channel, shoppers):
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    run = split.plan(segment, parts=2)
    split.run_part(run.part_set.first().pk)
    long_ago = timezone.now() - dt.timedelta(days=2)
    RefreshRun.objects.filter(pk=run.pk).update(requested_at=long_ago)
    RefreshRunPart.objects.filter(run=run).exclude(done_at=None).update(done_at=long_ago)
    assert tasks.abandon_stuck_refreshes_task.apply().get() == 1
    run.refresh_from_db()
    assert run.status == "failed" and "no progress" in run.error and staged(run) == 0
    RefreshRun.objects.filter(pk=run.pk).update(finished_at=NOW - dt.timedelta(days=60))
    split.abandon_stuck()
    assert not RefreshRun.objects.filter(pk=run.pk).exists()


def test_runs_whose_tasks_never_started_are_abandoned(channel, shoppers):
    """Their messages were lost (or sit where no worker listens): after an hour, not six."""
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    whole = RefreshRun.objects.create(segment=segment, parts=1, evaluated_at=two_hours_ago,
                                      requested_at=two_hours_ago, definition_version=1)
    parted = split.plan(segment, parts=2)
    recent = split.plan(segment, parts=2)
    RefreshRun.objects.filter(pk=parted.pk).update(requested_at=two_hours_ago)
    # a long run still making progress is not stuck
    going = split.plan(segment, parts=2)
    split.run_part(going.part_set.first().pk)
    RefreshRun.objects.filter(pk=going.pk).update(
        requested_at=timezone.now() - dt.timedelta(hours=7))

    assert split.abandon_stuck() == 2
    statuses = dict(RefreshRun.objects.values_list("pk", "status"))
    assert (statuses[whole.pk], statuses[parted.pk]) == ("failed", "failed")
    assert (statuses[recent.pk], statuses[going.pk]) == ("running", "running")
    assert "never started" in RefreshRun.objects.get(pk=whole.pk).error


def test_command_with_parts(channel, shoppers, capsys):
    inside, _ = shoppers
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    call_command("segments_refresh", str(segment.pk), "--parts", "3")
    assert f"+{len(inside)} -0 in 3 parts" in capsys.readouterr().out
    assert members(segment) == {u["id"] for u in inside}
    with pytest.raises(Exception, match="between 1 and 256"):
        call_command("segments_refresh", str(segment.pk), "--parts", "999")
    assert Segment.objects.count() == 1
