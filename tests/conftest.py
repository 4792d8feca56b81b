"""Shared by every test folder; the Saleor contract suite skips itself without Saleor."""
import pytest


def _saleor_importable() -> bool:
    import importlib.util

    return importlib.util.find_spec("saleor") is not None


if not _saleor_importable():
    collect_ignore = ["saleor_contract"]
elif __import__("os").environ.get("DJANGO_SETTINGS_MODULE", "").startswith("saleor."):
    # inside Saleor: its own fixtures (the list of Saleor's root conftest)
    pytest_plugins = [
        "saleor.tests.fixtures", "saleor.app.tests.fixtures", "saleor.plugins.tests.fixtures",
        "saleor.graphql.tests.fixtures", "saleor.webhook.tests.fixtures",
        "saleor.tax.tests.fixtures", "saleor.channel.tests.fixtures", "saleor.page.tests.fixtures",
        "saleor.menu.tests.fixtures", "saleor.warehouse.tests.fixtures",
        "saleor.thumbnail.tests.fixtures", "saleor.order.tests.fixtures",
        "saleor.product.tests.fixtures", "saleor.site.tests.fixtures",
        "saleor.shipping.tests.fixtures", "saleor.permission.tests.fixtures",
        "saleor.giftcard.tests.fixtures", "saleor.discount.tests.fixtures",
        "saleor.checkout.tests.fixtures", "saleor.attribute.tests.fixtures",
        "saleor.account.tests.fixtures", "saleor.graphql.account.tests.fixtures",
        "saleor.payment.tests.fixtures", "saleor.webhook.tests.circuit_breaker.fixtures",
    ]


def pytest_terminal_summary(terminalreporter):
    if not _saleor_importable():
        terminalreporter.write_line(
            "SKIPPED saleor contract suite: saleor is not importable (run it inside a Saleor "
            "environment, see README)")


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Unit tests run task bodies in-process; tests/integration start a real worker."""
    from celery import current_app

    key = _conf_key(current_app, "task_always_eager")
    before = current_app.conf[key]
    current_app.conf.update({key: True})
    yield
    current_app.conf.update({key: before})


def _conf_key(app, setting: str) -> str:
    """The key a setting has in ``app.conf`` (``CELERY_``-prefixed when read from Django)."""
    return f"{app.namespace}_{setting.upper()}" if app.namespace else setting
