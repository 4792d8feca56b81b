"""Segments at work inside real Saleor: order promotions and vouchers limited to segments,
dynamic blocks and related products."""

import json

import graphene
import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleor_segments.host import discount_hooks
from saleor_segments.intake import shop_events
from saleor_segments.membership.refresh import refresh_segment
from saleor_segments.services.segments import create_segment, update_segment
from saleor_segments.targeting import discounts

pytestmark = [pytest.mark.saleor_contract, pytest.mark.django_db]
PLUGIN_PATH = "saleor_segments.host.plugin.CustomerSegmentsPlugin"
URL = "/plugins/global/saleor_segments/graphql/"

ADD_PROMO_CODE = """mutation($id: ID, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    errors { field code message } checkout { voucherCode } } }"""


@pytest.fixture(autouse=True)
def plugin(settings):
    settings.PLUGINS = [PLUGIN_PATH]
    for key in (discounts.CACHE_KEY, discount_hooks.ACTIVE_CACHE_KEY):
        cache.delete(key)
    yield
    for key in (discounts.CACHE_KEY, discount_hooks.ACTIVE_CACHE_KEY):
        cache.delete(key)


@pytest.fixture
def promotion(order_promotion_with_rule):
    rule = order_promotion_with_rule.rules.get()
    rule.order_predicate = {"discountedObjectPredicate": {"baseSubtotalPrice": {
        "range": {"gte": 1}}}}
    rule.save(update_fields=["order_predicate"])
    return order_promotion_with_rule


def segment_of(channel, email, **extra):
    """A segment of the customers with this e-mail address, refreshed."""
    segment = create_segment(name=f"Only {email}", channel_id=channel.pk, conditions={
        "conditions": [{"kind": "customer.field", "field": "email", "operator": "is",
                        "value": email}]}, **extra)
    refresh_segment(segment)
    return segment


def priced(checkout):
    """Recalculate the checkout as Saleor does at its next price calculation."""
    from saleor.checkout.calculations import fetch_checkout_data
    from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
    from saleor.plugins.manager import get_plugins_manager

    manager = get_plugins_manager(allow_replica=False)
    lines, _ = fetch_checkout_lines(checkout)
    info = fetch_checkout_info(checkout, lines, manager)
    result = fetch_checkout_data(info, manager, lines, requestor=None, force_update=True)
    if hasattr(result, "get"):
        result.get()
    checkout.refresh_from_db()
    return checkout


def promoted(checkout, promotion) -> bool:
    return checkout.discounts.filter(promotion_rule__promotion=promotion).exists()


def test_hooks_are_installed_and_refuse_a_changed_signature():
    from saleor.checkout import utils as checkout_utils
    from saleor.discount.utils import promotion, voucher

    assert promotion.fetch_promotion_rules_for_checkout_or_order.__segments_wrapped__
    assert voucher.validate_voucher_for_checkout.__segments_wrapped__
    assert checkout_utils.validate_voucher_for_checkout is voucher.validate_voucher_for_checkout
    with pytest.raises(ImproperlyConfigured, match="expected parameters"):
        discount_hooks.wrap(("saleor_segments.targeting.discounts", "eligible", ["kind", "id"]),
                            lambda original: original)


def test_order_promotion_applies_to_members_only(checkout_with_item, customer_user, promotion,
                                                 channel_USD):
    checkout = checkout_with_item
    checkout.user = customer_user
    checkout.save(update_fields=["user"])
    assert promoted(priced(checkout), promotion)  # unrestricted: everyone

    others = segment_of(channel_USD, "someone.else@example.com")
    discounts.set_segments("promotion", promotion.pk, [others.pk])
    assert not promoted(priced(checkout), promotion)  # a non-member does not get it

    members = segment_of(channel_USD, customer_user.email)
    discounts.set_segments("promotion", promotion.pk, [others.pk, members.pk])
    checkout = priced(checkout)
    assert promoted(checkout, promotion) and checkout.discount_amount > 0

    update_segment(members, status="inactive")  # an inactive segment gives it to nobody
    assert not promoted(priced(checkout), promotion)


