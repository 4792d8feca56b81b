from django.core.management.base import BaseCommand, CommandError
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
        if channel is not None:
            result = refresh_channel(channel)
            self.stdout.write(f"channel {channel}: {len(result.segment_ids)} segments, "
                              f"+{result.joined} -{result.left} in {result.seconds:.2f}s")
            return
        if all:
            segment_ids = list(Segment.objects.filter(status="active").values_list("pk",
                                                                                    flat=True))
        if not segment_ids:
            raise CommandError("name segment ids, --all or --channel")
        progress = tqdm(segment_ids, unit="segment", file=self.stderr._out,
                        disable=options["verbosity"] == 0)
        if queue and not parts:
            raise CommandError("--queue needs --parts")
        for pk in progress:
            progress.set_description(f"segment {pk}")
            if parts:
                self._split(pk, parts, queue, progress)
                continue
            try:
                result = refresh_segment(pk)
            except Segment.DoesNotExist as exc:
                raise CommandError(str(exc)) from None
            state = "skipped (inactive)" if result.skipped else (
                f"+{result.joined} -{result.left} in {result.seconds:.2f}s")
            progress.write(f"segment {pk}: {state}", file=self.stdout._out)

    def _split(self, pk, parts, queue, progress):
        try:
            if queue:
                from ...tasks import start_parts

                run = split.plan(pk, parts)
                start_parts(run)
                progress.write(f"segment {pk}: {run.parts} parts queued as refresh run {run.pk}",
                               file=self.stdout._out)
                return
            bar = tqdm(total=parts, unit="part", leave=False, file=self.stderr._out,
                       disable=progress.disable)
            run = split.run_inline(pk, parts, progress=lambda part: bar.update())
            bar.close()
        except (Segment.DoesNotExist, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if run.status != RefreshRun.Status.DONE:
            raise CommandError(f"segment {pk}: refresh run {run.pk} {run.status}: {run.error}")
        progress.write(f"segment {pk}: +{run.joined} -{run.left} in {run.parts} parts "
                       f"(run {run.pk})", file=self.stdout._out)
