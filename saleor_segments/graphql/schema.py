"""The schema: admin queries and mutations by domain, plus the storefront's."""

import graphene

from .builder.queries import BuilderQueries
from .members.queries import MemberQueries
from .segments.mutations import SegmentMutations
from .segments.queries import SegmentQueries
from .storefront.schema import StorefrontMutations, StorefrontQueries


class Query(SegmentQueries, MemberQueries, BuilderQueries, StorefrontQueries):
    pass


class Mutation(SegmentMutations, StorefrontMutations):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