def test_voucher_is_rejected_for_a_non_member_by_add_promo_code(
        user_api_client, checkout_with_item, customer_user, voucher, channel_USD):
    from saleor.graphql.tests.utils import get_graphql_content

    checkout = checkout_with_item
    checkout.user = customer_user
    checkout.save(update_fields=["user"])
    others = segment_of(channel_USD, "someone.else@example.com")
    discounts.set_segments("voucher", voucher.pk, [others.pk])
    variables = {"id": graphene.Node.to_global_id("Checkout", checkout.pk), "code": "mirumee"}

    data = get_graphql_content(user_api_client.post_graphql(ADD_PROMO_CODE, variables))
    errors = data["data"]["checkoutAddPromoCode"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("promoCode",
                                                          "VOUCHER_NOT_APPLICABLE")]
    checkout.refresh_from_db()
    assert checkout.voucher_code is None

    members = segment_of(channel_USD, customer_user.email)
    discounts.set_segments("voucher", voucher.pk, [members.pk])
    data = get_graphql_content(user_api_client.post_graphql(ADD_PROMO_CODE, variables))
    assert data["data"]["checkoutAddPromoCode"]["errors"] == []
    assert data["data"]["checkoutAddPromoCode"]["checkout"]["voucherCode"] == "mirumee"


def test_leaving_the_segment_loses_the_voucher_at_recalculation(
        checkout_with_item_and_voucher, customer_user, voucher, channel_USD):
    checkout = checkout_with_item_and_voucher
    checkout.user = customer_user
    checkout.save(update_fields=["user"])
    members = segment_of(channel_USD, customer_user.email)
    discounts.set_segments("voucher", voucher.pk, [members.pk])
    assert priced(checkout).voucher_code == "mirumee"  # a member keeps it

    customer_user.email = "changed@example.com"  # no longer meets the segment's condition
    customer_user.save(update_fields=["email"])
    shop_events.customer_changed(customer_user.pk)  # what the customer_updated hook runs
    assert priced(checkout).voucher_code is None  # silently removed


def test_deactivated_or_deleted_segment_stops_voucher_and_promotion(
        checkout_with_item_and_voucher, customer_user, voucher, promotion, channel_USD):
    from saleor_segments.services.segments import delete_segment

    checkout = checkout_with_item_and_voucher
    checkout.user = customer_user
    checkout.save(update_fields=["user"])
    members = segment_of(channel_USD, customer_user.email)
    discounts.set_segments("voucher", voucher.pk, [members.pk])
    discounts.set_segments("promotion", promotion.pk, [members.pk])
    assert priced(checkout).voucher_code == "mirumee"

    update_segment(members, status="inactive")  # the voucher goes at once
    checkout.refresh_from_db()
    assert checkout.voucher_code is None
    assert not promoted(priced(checkout), promotion)  # (Saleor: no voucher, so promotions)

    update_segment(members, status="active")
    assert promoted(priced(checkout), promotion)
    delete_segment(members)  # restricted to nobody now
    assert not promoted(priced(checkout), promotion)


def test_completion_refuses_an_ineligible_discount(checkout_with_item_and_voucher,
                                                   customer_user, voucher, channel_USD):
    from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
    from saleor.plugins.manager import get_plugins_manager

    checkout = checkout_with_item_and_voucher
    checkout.user = customer_user
    checkout.save(update_fields=["user"])
    members = segment_of(channel_USD, customer_user.email)
    discounts.set_segments("voucher", voucher.pk, [members.pk])
    manager = get_plugins_manager(allow_replica=False)
    lines, _ = fetch_checkout_lines(checkout)
    info = fetch_checkout_info(checkout, lines, manager)
    manager.preprocess_order_creation(info, lines)  # a member: the order may be created

    with connection.cursor() as cursor:  # membership ends, prices not yet recalculated
        cursor.execute("DELETE FROM saleor_segments_customermembership WHERE customer_id = %s",
                       [customer_user.pk])
    with pytest.raises(ValidationError) as refused:
        manager.preprocess_order_creation(info, lines)
    assert "only for selected customers" in str(refused.value)


