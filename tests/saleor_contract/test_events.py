"""Every Saleor event that can change a condition's result moves the shopper in or out as it
happens: each scenario drives Saleor's public GraphQL API (or Saleor's own clean-up tasks) and
reads membership without any refresh. The README's event table lists these rows."""

import datetime as dt

import graphene
import pytest
from django.utils import timezone
from saleor.graphql.order.tests.mutations.test_order_bulk_create import (
    ORDER_BULK_CREATE,
    order_bulk_input,
)
from saleor.graphql.tests.utils import get_graphql_content

from saleor_segments.models import CustomerField, CustomerMembership, VisitorMembership
from saleor_segments.services.segments import create_segment

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"
__all__ = ["order_bulk_input"]  # Saleor's own fixture, used by the bulk-creation scenario

NO_ORDERS = {"conditions": [{"kind": "orders", "measure": "count", "operator": "is", "value": 0,
                             "conditions": []}]}
CART = {"conditions": [{"kind": "cart", "field": "lines", "operator": "gte", "value": 1}]}
LOS_ANGELES = {"conditions": [{"kind": "address", "address": "any", "conditions": [
    {"kind": "address.field", "field": "city", "operator": "contains", "value": "los angeles"}]}]}


def gid(kind, pk):
    return graphene.Node.to_global_id(kind, pk)


def member(segment, customer_id):
    return CustomerMembership.objects.filter(segment=segment, customer_id=customer_id).exists()


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST a mutation as Saleor's API does, running the on-commit callbacks (hooks), and return
    its payload after checking it reported no errors."""
    def run(client, query, variables, name):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post_graphql(query, variables)
        data = get_graphql_content(response)["data"][name]
        assert not data.get("errors"), data["errors"]
        return data

    return run


@pytest.fixture(autouse=True)
def plugin_on(settings):
    settings.PLUGINS = [PLUGIN_PATH]


# --- customers come into existence ------------------------------------------------------------

def test_customer_create_joins_a_segment_about_orders_only(post, staff_api_client,
                                                           permission_manage_users, channel_USD):
    from saleor.account.models import User

    welcome = create_segment(name="Welcome", channel_id=channel_USD.pk, conditions=NO_ORDERS)
    staff_api_client.user.user_permissions.add(permission_manage_users)
    post(staff_api_client, """mutation c($input: UserCreateInput!) {
        customerCreate(input: $input) { user { id } errors { field code message } } }""",
         {"input": {"email": "new@example.com", "channel": channel_USD.slug}}, "customerCreate")
    assert member(welcome, User.objects.get(email="new@example.com").pk)


def test_account_register_joins_a_segment_about_orders_only(post, api_client, channel_USD,
                                                            site_settings):
    from saleor.account.models import User

    site_settings.enable_account_confirmation_by_email = False
    site_settings.save(update_fields=["enable_account_confirmation_by_email"])
    welcome = create_segment(name="Welcome", channel_id=channel_USD.pk, conditions=NO_ORDERS)
    post(api_client, """mutation r($input: AccountRegisterInput!) {
        accountRegister(input: $input) { errors { field code message } } }""",
         {"input": {"email": "shopper@example.com", "password": "A-long-passw0rd!",
                    "channel": channel_USD.slug}}, "accountRegister")
    assert member(welcome, User.objects.get(email="shopper@example.com").pk)


def test_staff_create_with_a_customers_email_moves_them_out_of_every_segment(
        post, staff_api_client, permission_manage_staff, customer_user, channel_USD):
    from saleor_segments.membership.check import check_customer

    welcome = create_segment(name="Welcome", channel_id=channel_USD.pk, conditions=NO_ORDERS)
    check_customer(customer_user.pk)
    assert member(welcome, customer_user.pk)
    staff_api_client.user.user_permissions.add(permission_manage_staff)
    post(staff_api_client, """mutation s($input: StaffCreateInput!) {
        staffCreate(input: $input) { user { id isStaff } errors { field code message } } }""",
         {"input": {"email": customer_user.email}}, "staffCreate")  # Saleor promotes them
    customer_user.refresh_from_db()
    assert customer_user.is_staff
    assert not member(welcome, customer_user.pk)


def test_with_the_real_time_check_off_a_customer_made_staff_leaves_at_the_next_beat(
        post, staff_api_client, permission_manage_staff, customer_user, channel_USD, settings):
    """The incremental refresh does not re-read every changed customer row for segments that
    read no customer data: Saleor's staff_created event is what names the promoted customer."""
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0  # a test store: every shopper is a big share
    from saleor.plugins.models import PluginConfiguration

    from saleor_segments.host.plugin import PLUGIN_ID
    from saleor_segments.membership.refresh import refresh_channel
    from saleor_segments.worker.tasks import refresh_pending_task

    welcome = create_segment(name="Welcome", channel_id=channel_USD.pk, conditions=NO_ORDERS)
    refresh_channel(channel_USD.pk)
    assert member(welcome, customer_user.pk)
    PluginConfiguration.objects.create(identifier=PLUGIN_ID, name="Customer segments",
                                       active=True, configuration=[
                                           {"name": "real_time_check", "value": False}])
    staff_api_client.user.user_permissions.add(permission_manage_staff)
    post(staff_api_client, """mutation s($input: StaffCreateInput!) {
        staffCreate(input: $input) { user { id } errors { field code message } } }""",
         {"input": {"email": customer_user.email}}, "staffCreate")
    assert member(welcome, customer_user.pk)  # no per-shopper check ...
    result = refresh_pending_task.apply().get()  # ... what Saleor's beat runs every minute
    assert not member(welcome, customer_user.pk)
    assert result[0]["modes"][str(welcome.pk)].startswith("incremental:"), result


