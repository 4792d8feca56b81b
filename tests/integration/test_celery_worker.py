"""Tasks on a real worker (Redis broker, separate processes, committed data)."""

from saleor_segments import tasks
from saleor_segments.models import RefreshRun, Segment
from saleor_segments.services import create_segment

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
    assert {p.rows for p in run.part_set.all()} != {None}

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
