import json
import sys

from django.core.management.base import BaseCommand, CommandError

from ...conditions import ApplyTo, ConditionValidationError, Group, parse_tree, walk
from ...conditions.text import print_tree
from ...services.conditions_text import conditions_from_text
from ...services.segments import validate_conditions


class Command(BaseCommand):
    help = ("Validate a condition tree (a file, or - for stdin): JSON, or the segment query "
            "language (README); prints the normalised tree, or every problem.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply-to", default="customers",
                            choices=[a.value for a in ApplyTo])
        parser.add_argument("--format", default="auto", choices=["auto", "json", "text"],
                            help="how the file is written (auto: JSON when it starts with "
                                 "'{', else the text form)")
        parser.add_argument("--output", default="json", choices=["json", "text"],
                            help="print the normalised tree as JSON or as text")

    def handle(self, *args, file, apply_to, **options):
        name = "stdin" if file == "-" else file
        try:
            if file == "-":
                text = options.get("stdin", sys.stdin).read()
            else:
                with open(file, encoding="utf-8") as f:
                    text = f.read()
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from None
        form = options["format"]
        if form == "auto":
            form = "json" if text.lstrip().startswith("{") else "text"
        try:
            if form == "json":
                try:
                    data = json.loads(text)
                except ValueError as exc:
                    raise CommandError(f"cannot read {name}: {exc}") from None
                normalized = validate_conditions(data, ApplyTo(apply_to))
            else:
                normalized = conditions_from_text(text, ApplyTo(apply_to))
        except ConditionValidationError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{name}: {len(exc.errors)} problem(s) found") from None
        tree = parse_tree(normalized)
        count = sum(not isinstance(node, Group) for node in walk(tree))
        self.stderr.write(self.style.SUCCESS(f"{name}: valid ({count} condition(s), apply to "
                                             f"{apply_to})"))
        if options["output"] == "text":
            self.stdout.write(print_tree(tree), ending="")
        else:
            self.stdout.write(json.dumps(normalized, indent=2))