# --- addresses --------------------------------------------------------------------------------

def test_address_delete_moves_the_customer_out(post, staff_api_client, permission_manage_users,
                                               customer_user, channel_USD):
    from saleor_segments.membership.check import check_customer

    segment = create_segment(name="LA", channel_id=channel_USD.pk, conditions=LOS_ANGELES)
    staff_api_client.user.user_permissions.add(permission_manage_users)
    address = customer_user.addresses.first()
    address.city = "Los Angeles"
    address.save(update_fields=["city"])
    customer_user.addresses.exclude(pk=address.pk).delete()
    check_customer(customer_user.pk)
    assert member(segment, customer_user.pk)

    post(staff_api_client, """mutation d($id: ID!) {
        addressDelete(id: $id) { errors { field code message } } }""",
         {"id": gid("Address", address.pk)}, "addressDelete")
    assert not member(segment, customer_user.pk)


# --- checkouts deleted or taken away ------------------------------------------------------------

def _cart(checkout, stock, user=None):
    from saleor.checkout.models import CheckoutLine

    checkout.user = user
    checkout.save(update_fields=["user"])
    CheckoutLine.objects.create(checkout=checkout, variant=stock.product_variant, quantity=1,
                                currency=checkout.currency)


def test_expired_checkouts_deleted_by_saleors_task_move_shoppers_out(
        checkout, checkout_JPY, stock, customer_user, channel_USD,
        django_capture_on_commit_callbacks):
    from saleor.checkout.models import Checkout
    from saleor.checkout.tasks import delete_expired_checkouts

    from saleor_segments.membership.check import check_customer, check_visitor

    customers = create_segment(name="cart", channel_id=channel_USD.pk, conditions=CART)
    visitors = create_segment(name="visitor cart", channel_id=checkout_JPY.channel_id,
                              apply_to="visitors", conditions=CART)
    _cart(checkout, stock, customer_user)
    _cart(checkout_JPY, stock)
    check_customer(customer_user.pk)
    check_visitor(checkout_JPY.token)
    assert member(customers, customer_user.pk)
    assert VisitorMembership.objects.filter(segment=visitors).exists()

    Checkout.objects.update(last_change=timezone.now() - dt.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_checkouts()[0] >= 2

    assert not member(customers, customer_user.pk)
    assert not VisitorMembership.objects.filter(segment=visitors).exists()


def test_checkout_customer_detach_moves_the_customer_out(post, user_api_client, checkout, stock,
                                                         channel_USD):
    segment = create_segment(name="cart", channel_id=channel_USD.pk, conditions=CART)
    _cart(checkout, stock)
    post(user_api_client, """mutation a($id: ID) { checkoutCustomerAttach(id: $id) {
        errors { field code message } } }""", {"id": gid("Checkout", checkout.pk)},
         "checkoutCustomerAttach")
    assert member(segment, user_api_client.user.pk)

    post(user_api_client, """mutation d($id: ID) { checkoutCustomerDetach(id: $id) {
        errors { field code message } } }""", {"id": gid("Checkout", checkout.pk)},
         "checkoutCustomerDetach")
    assert not member(segment, user_api_client.user.pk)


# --- orders --------------------------------------------------------------------------------------

UNCONFIRMED = {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 1,
                               "conditions": [{"kind": "order.field", "field": "status",
                                               "operator": "is", "value": "unconfirmed"}]}]}


