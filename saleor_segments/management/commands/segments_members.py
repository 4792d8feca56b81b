from django.core.management.base import BaseCommand, CommandError

from ...membership.members import matched_customers
from ...models import Segment

COLUMNS = (("id", 7), ("name", 24), ("email", 34), ("customer_type", 10), ("postal_code", 8),
           ("country", 3), ("country_area", 5), ("date_joined", 11))


def format_rows(rows) -> list[str]:
    lines = ["  ".join(name.upper()[:width].ljust(width) for name, width in COLUMNS)]
    for row in rows:
        row = {**row, "name": f"{row['first_name']} {row['last_name']}".strip(),
               "date_joined": row["date_joined"].date().isoformat()}
        lines.append("  ".join(str(row[name] or "")[:width].ljust(width)
                               for name, width in COLUMNS))
    return lines


class Command(BaseCommand):
    help = "List a segment's matched customers (the Matched Customers grid), a page at a time."

    def add_arguments(self, parser):
        parser.add_argument("segment_id", type=int)
        parser.add_argument("--first", type=int, default=20)
        parser.add_argument("--after", help="cursor printed with the previous page")

    def handle(self, *args, segment_id, first, after, **options):
        if not Segment.objects.filter(pk=segment_id).exists():
            raise CommandError(f"segment {segment_id} does not exist")
        try:
            page = matched_customers(segment_id, first=first, after=after)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        for line in format_rows(page.rows):
            self.stdout.write(line)
        self.stdout.write(f"{page.total_count} members" + (
            f"; next page: --after {page.end_cursor}" if page.has_next_page else ""))
