import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ...conditions import ApplyTo, ConditionValidationError, Group, parse_tree, walk
from ...services.segments import validate_conditions


class Command(BaseCommand):
    help = ("Validate a condition tree (JSON file, or - for stdin); prints the normalised tree, "
            "or every problem.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply-to", default="customers",
                            choices=[a.value for a in ApplyTo])

    def handle(self, *args, file, apply_to, **options):
        name = "stdin" if file == "-" else file
        try:
            if file == "-":
                text = options.get("stdin", sys.stdin).read()
            else:
                with open(file, encoding="utf-8") as f:
                    text = f.read()
            data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from None
        try:
            normalized = validate_conditions(data, ApplyTo(apply_to))
        except ConditionValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{name}: {len(exc.errors)} problem(s) found") from None
        count = sum(not isinstance(node, Group) for node in walk(parse_tree(normalized)))
        self.stderr.write(self.style.SUCCESS(f"{name}: valid ({count} condition(s), apply to "
                                             f"{apply_to})"))
        self.stdout.write(json.dumps(normalized, indent=2))