def test_saleors_order_expiry_task_moves_the_customer_out(order_unconfirmed, channel_USD,
                                                          django_capture_on_commit_callbacks):
    from saleor.order.tasks import expire_orders_task

    from saleor_segments.membership.check import check_customer

    segment = create_segment(name="awaiting", channel_id=channel_USD.pk, conditions=UNCONFIRMED)
    check_customer(order_unconfirmed.user_id)
    assert member(segment, order_unconfirmed.user_id)
    channel_USD.expire_orders_after = 1
    channel_USD.save(update_fields=["expire_orders_after"])
    type(order_unconfirmed).objects.filter(pk=order_unconfirmed.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        expire_orders_task()

    order_unconfirmed.refresh_from_db()
    assert order_unconfirmed.status == "expired"
    assert not member(segment, order_unconfirmed.user_id)


def test_saleors_expired_order_deletion_moves_the_customer_out(
        order, channel_USD, django_capture_on_commit_callbacks):
    from saleor.order.tasks import delete_expired_orders_task

    from saleor_segments.membership.check import check_customer

    segment = create_segment(name="had one expire", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 1,
                        "conditions": [{"kind": "order.field", "field": "status",
                                        "operator": "is", "value": "expired"}]}]})
    type(order).objects.filter(pk=order.pk).update(
        status="expired", expired_at=timezone.now() - dt.timedelta(days=400))
    check_customer(order.user_id)
    assert member(segment, order.user_id)
    channel_USD.delete_expired_orders_after = dt.timedelta(days=1)
    channel_USD.save(update_fields=["delete_expired_orders_after"])

    with django_capture_on_commit_callbacks(execute=True):
        delete_expired_orders_task()

    assert not type(order).objects.filter(pk=order.pk).exists()
    assert not member(segment, order.user_id)


def test_order_bulk_create_moves_the_customer_in(
        post, staff_api_client, permission_manage_orders, permission_manage_orders_import,
        permission_manage_users, order_bulk_input, customer_user, channel_PLN):
    buyers = create_segment(name="buyers", channel_id=channel_PLN.pk, conditions={
        "conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 1,
                        "conditions": []}]})
    staff_api_client.user.user_permissions.add(
        permission_manage_orders, permission_manage_orders_import, permission_manage_users)
    order_bulk_input["status"] = "UNFULFILLED"
    order_bulk_input["fulfillments"] = []
    data = post(staff_api_client, ORDER_BULK_CREATE, {"orders": [order_bulk_input],
                                                     "stockUpdatePolicy": "SKIP"},
                "orderBulkCreate")
    assert data["count"] == 1, data["results"]
    assert member(buyers, customer_user.pk)


FULFILLED = {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte", "value": 1,
                             "conditions": [{"kind": "order.field", "field": "status",
                                             "operator": "is", "value": "fulfilled"}]}]}


def test_fulfilment_cancel_moves_the_customer_out(post, staff_api_client, fulfilled_order,
                                                  permission_group_manage_orders, warehouse):
    from saleor_segments.membership.check import check_customer

    segment = create_segment(name="received", channel_id=fulfilled_order.channel_id,
                             conditions=FULFILLED)
    check_customer(fulfilled_order.user_id)
    assert member(segment, fulfilled_order.user_id)
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    fulfillment = fulfilled_order.fulfillments.first()
    post(staff_api_client, """mutation c($id: ID!, $input: FulfillmentCancelInput!) {
        orderFulfillmentCancel(id: $id, input: $input) { errors { field code message } } }""",
         {"id": gid("Fulfillment", fulfillment.pk),
          "input": {"warehouseId": gid("Warehouse", warehouse.pk)}}, "orderFulfillmentCancel")
    assert not member(segment, fulfilled_order.user_id)


