"""The plugin inside real Saleor: discovery, configuration and hooks moving membership."""

import importlib.metadata

import pytest
from saleor.plugins.manager import get_plugins_manager

from saleor_segments.host.plugin import PLUGIN_ID, CustomerSegmentsPlugin
from saleor_segments.models import CustomerMembership, MembershipLog
from saleor_segments.services.segments import create_segment

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"

LOS_ANGELES = {"conditions": [{"kind": "address", "address": "any", "conditions": [
    {"kind": "address.field", "field": "city", "operator": "contains", "value": "los angeles"},
    {"kind": "address.field", "field": "country_area", "operator": "is", "value": "CA"}]}]}


def test_entry_point_registers_the_app_and_the_plugin():
    from saleor import settings as saleor_settings

    (entry,) = [e for e in importlib.metadata.entry_points(group="saleor.plugins")
                if e.name == "saleor_segments"]
    assert entry.load() is CustomerSegmentsPlugin
    assert "saleor_segments" in saleor_settings.INSTALLED_APPS
    assert PLUGIN_PATH in saleor_settings.PLUGINS


def test_manager_loads_the_plugin_with_its_configuration(settings):
    settings.PLUGINS = [PLUGIN_PATH]
    manager = get_plugins_manager(allow_replica=False)
    plugin = manager.get_plugin(PLUGIN_ID)
    assert isinstance(plugin, CustomerSegmentsPlugin) and plugin.active and plugin.real_time


def test_customer_hooks_move_membership(settings, customer_user, channel_USD):
    settings.PLUGINS = [PLUGIN_PATH]
    segment = create_segment(name="LA", channel_id=channel_USD.pk, conditions=LOS_ANGELES)
    manager = get_plugins_manager(allow_replica=False)

    address = customer_user.addresses.first()
    address.city, address.country, address.country_area = "Los Angeles", "US", "CA"
    address.save()
    manager.address_updated(address)
    assert CustomerMembership.objects.filter(segment=segment, customer_id=customer_user.pk).exists()

    manager.customer_deleted(customer_user)
    assert not CustomerMembership.objects.filter(customer_id=customer_user.pk).exists()
    assert list(MembershipLog.objects.filter(customer_id=customer_user.pk).values_list(
        "action", "reason")) == [("joined", "event:address_updated"),
                                 ("left", "event:customer_deleted")]


CUSTOMER_CREATE = """
mutation create($input: UserCreateInput!) {
  customerCreate(input: $input) { user { id email } errors { field code message } }
}"""
SEED_EXAMPLE = {"conditions": [
    {"kind": "customer.metadata", "key": "gender", "type": "string", "operator": "is",
     "value": "female"},
    LOS_ANGELES["conditions"][0]]}


def test_customer_created_through_graphql_joins_the_seed_example(
        settings, staff_api_client, permission_manage_users, channel_USD,
        django_capture_on_commit_callbacks):
    from saleor.account.models import User
    from saleor.graphql.tests.utils import get_graphql_content

    from saleor_segments.models import CustomerField

    settings.PLUGINS = [PLUGIN_PATH]
    CustomerField.objects.create(source="metadata", key="gender", value_type="string")
    segment = create_segment(name="Women in Los Angeles", channel_id=channel_USD.pk,
                             conditions=SEED_EXAMPLE)
    address = {"firstName": "Ann", "lastName": "Lee", "streetAddress1": "1 Main St",
               "city": "Los Angeles", "postalCode": "90001", "country": "US",
               "countryArea": "CA"}
    staff_api_client.user.user_permissions.add(permission_manage_users)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api_client.post_graphql(CUSTOMER_CREATE, {"input": {
            "email": "ann@example.com", "firstName": "Ann", "channel": channel_USD.slug,
            "metadata": [{"key": "gender", "value": "female"}],
            "defaultBillingAddress": address}})
    assert get_graphql_content(response)["data"]["customerCreate"]["errors"] == []
    ann = User.objects.get(email="ann@example.com")
    assert CustomerMembership.objects.filter(segment=segment, customer_id=ann.pk).exists()


def test_periodic_tasks_are_in_saleors_beat_schedule():
    import sys

    from saleor.celeryconf import app

    from saleor_segments.worker.schedule import BEAT_SCHEDULE

    app.loader.import_default_modules()  # what a Saleor worker does at start (autodiscovery)
    for name, entry in BEAT_SCHEDULE.items():
        assert app.conf.beat_schedule[name]["task"] == entry["task"]
        assert entry["task"] in app.tasks, entry["task"]  # each scheduled task is registered
    for task in ("refresh_pending", "refresh_segment", "refresh_segment_split", "refresh_part",
                 "commit_refresh_run"):
        assert f"saleor_segments.{task}" in app.tasks
    # Inside Saleor the plugin never creates its standalone Celery app (nor its settings)
    assert "saleor_segments.standalone.celery" not in sys.modules
    assert app.main == "saleor"


def test_split_refresh_on_saleors_celery_app(settings, customer_users, channel_USD,
                                             django_capture_on_commit_callbacks):
    """Parts over customer-id ranges on Saleor's Celery app (eager in Saleor's test settings),
    committed as one change, against Saleor's own account_user table."""
    from saleor.account.models import User

    from saleor_segments.models import RefreshRun
    from saleor_segments.worker import tasks

    everyone = set(User.objects.filter(is_staff=False).values_list("pk", flat=True))
    assert len(everyone) >= 2
    segment = create_segment(name="Everyone", channel_id=channel_USD.pk,
                             conditions={"conditions": []})
    with django_capture_on_commit_callbacks(execute=True):
        run_id = tasks.refresh_segment_split_task.delay(segment.pk, 2).get()
    run = RefreshRun.objects.get(pk=run_id)
    assert (run.status, run.parts, run.joined) == ("done", 2, len(everyone)), run.error
    assert set(CustomerMembership.objects.filter(segment=segment).values_list(
        "customer_id", flat=True)) == everyone
