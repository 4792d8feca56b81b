"""Install the segments Dashboard app into the Saleor this runs in (or update, or uninstall it)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

NEEDS_SALEOR = ("segments_install_app needs Saleor: the app is installed into the Saleor this "
                "plugin runs in. Run it with Saleor's manage.py (the plugin installed there); "
                "the standalone mode has no Saleor to install it into.")


class Command(BaseCommand):
    help = ("Install the Customer segments Dashboard app into this Saleor (a third-party app "
            "with MANAGE_USERS and MANAGE_DISCOUNTS and its Dashboard extensions), validated "
            "by Saleor's own manifest validation. Re-running updates it; --uninstall removes it.")

    def add_arguments(self, parser):
        parser.add_argument("--url", help="The public base URL of this Saleor, as the "
                                          "Dashboard's browser reaches it (default: Saleor's "
                                          "PUBLIC_URL or its site domain).")
        parser.add_argument("--uninstall", action="store_true",
                            help="Remove the app (as the Dashboard's app deletion does).")

    def handle(self, *args, url=None, uninstall=False, **options):
        if not apps.is_installed("saleor.app"):
            raise CommandError(NEEDS_SALEOR)
        from django.core.exceptions import ValidationError

        from ...host import app_install

        if uninstall:
            removed = app_install.uninstall()
            self.stdout.write("The app was not installed." if removed is None else
                              f"Uninstalled the app {removed.name!r} (id {removed.pk}).")
            return
        if url is None:
            from saleor.core.utils import build_absolute_uri

            url = build_absolute_uri("/")
        if not url.startswith(("http://", "https://")):
            raise CommandError(f"--url must start with http:// or https://, not {url!r}")
        try:
            result = app_install.install(url)
        except ValidationError as exc:
            lines = "\n".join("  " + line for line in app_install.describe_errors(exc))
            raise CommandError(f"Saleor refused the app's manifest:\n{lines}") from None
        app, manifest = result.app, result.manifest
        self.stdout.write(f"{'Installed' if result.created else 'Updated'} the app "
                          f"{app.name!r} (id {app.pk}) at {app.app_url}")
        for extension in manifest["extensions"]:
            self.stdout.write(f"  {extension['mount']} -> {extension['target']} "
                              f"{extension['label']!r} ({extension['url']})")
        self.stdout.write(f"Manifest: {app.manifest_url}")