RECENT_ORDER = {"conditions": [{"kind": "orders", "measure": "count", "operator": "gte",
                                "value": 1, "period": {"last_days": 30}, "conditions": [
                                    {"kind": "order.field", "field": "status",
                                     "operator": "is_not", "value": "canceled"}]}]}


def test_order_cancel_moves_the_customer_and_the_next_refresh_skips_orders_out_of_its_period(
        post, staff_api_client, order_list, customer_user2, permission_group_manage_orders,
        settings):
    """``orderCancel`` moves the customer out at once. The next incremental refresh finds both
    cancelled orders by Saleor's ``order_order.updated_at``, but re-evaluates only the customer
    whose order is within the segment's 30 days: the other order, 60 days old, cannot move its
    customer."""
    from saleor.order.models import Order

    from saleor_segments.membership.check import check_customer
    from saleor_segments.membership.refresh import refresh_segment

    settings.SEGMENTS_INCREMENTAL_OVERLAP_SECONDS = 0  # only what changes after the refresh
    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0  # a test store: every shopper is a big share
    recent, old, extra = order_list
    extra.delete()
    Order.objects.filter(pk=old.pk).update(user=customer_user2,
                                           created_at=timezone.now() - dt.timedelta(days=60))
    segment = create_segment(name="recent", channel_id=recent.channel_id,
                             conditions=RECENT_ORDER)
    refresh_segment(segment)
    assert member(segment, recent.user_id) and not member(segment, customer_user2.pk)
    permission_group_manage_orders.user_set.add(staff_api_client.user)
    for order in (recent, old):
        post(staff_api_client, """mutation c($id: ID!) {
            orderCancel(id: $id) { errors { field code message } } }""",
             {"id": gid("Order", order.pk)}, "orderCancel")
    assert not member(segment, recent.user_id)  # at once, no refresh
    assert Order.objects.filter(pk__in=[recent.pk, old.pk], status="canceled").count() == 2
    result = refresh_segment(segment, incremental=True)
    assert result.modes[segment.pk] == "incremental: 1 shoppers", result.modes
    assert not member(segment, recent.user_id) and not member(segment, customer_user2.pk)
    check_customer(customer_user2.pk)
    assert not member(segment, customer_user2.pk)


# --- gift cards (store credit) ---------------------------------------------------------------

CREDIT = {"conditions": [{"kind": "customer.gift_card_balance", "operator": "gte",
                          "value": 20}]}


def test_gift_cards_move_their_customer_in_and_out(post, staff_api_client, customer_user,
                                                   permission_manage_gift_card,
                                                   permission_manage_users, channel_USD):
    from saleor.giftcard.models import GiftCard

    segment = create_segment(name="credit", channel_id=channel_USD.pk, conditions=CREDIT)
    staff_api_client.user.user_permissions.add(permission_manage_gift_card,
                                               permission_manage_users)
    data = post(staff_api_client, """mutation c($input: GiftCardCreateInput!) {
        giftCardCreate(input: $input) { giftCard { id } errors { field code message } } }""",
                {"input": {"balance": {"amount": 25, "currency": "USD"}, "isActive": True,
                           "assignedTo": gid("User", customer_user.pk)}}, "giftCardCreate")
    card_id = data["giftCard"]["id"]
    assert member(segment, customer_user.pk)  # gift_card_created

    post(staff_api_client, """mutation d($id: ID!) { giftCardDeactivate(id: $id) {
        errors { field code message } } }""", {"id": card_id}, "giftCardDeactivate")
    assert not member(segment, customer_user.pk)  # gift_card_status_changed

    post(staff_api_client, """mutation a($id: ID!) { giftCardActivate(id: $id) {
        errors { field code message } } }""", {"id": card_id}, "giftCardActivate")
    assert member(segment, customer_user.pk)

    post(staff_api_client, """mutation u($id: ID!, $input: GiftCardUpdateInput!) {
        giftCardUpdate(id: $id, input: $input) { errors { field code message } } }""",
         {"id": card_id, "input": {"balanceAmount": 5}}, "giftCardUpdate")
    assert not member(segment, customer_user.pk)  # gift_card_updated

    GiftCard.objects.update(current_balance_amount=30)
    post(staff_api_client, """mutation u($id: ID!) { giftCardUnassignUser(id: $id) {
        errors { field code message } } }""", {"id": card_id}, "giftCardUnassignUser")
    assert not member(segment, customer_user.pk)  # the card's previous owner is re-checked

    post(staff_api_client, """mutation a($id: ID!, $user: ID!) { giftCardAssignUser(
        id: $id, userId: $user) { errors { field code message } } }""",
         {"id": card_id, "user": gid("User", customer_user.pk)}, "giftCardAssignUser")
    assert member(segment, customer_user.pk)

    post(staff_api_client, """mutation d($id: ID!) { giftCardDelete(id: $id) {
        errors { field code message } } }""", {"id": card_id}, "giftCardDelete")
    assert not member(segment, customer_user.pk)  # gift_card_deleted


