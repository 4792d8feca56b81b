"""Tasks on a real worker (Redis broker, separate processes, committed data)."""

import os
import signal

from celery import current_app
from django.db import connection

from saleor_segments.membership.tables import LOCK_SEGMENT
from saleor_segments.models import RefreshRun, Segment
from saleor_segments.services.segments import create_segment
from saleor_segments.worker import tasks

from ..factories import ChannelFactory, UserFactory
from ..helpers import EMAIL_SHOP as SHOP
from ..helpers import members
from .conftest import wait_for


def test_refresh_task_on_a_worker(celery_worker):
    channel = ChannelFactory()
    inside = [UserFactory(email=f"in{i}@shop.com")["id"] for i in range(5)]
    UserFactory(email="out@else.com")
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)

    celery_worker.send(tasks.refresh_segment_task, segment.pk)
    assert wait_for(lambda: members(segment) == set(inside), what="refresh on the worker")


def test_split_refresh_across_worker_processes(celery_worker):
    channel = ChannelFactory()
    inside = {UserFactory(email=f"in{i}@shop.com")["id"] for i in range(40)}
    for i in range(25):
        UserFactory(email=f"out{i}@else.com")
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)

    celery_worker.send(tasks.refresh_segment_split_task, segment.pk, 4)
    run = wait_for(lambda: RefreshRun.objects.filter(
        segment=segment, status__in=["done", "failed", "stale"]).first(),
                   what="the split run to finish")
    assert (run.status, run.parts, run.joined, run.left) == ("done", 4, 40, 0), run.error
    assert members(segment) == inside
    parts = list(run.part_set.all())
    assert all(p.done_at and p.rows is not None for p in parts)  # every part recorded its rows
    assert sum(p.rows for p in parts) == len(inside)

    # a part delivered again (a retry after a lost ack) changes nothing
    part = run.part_set.first()
    celery_worker.send(tasks.refresh_part_task, part.pk)
    celery_worker.send(tasks.commit_refresh_run_task, run.pk)
    celery_worker.send(tasks.refresh_segment_task, segment.pk)  # barrier: the worker has drained the queue
    wait_for(lambda: Segment.objects.get(pk=segment.pk).last_refreshed_at > run.evaluated_at,
             what="the follow-up refresh")
    run.refresh_from_db()
    assert (run.status, run.joined) == ("done", 40)
    assert members(segment) == inside


def test_refresh_whose_worker_process_is_killed_is_delivered_again(celery_worker):
    channel = ChannelFactory()
    inside = {UserFactory(email=f"in{i}@shop.com")["id"] for i in range(5)}
    segment = create_segment(name="s", channel_id=channel["id"], conditions=SHOP)
    with connection.cursor() as cursor:
        # hold the segment's refresh lock: the task starts and waits there, mid-task
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SEGMENT, segment.pk])
        try:
            run = tasks.request_refresh(segment)
            pid = wait_for(lambda: _task_process(celery_worker, "saleor_segments.refresh_segment"),
                           what="the refresh task to start")
            wait_for(lambda: _waiting_for_the_lock(cursor), what="the task to wait mid-way")
            os.kill(pid, signal.SIGKILL)
            wait_for(lambda: _task_process(celery_worker, "saleor_segments.refresh_segment",
                                           not_pid=pid), what="the task delivered again")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SEGMENT, segment.pk])
    run = wait_for(lambda: RefreshRun.objects.filter(pk=run.pk).exclude(
        status="running").first(), what="the run to finish")
    assert (run.status, run.joined) == ("done", len(inside)), run.error
    assert members(segment) == inside


def _task_process(worker, name, not_pid=None):
    """The pid of the worker process running task ``name`` (asked through Celery)."""
    replies = current_app.control.inspect(timeout=1).active() or {}
    for node, active in replies.items():
        if node.startswith(worker.queue + "@"):
            for task in active:
                if task["name"] == name and task["worker_pid"] != not_pid:
                    return task["worker_pid"]
    return None


def _waiting_for_the_lock(cursor):
    cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    return cursor.fetchone()[0]
