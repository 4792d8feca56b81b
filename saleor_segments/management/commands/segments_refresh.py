from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from ...membership import split
from ...membership.refresh import refresh_channel, refresh_segment
from ...models import RefreshRun, Segment


class Command(BaseCommand):
    help = "Recompute segment members now (one, several, all active, or a channel's combined)."

    def add_arguments(self, parser):
        parser.add_argument("segment_ids", nargs="*", type=int)
        parser.add_argument("--all", action="store_true", help="every active segment")
        parser.add_argument("--channel", type=int, help="combined refresh of a channel")
        parser.add_argument("--parts", type=int, default=0,
                            help="split each segment into this many customer-id ranges, "
                                 "committed as one change")
        parser.add_argument("--queue", action="store_true",
                            help="with --parts: queue the parts for Celery workers and return")

    def handle(self, *args, segment_ids, all, channel, parts, queue, **options):
        if sum(map(bool, (segment_ids, all, channel is not None))) != 1:
            raise CommandError("name segment ids, or --all, or --channel ID (one of them)")
        if channel is not None:
            self._channel(channel)
            return
        if all:
            segment_ids = list(Segment.objects.filter(status="active").order_by("pk")
                               .values_list("pk", flat=True))
        names = dict(Segment.objects.filter(pk__in=segment_ids).values_list("pk", "name"))
        missing = [pk for pk in segment_ids if pk not in names]
        if missing:
            raise CommandError(f"segment {', '.join(map(str, missing))} does not exist")
        if queue and not parts:
            raise CommandError("--queue needs --parts")
        progress = tqdm(segment_ids, unit="segment", file=self.stderr._out,
                        disable=options["verbosity"] == 0)
        for pk in progress:
            label = f"segment {pk} ({names[pk]})"
            progress.set_description(label)
            if parts:
                self._split(pk, label, parts, queue, progress)
                continue
            try:
                result = refresh_segment(pk)
            except Segment.DoesNotExist as exc:
                raise CommandError(str(exc)) from None
            state = "skipped (inactive)" if result.skipped else (
                f"+{result.joined} -{result.left} in {result.seconds:.2f}s")
            progress.write(f"{label}: {state}", file=self.stdout._out)

    def _channel(self, channel):
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM channel_channel WHERE id = %s", [channel])
            if cursor.fetchone() is None:
                raise CommandError(f"channel {channel} does not exist")
        result = refresh_channel(channel)
        names = dict(Segment.objects.filter(pk__in=[*result.segment_ids, *result.failed])
                     .values_list("pk", "name"))
        self.stdout.write(f"channel {channel}: {len(result.segment_ids)} segments, "
                          f"+{result.joined} -{result.left} in {result.seconds:.2f}s")
        for pk in result.segment_ids:
            self.stdout.write(f"  segment {pk} ({names.get(pk, '?')}): refreshed")
        for pk, error in result.failed.items():
            self.stderr.write(f"  segment {pk} ({names.get(pk, '?')}): FAILED, members kept: "
                              f"{error}")
        if result.failed:
            raise CommandError(f"{len(result.failed)} segment(s) could not be refreshed")

    def _split(self, pk, label, parts, queue, progress):
        from ...worker.tasks import QueueUnavailable, start_parts

        try:
            if queue:
                run = split.plan(pk, parts)
                start_parts(run)
                progress.write(f"{label}: {run.parts} parts queued as refresh run {run.pk}",
                               file=self.stdout._out)
                return
            bar = tqdm(total=parts, unit="part", leave=False, file=self.stderr._out,
                       disable=progress.disable)
            run = split.run_inline(pk, parts, progress=lambda part: bar.update())
            bar.close()
        except (Segment.DoesNotExist, ValueError, QueueUnavailable) as exc:
            raise CommandError(str(exc)) from None
        if run.status != RefreshRun.Status.DONE:
            raise CommandError(f"{label}: refresh run {run.pk} {run.status}: {run.error}")
        progress.write(f"{label}: +{run.joined} -{run.left} in {run.parts} parts "
                       f"(run {run.pk})", file=self.stdout._out)