# --- data many customers share ---------------------------------------------------------------

def test_customer_update_of_the_customer_type_moves_the_customer(
        post, staff_api_client, customer_user, customer_type, permission_manage_users,
        channel_USD):
    segment = create_segment(name="B2B", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "customer_type", "operator": "is",
                        "value": gid("CustomerType", customer_type.pk)}]})
    staff_api_client.user.user_permissions.add(permission_manage_users)
    post(staff_api_client, """mutation u($id: ID!, $input: CustomerInput!) {
        customerUpdate(id: $id, input: $input) { errors { field code message } } }""",
         {"id": gid("User", customer_user.pk),
          "input": {"customerType": gid("CustomerType", customer_type.pk)}}, "customerUpdate")
    assert member(segment, customer_user.pk)


def test_customer_type_delete_moves_its_customers_to_the_default_types_segment(
        post, staff_api_client, customer_user, customer_type, default_customer_type,
        permission_manage_customer_types_and_attributes, permission_manage_users, channel_USD):
    segment = create_segment(name="default type", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "customer_type", "operator": "is",
                        "value": gid("CustomerType", default_customer_type.pk)}]})
    customer_user.customer_type = customer_type
    customer_user.save(update_fields=["customer_type"])
    assert not member(segment, customer_user.pk)
    staff_api_client.user.user_permissions.add(
        permission_manage_customer_types_and_attributes, permission_manage_users)
    post(staff_api_client, """mutation d($id: ID!) { customerTypeDelete(id: $id) {
        errors { field code message } } }""", {"id": gid("CustomerType", customer_type.pk)},
         "customerTypeDelete")
    assert member(segment, customer_user.pk)


def test_customer_attribute_value_renamed_moves_its_customers(
        post, staff_api_client, customer_user, loyalty_customer_attribute, channel_USD,
        permission_manage_customer_types_and_attributes, permission_manage_product_types_and_attributes,
        permission_manage_users):
    from saleor.attribute.models import AssignedUserAttributeValue

    gold = loyalty_customer_attribute.values.get(slug="gold")
    AssignedUserAttributeValue.objects.create(user=customer_user, value=gold)
    CustomerField.objects.create(source="attribute", key="loyalty-level", value_type="string")
    segment = create_segment(name="platinum", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.attribute", "attribute": "loyalty-level",
                        "type": "string", "operator": "is", "value": "Platinum"}]})
    staff_api_client.user.user_permissions.add(
        permission_manage_customer_types_and_attributes,
        permission_manage_product_types_and_attributes, permission_manage_users)
    post(staff_api_client, """mutation u($id: ID!, $input: AttributeValueUpdateInput!) {
        attributeValueUpdate(id: $id, input: $input) { errors { field code message } } }""",
         {"id": gid("AttributeValue", gold.pk), "input": {"name": "Platinum"}},
         "attributeValueUpdate")
    assert member(segment, customer_user.pk)

    post(staff_api_client, """mutation d($id: ID!) { attributeValueDelete(id: $id) {
        errors { field code message } } }""", {"id": gid("AttributeValue", gold.pk)},
         "attributeValueDelete")
    assert not member(segment, customer_user.pk)


# --- the catalogue --------------------------------------------------------------------------------

