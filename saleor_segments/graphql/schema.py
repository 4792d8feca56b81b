"""The schema: admin queries and mutations by domain, plus the storefront's."""

import graphene

from .builder.queries import BuilderQueries
from .builder.text import TextQueries
from .content.schema import ContentMutations, ContentQueries
from .discounts.schema import DiscountMutations, DiscountQueries
from .fields.mutations import CustomerFieldMutations
from .fields.queries import CustomerFieldQueries
from .members.queries import MemberQueries
from .reports.mutations import ReportMutations
from .reports.queries import ReportQueries
from .segments.mutations import SegmentMutations
from .segments.queries import SegmentQueries
from .storefront.schema import StorefrontMutations, StorefrontQueries
from .webhooks.schema import SubscriptionMutations, SubscriptionQueries


class Query(SegmentQueries, MemberQueries, BuilderQueries, TextQueries, DiscountQueries,
            ContentQueries, StorefrontQueries, CustomerFieldQueries, ReportQueries,
            SubscriptionQueries):
    pass


class Mutation(SegmentMutations, DiscountMutations, ContentMutations, StorefrontMutations,
               CustomerFieldMutations, ReportMutations, SubscriptionMutations):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
