"""Installing the segments Dashboard app into the Saleor this plugin runs in, without HTTP.

Saleor's own install (``install_app``) fetches the manifest over HTTP; here the plugin builds the
manifest itself, runs Saleor's own manifest validation on it (``clean_manifest_data``) and
creates the same rows Saleor creates: a third-party ``App`` with its permissions and one
``AppExtension`` per extension. Re-running updates the installed app (never a second one);
uninstalling is Saleor's own app deletion (soft delete, APP_DELETED event)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from saleor.app.actions import delete_app
from saleor.app.manifest_validations import clean_manifest_data
from saleor.app.models import App, AppExtension
from saleor.app.types import AppType
from saleor.plugins.manager import get_plugins_manager

from ..dashboard_app.manifest import APP_ID, app_url_for, build_manifest


@dataclass
class InstallResult:
    app: App
    created: bool
    manifest: dict


def installed_app() -> App | None:
    """The installed (not removed) segments App, if any."""
    return App.objects.not_removed().filter(identifier=APP_ID).order_by("pk").first()


def installed_app_id() -> int | None:
    app = installed_app()
    return app.pk if app is not None and app.is_active else None


def validated_manifest(manifest: dict, reinstall: bool) -> dict:
    """The manifest as Saleor's ``clean_manifest_data`` leaves it (permissions as Permission
    rows, mounts and targets lower case), or Saleor's ValidationError.

    Saleor refuses a second app with the same identifier; when the app is already installed
    (``reinstall``) it is updated in place, so the rest is validated as a fresh install of it
    would be, under an identifier that cannot collide."""
    data = copy.deepcopy(manifest)
    if reinstall:
        data["id"] = f"{APP_ID}.reinstall-check"
    clean_manifest_data(data, raise_for_saleor_version=True)
    data["id"] = manifest["id"]
    return data


def install(base_url: str) -> InstallResult:
    """Install or update the app served under ``base_url`` (e.g. https://shop.example.com)."""
    manifest = build_manifest(app_url_for(base_url))
    with transaction.atomic():
        existing = App.objects.not_removed().select_for_update().filter(
            identifier=APP_ID).order_by("pk").first()
        data = validated_manifest(manifest, reinstall=existing is not None)
        app = existing or App(identifier=APP_ID, type=AppType.THIRDPARTY)
        app.name = data["name"]
        app.type = AppType.THIRDPARTY
        app.is_active = True
        app.is_installed = True
        app.about_app = data.get("about")
        app.app_url = data["appUrl"]
        app.manifest_url = data["appUrl"] + "/manifest"
        app.version = data["version"]
        app.author = data.get("author")
        app.save()
        app.permissions.set(data["permissions"])
        _sync_extensions(app, data["extensions"])
        if existing is None:
            transaction.on_commit(lambda: get_plugins_manager(
                allow_replica=False).app_installed(app))
    return InstallResult(app=app, created=existing is None, manifest=manifest)


def _sync_extensions(app: App, extensions: list[dict]) -> None:
    """One AppExtension per manifest extension, matched by identifier; others removed."""
    wanted = {e["identifier"] for e in extensions}
    app.extensions.exclude(identifier__in=wanted).delete()
    for data in extensions:
        options = data.get("options", {})
        target_options = options.get("widgetTarget") or options.get("newTabTarget") or {}
        extension, _ = AppExtension.objects.update_or_create(
            app=app, identifier=data["identifier"], defaults={
                "label": data["label"], "url": data["url"], "mount": data["mount"],
                "target": data["target"], "settings": options,
                "http_target_method": target_options.get("method")})
        extension.permissions.set(data["permissions"])


def uninstall() -> App | None:
    """Remove the app as Saleor's appDelete does; None when it was not installed."""
    app = installed_app()
    if app is not None:
        delete_app(app, get_plugins_manager(allow_replica=False))
    return app


def describe_errors(exc: ValidationError) -> list[str]:
    """Saleor's validation errors as ``field: message`` lines."""
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, errors in exc.error_dict.items()
                for error in errors for message in error.messages]
    return list(exc.messages)
