"""Per-segment look-ups of a page of segments, one query each (not one per segment)."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count

from ... import models
from ...membership.tables import BY_SUBJECT
from ..core.dataloaders import DataLoader


class ChannelByIdLoader(DataLoader):
    """channel id -> (slug, name), or None for a channel that is gone."""

    context_key = "segments.channel_by_id"

    def batch_load(self, keys):
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, slug, name FROM channel_channel WHERE id = ANY(%s)",
                           [list(keys)])
            found = {pk: (slug, name) for pk, slug, name in cursor.fetchall()}
        return [found.get(key) for key in keys]


class MemberCountBySegmentIdLoader(DataLoader):
    """segment id -> customers and visitors now in it."""

    context_key = "segments.member_count_by_segment_id"

    def batch_load(self, keys):
        counts = dict.fromkeys(keys, 0)
        with connection.cursor() as cursor:
            for table in BY_SUBJECT.values():
                cursor.execute(f"SELECT segment_id, count(*) FROM {table.table} "
                               "WHERE segment_id = ANY(%s) GROUP BY segment_id", [list(keys)])
                for segment_id, count in cursor.fetchall():
                    counts[segment_id] += count
        return [counts[key] for key in keys]


class LastRefreshRunBySegmentIdLoader(DataLoader):
    """segment id -> its latest requested refresh run (or None)."""

    context_key = "segments.last_refresh_run_by_segment_id"

    def batch_load(self, keys):
        runs = list(models.RefreshRun.objects.filter(segment_id__in=keys)
                    .order_by("segment_id", "-pk").distinct("segment_id"))
        done = dict(models.RefreshRunPart.objects.filter(
            run__in=runs, done_at__isnull=False).values("run").annotate(
            n=Count("*")).values_list("run", "n").order_by())
        latest = {}
        for run in runs:
            run.done_parts = done.get(run.pk, 0)  # what partsDone shows
            latest[run.segment_id] = run
        return [latest.get(key) for key in keys]
