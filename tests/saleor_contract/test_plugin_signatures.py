"""Every hook of the plugin is written out in the class, with the parameters Saleor's own
webhook plugin declares for it (base_plugin.py gives only Callable types)."""

import ast
import inspect
from pathlib import Path

import pytest

pytestmark = pytest.mark.saleor_contract

PLUGIN_SOURCE = Path(__file__).resolve().parents[2] / "saleor_segments" / "host" / "plugin.py"


def hooks():
    from saleor.plugins.base_plugin import BasePlugin

    from saleor_segments.host.plugin import CustomerSegmentsPlugin

    declared = set(BasePlugin.__annotations__)  # each hook: a typed Callable attribute
    return [name for name, value in vars(CustomerSegmentsPlugin).items()
            if callable(value) and name in declared]


def test_hooks_are_written_out_not_generated():
    tree = ast.parse(PLUGIN_SOURCE.read_text())
    calls = [n.func.id for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert "setattr" not in calls
    plugin = next(n for n in tree.body if isinstance(n, ast.ClassDef)
                  and n.name == "CustomerSegmentsPlugin")
    written = {n.name for n in plugin.body if isinstance(n, ast.FunctionDef)}
    assert set(hooks()) <= written and len(hooks()) >= 40


def test_each_hook_takes_saleors_parameters():
    from saleor.plugins.webhook.plugin import WebhookPlugin

    from saleor_segments.host.plugin import CustomerSegmentsPlugin

    different, checked = {}, 0
    for name in hooks():
        if name in ("webhook", "preprocess_order_creation") or not hasattr(WebhookPlugin, name):
            continue
        ours = [p for p in inspect.signature(getattr(CustomerSegmentsPlugin, name)).parameters
                if p not in ("kwargs",)]
        saleors = [p for p in inspect.signature(getattr(WebhookPlugin, name)).parameters
                   if p not in ("kwargs",)]
        checked += 1
        if ours[:len(saleors)] != saleors:
            different[name] = (ours, saleors)
    assert different == {}
    assert checked >= 35