def test_unrestricted_discounts_pay_no_query(checkout_with_item, customer_user, promotion,
                                             channel_USD):
    from saleor.discount.utils import promotion as promotion_utils

    wrapped = promotion_utils.fetch_promotion_rules_for_checkout_or_order
    original = wrapped.__wrapped__
    checkout_with_item.user = customer_user
    discounts.set_segments("voucher", 999999, [segment_of(channel_USD, "x@example.com").pk])
    discounts.restrictions()  # warm the cache, as a running store has it
    with CaptureQueriesContext(connection) as plain:
        rules = original(checkout_with_item)
    with CaptureQueriesContext(connection) as hooked:
        assert wrapped(checkout_with_item) == rules
    assert len(hooked.captured_queries) == len(plain.captured_queries)


def post(client, query, variables=None, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.post(URL, data=json.dumps({"query": query, "variables": variables or {}}),
                           content_type="application/json", **headers)
    return response.json()


def test_blocks_and_related_products_differ_between_member_and_visitor(
        client, customer_user, checkout, product_list, channel_USD):
    from saleor.core.jwt import create_access_token

    from saleor_segments.models import ContentBlock, RelatedProductRule

    members = segment_of(channel_USD, customer_user.email)
    ContentBlock.objects.create(name="Welcome", placement="home", priority=1)
    vip = ContentBlock.objects.create(name="Members' offer", placement="home", priority=9,
                                      content={"text": "hello member"})
    vip.segments.add(members)
    first, second, third = product_list[:3]

    def product_is(*ids):
        return {"conditions": [{"kind": "product.product", "operator": "in",
                                "value": list(ids)}]}

    rule = RelatedProductRule.objects.create(name="Members", channel_id=channel_USD.pk,
                                             applies_to=product_is(first.pk),
                                             show=product_is(second.pk), priority=5)
    rule.segments.add(members)
    RelatedProductRule.objects.create(name="Everyone", channel_id=channel_USD.pk,
                                      applies_to=product_is(first.pk), show=product_is(third.pk))

    query = """query($t: UUID, $p: ID!) {
        dynamicBlocks(placement: "home", checkoutToken: $t) { name }
        relatedProducts(productId: $p, checkoutToken: $t) }"""
    product_id = graphene.Node.to_global_id("Product", first.pk)
    member = post(client, query, {"p": product_id}, create_access_token(customer_user))
    visitor = post(client, query, {"p": product_id, "t": str(checkout.token)})
    assert [b["name"] for b in member["data"]["dynamicBlocks"]] == ["Members' offer", "Welcome"]
    assert [b["name"] for b in visitor["data"]["dynamicBlocks"]] == ["Welcome"]
    ids = [graphene.Node.to_global_id("Product", p.pk) for p in (second, third)]
    assert member["data"]["relatedProducts"] == ids
    assert visitor["data"]["relatedProducts"] == ids[1:]
    assert "Members" not in json.dumps(visitor)


def test_customer_attach_and_cart_threshold_reach_the_next_price_calculation(
        user_api_client, checkout, stock, promotion, customer_user, channel_USD,
        django_capture_on_commit_callbacks):
    """checkoutCustomerAttach does not expire Saleor's prices: the plugin's hook does."""
    from saleor.graphql.tests.utils import get_graphql_content

    from .test_checkout_scenarios import ATTACH, LINES_ADD, checkout_id

    members = segment_of(channel_USD, customer_user.email)
    big_carts = create_segment(name="Big carts", channel_id=channel_USD.pk, apply_to="visitors",
                               conditions={"conditions": [{"kind": "cart", "field": "quantity",
                                                           "operator": "gte", "value": 3}]})
    discounts.set_segments("promotion", promotion.pk, [members.pk, big_carts.pk])
    variant_id = graphene.Node.to_global_id("ProductVariant", stock.product_variant.pk)

    def add(quantity):
        with django_capture_on_commit_callbacks(execute=True):
            response = user_api_client.post_graphql(LINES_ADD, {
                "id": checkout_id(checkout),
                "lines": [{"variantId": variant_id, "quantity": quantity}]})
        assert get_graphql_content(response)["data"]["checkoutLinesAdd"]["errors"] == []

    def recalculated():
        """Saleor's price calculation, which recalculates only when prices are due."""
        from saleor.checkout.calculations import fetch_checkout_data
        from saleor.checkout.fetch import fetch_checkout_info, fetch_checkout_lines
        from saleor.plugins.manager import get_plugins_manager

        checkout.refresh_from_db()
        manager = get_plugins_manager(allow_replica=False)
        lines, _ = fetch_checkout_lines(checkout)
        result = fetch_checkout_data(fetch_checkout_info(checkout, lines, manager), manager,
                                     lines, requestor=None)
        if hasattr(result, "get"):
            result.get()
        return promoted(checkout, promotion)

    add(1)  # an anonymous cart of 1: neither segment
    assert not recalculated()
    add(2)  # 3 items: the visitor joins "Big carts"
    assert recalculated()
    with django_capture_on_commit_callbacks(execute=True):
        user_api_client.post_graphql("""mutation($id: ID, $lines: [ID!]!) {
            checkoutLinesDelete(id: $id, linesIds: $lines) { errors { code } } }""", {
            "id": checkout_id(checkout), "lines": [graphene.Node.to_global_id(
                "CheckoutLine", line.pk) for line in checkout.lines.all()]})
    add(1)
    assert not recalculated()
    assert not recalculated()  # prices are settled now
    with django_capture_on_commit_callbacks(execute=True):  # the member attaches
        response = user_api_client.post_graphql(ATTACH, {"id": checkout_id(checkout)})
    assert get_graphql_content(response)["data"]["checkoutCustomerAttach"]["errors"] == []
    assert recalculated()


def test_draft_orders_follow_the_same_limits(draft_order, customer_user, voucher, promotion,
                                             channel_USD):
    """Draft orders go through the same wrapped functions (promotion rules for an Order,
    validate_voucher_in_order)."""
    from saleor.discount.models import NotApplicable
    from saleor.discount.utils import promotion as promotion_utils
    from saleor.discount.utils import voucher as voucher_utils

    order = draft_order
    order.user = customer_user
    order.voucher = voucher
    order.save(update_fields=["user", "voucher"])
    others = segment_of(channel_USD, "someone.else@example.com")
    members = segment_of(channel_USD, customer_user.email)
    rules = promotion_utils.fetch_promotion_rules_for_checkout_or_order(order)
    assert promotion.rules.get() in rules  # unrestricted

    discounts.set_segments("promotion", promotion.pk, [others.pk])
    discounts.set_segments("voucher", voucher.pk, [others.pk])
    assert promotion.rules.get() not in promotion_utils.fetch_promotion_rules_for_checkout_or_order(
        order)
    with pytest.raises(NotApplicable):
        voucher_utils.validate_voucher_in_order(order, order.lines.all(), order.channel)

    discounts.set_segments("promotion", promotion.pk, [members.pk])
    discounts.set_segments("voucher", voucher.pk, [members.pk])
    assert promotion.rules.get() in promotion_utils.fetch_promotion_rules_for_checkout_or_order(
        order)
    voucher_utils.validate_voucher_in_order(order, order.lines.all(), order.channel)
