from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ...membership.refresh import refresh_channel, refresh_segment
from ...models import Segment


class Command(BaseCommand):
    help = "Recompute segment members now (one, several, all active, or a channel's combined)."

    def add_arguments(self, parser):
        parser.add_argument("segment_ids", nargs="*", type=int)
        parser.add_argument("--all", action="store_true", help="every active segment")
        parser.add_argument("--channel", type=int, help="combined refresh of a channel")

    def handle(self, *args, segment_ids, all, channel, **options):
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
        for pk in progress:
            progress.set_description(f"segment {pk}")
            try:
                result = refresh_segment(pk)
            except Segment.DoesNotExist as exc:
                raise CommandError(str(exc)) from None
            state = "skipped (inactive)" if result.skipped else (
                f"+{result.joined} -{result.left} in {result.seconds:.2f}s")
            progress.write(f"segment {pk}: {state}", file=self.stdout._out)