def test_product_moved_to_another_category_reaches_cart_segments_at_the_next_beat(
        post, staff_api_client, permission_manage_products, customer_user, checkout, stock,
        channel_USD, settings):
    """A catalogue change can move every shopper with that product at once; no per-shopper
    event exists for it in Saleor. Saleor's productUpdate and productVariantUpdate name the
    product (``product_updated``, ``product_variant_updated``): the combined refresh the beat
    runs every minute (``refresh_pending``) re-evaluates only the shoppers holding it. A
    category change names no product: the segments with product conditions are evaluated
    fully, and the channel's other segments stay incremental."""
    from saleor.product.models import Category

    from saleor_segments.membership.check import check_customer
    from saleor_segments.membership.refresh import refresh_segment
    from saleor_segments.models import ChangedProduct, PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0  # a test store: every shopper is a big share
    settings.SEGMENTS_INCREMENTAL_OVERLAP_SECONDS = 0  # the fixtures' rows are seconds old
    variant = stock.product_variant
    product = variant.product
    shoes = Category.objects.create(name="Shoes", slug="shoes")
    segment = create_segment(name="cart in category", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "products", "source": "cart", "conditions": [
            {"kind": "product.category", "operator": "is", "value": shoes.pk}]}]})
    welcome = create_segment(name="no orders", channel_id=channel_USD.pk, conditions=NO_ORDERS)
    _cart(checkout, stock, customer_user)
    check_customer(customer_user.pk)
    refresh_segment(segment)
    refresh_segment(welcome)
    assert not member(segment, customer_user.pk)
    staff_api_client.user.user_permissions.add(permission_manage_products)
    update_product = """mutation u($id: ID!, $input: ProductInput!) {
        productUpdate(id: $id, input: $input) { errors { field code message } } }"""

    post(staff_api_client, update_product, {"id": gid("Product", product.pk),
                                            "input": {"category": gid("Category", shoes.pk)}},
         "productUpdate")
    # (Saleor calls product_updated more than once for one productUpdate)
    assert set(ChangedProduct.objects.values_list("product_id", flat=True)) == {product.pk}
    assert list(PendingRefresh.objects.values_list(
        "channel_id", "full_refresh", "full_segments")) == [(channel_USD.pk, False, [])]
    [summary] = refresh_pending_task.apply().get()  # what Saleor's beat runs every minute
    assert member(segment, customer_user.pk)
    assert summary["modes"][str(segment.pk)] == "incremental: 1 shoppers", summary
    assert summary["modes"][str(welcome.pk)].startswith("incremental:"), summary

    # a variant's update names its product: the product moved out of the category (by a
    # queryset update, which calls no plugin hook), then a variant of it updated through the
    # API: the shopper leaves
    other = Category.objects.create(name="Other", slug="other")
    type(product).objects.filter(pk=product.pk).update(category=other)
    post(staff_api_client, """mutation v($id: ID!, $input: ProductVariantInput!) {
        productVariantUpdate(id: $id, input: $input) { errors { field code message } } }""",
         {"id": gid("ProductVariant", variant.pk), "input": {"sku": "MOVED-1"}},
         "productVariantUpdate")
    [summary] = refresh_pending_task.apply().get()
    assert not member(segment, customer_user.pk)
    assert summary["modes"][str(segment.pk)] == "incremental: 1 shoppers", summary

    # a category's change names no product: the product segments are evaluated fully
    post(staff_api_client, """mutation c($id: ID!, $input: CategoryInput!) {
        categoryUpdate(id: $id, input: $input) { errors { field code message } } }""",
         {"id": gid("Category", shoes.pk), "input": {"name": "Sneakers"}}, "categoryUpdate")
    assert list(PendingRefresh.objects.values_list(
        "channel_id", "full_refresh", "full_segments")) == [(channel_USD.pk, False, [segment.pk])]
    [summary] = refresh_pending_task.apply().get()
    assert summary["modes"][str(segment.pk)].startswith("full:"), summary
    assert summary["modes"][str(welcome.pk)].startswith("incremental:"), summary


