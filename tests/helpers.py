"""Small helpers shared by test folders."""

from saleor_segments.models import CustomerMembership

EMAIL_SHOP = {"conditions": [{"kind": "customer.field", "field": "email", "operator": "contains",
                              "value": "@shop.com"}]}


def members(segment) -> set[int]:
    """Customer ids stored as members of ``segment``."""
    return set(CustomerMembership.objects.filter(segment=segment).values_list("customer_id",
                                                                              flat=True))
