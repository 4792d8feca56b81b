import json

from django.core.management.base import BaseCommand, CommandError

from ...conditions import ApplyTo, ConditionValidationError
from ...services import validate_conditions


class Command(BaseCommand):
    help = "Validate a condition tree (JSON file, or - for stdin); prints every problem."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply-to", default="customers",
                            choices=[a.value for a in ApplyTo])

    def handle(self, *args, file, apply_to, **options):
        try:
            text = self.stdin.read() if file == "-" else open(file, encoding="utf-8").read()
            data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        try:
            normalized = validate_conditions(data, ApplyTo(apply_to))
        except ConditionValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} problem(s) found") from None
        self.stdout.write(json.dumps(normalized, indent=2))