def test_login_moves_the_customer_into_a_recent_login_segment(post, api_client, customer_user,
                                                              channel_USD):
    """Saleor's tokenCreate saves last_login and calls no plugin hook."""
    segment = create_segment(name="logged in", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "last_login", "operator": "gte",
                        "value": "2020-01-01"}]})
    type(customer_user).objects.filter(pk=customer_user.pk).update(last_login=None)
    assert not member(segment, customer_user.pk)
    post(api_client, """mutation t($email: String!, $password: String!) {
        tokenCreate(email: $email, password: $password) { token errors { field code message } }
    }""", {"email": customer_user.email, "password": "password"}, "tokenCreate")
    assert member(segment, customer_user.pk)


def test_with_the_real_time_check_off_a_login_marks_only_its_customer(
        post, api_client, customer_user, channel_USD, settings):
    """A login must not cost a full refresh of every channel: the customer is recorded and the
    beat's refresh re-evaluates only them."""
    from saleor.plugins.models import PluginConfiguration

    from saleor_segments.host.plugin import PLUGIN_ID
    from saleor_segments.membership.refresh import refresh_channel
    from saleor_segments.models import ChangedShopper, PendingRefresh
    from saleor_segments.worker.tasks import refresh_pending_task

    settings.SEGMENTS_INCREMENTAL_MAX_SHARE = 1.0  # a test store: every shopper is a big share
    segment = create_segment(name="logged in", channel_id=channel_USD.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "last_login", "operator": "gte",
                        "value": "2020-01-01"}]})
    type(customer_user).objects.filter(pk=customer_user.pk).update(last_login=None)
    refresh_channel(channel_USD.pk)
    PluginConfiguration.objects.create(identifier=PLUGIN_ID, name="Customer segments",
                                       active=True, configuration=[
                                           {"name": "real_time_check", "value": False}])
    post(api_client, """mutation t($email: String!, $password: String!) {
        tokenCreate(email: $email, password: $password) { token errors { field code message } }
    }""", {"email": customer_user.email, "password": "password"}, "tokenCreate")
    assert not member(segment, customer_user.pk)  # no per-shopper check ...
    assert ChangedShopper.objects.filter(customer_id=customer_user.pk).exists()  # ... recorded
    assert not PendingRefresh.objects.filter(full_refresh=True).exists()
    result = refresh_pending_task.apply().get()
    assert member(segment, customer_user.pk)
    assert not result[0]["modes"][str(segment.pk)].startswith("full"), result


def test_with_the_real_time_check_off_deleted_checkouts_mark_their_channel(
        checkout, stock, customer_user, channel_USD, django_capture_on_commit_callbacks):
    from saleor.checkout.models import Checkout
    from saleor.checkout.tasks import delete_expired_checkouts
    from saleor.plugins.models import PluginConfiguration

    from saleor_segments.host.plugin import PLUGIN_ID
    from saleor_segments.membership.check import check_customer
    from saleor_segments.models import PendingRefresh

    segment = create_segment(name="cart", channel_id=channel_USD.pk, conditions=CART)
    _cart(checkout, stock, customer_user)
    check_customer(customer_user.pk)
    PluginConfiguration.objects.create(identifier=PLUGIN_ID, name="Customer segments",
                                       active=True, configuration=[
                                           {"name": "real_time_check", "value": False}])
    Checkout.objects.update(last_change=timezone.now() - dt.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        delete_expired_checkouts()
    assert member(segment, customer_user.pk)  # no per-shopper check ...
    assert PendingRefresh.objects.filter(channel_id=channel_USD.pk).exists()  # ... marked


def test_a_failure_while_moving_shoppers_never_breaks_saleors_deletion(
        checkout, stock, customer_user, monkeypatch, caplog, django_capture_on_commit_callbacks):
    from saleor.checkout.models import Checkout
    from saleor.checkout.tasks import delete_expired_checkouts

    from saleor_segments.intake import shop_events

    def broken(rows, reason=None):
        raise RuntimeError("segments database went away")

    monkeypatch.setattr(shop_events, "checkouts_deleted", broken)
    _cart(checkout, stock, customer_user)
    Checkout.objects.update(last_change=timezone.now() - dt.timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_checkouts()[0] >= 1
    assert not Checkout.objects.filter(pk=checkout.pk).exists()
    assert "segments database went away" in caplog.text
