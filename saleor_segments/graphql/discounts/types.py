"""What a limit to segments reaches."""

import graphene


class DiscountSegmentDryRun(graphene.ObjectType):
    restricted = graphene.Boolean(required=True)
    members = graphene.Int(description="Every customer in the limit's active segments, "
                                       "whatever their account (null: not limited).")
    eligible_customers = graphene.Int(required=True, description=(
        "The members with an active, non-staff account: those the discount reaches (not "
        "limited: every active customer)."))
    customers = graphene.Int(required=True, description="Active, non-staff customers of the "
                                                        "store.")
    share = graphene.Float(required=True, description="eligibleCustomers / customers.")
