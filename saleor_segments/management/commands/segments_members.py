from django.core.management.base import BaseCommand, CommandError

from ...membership.members import matched_customers
from ...models import Segment

COLUMNS = (("id", "ID", 7), ("name", "Name", 24), ("email", "Email", 34),
           ("customer_type", "Group", 10), ("postal_code", "ZIP", 8), ("country", "Country", 7),
           ("country_area", "State", 5), ("date_joined", "Customer since", 14))


def format_rows(rows) -> list[str]:
    """The Matched Customers grid as text."""
    lines = ["  ".join(label.ljust(width) for _, label, width in COLUMNS)]
    for row in rows:
        row = {**row, "name": f"{row['first_name']} {row['last_name']}".strip(),
               "date_joined": row["date_joined"].date().isoformat()}
        lines.append("  ".join(str(row[name] or "")[:width].ljust(width)
                               for name, _, width in COLUMNS))
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
