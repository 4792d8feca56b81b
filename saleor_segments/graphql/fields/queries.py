"""segmentCustomerFields (MANAGE_USERS)."""

import graphene

from ...services.customer_fields import list_fields
from ..context import Permission, permission_required
from .types import SegmentCustomerField


class CustomerFieldQueries(graphene.ObjectType):
    segment_customer_fields = graphene.List(
        graphene.NonNull(SegmentCustomerField), required=True,
        search=graphene.String(description="Part of the key, name or label."),
        description="Saleor's customer attributes and the metadata keys in use on customers, "
                    "and which are declared for use in customer segments. Requires "
                    "MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_customer_fields(_root, info, search=None):
        return list_fields(search)
