"""What a visual condition builder needs, previews and explanations."""

import graphene

from ..core.errors import SegmentError
from ..core.scalars import JSONString
from ..segments.enums import SegmentApplyToEnum


class ConditionOperator(graphene.ObjectType):
    name = graphene.String(required=True)
    label = graphene.String()


class ConditionField(graphene.ObjectType):
    name = graphene.String(required=True)
    type = graphene.String(required=True, description="string, number, integer, date, "
                                                      "boolean, country, id, choice...")
    object = graphene.String(description="For ids: the Saleor type (Product, Category, ...).")
    choices = graphene.List(graphene.NonNull(graphene.String))
    operators = graphene.List(graphene.NonNull(ConditionOperator), required=True)


class ConditionKind(graphene.ObjectType):
    kind = graphene.String(required=True)
    label = graphene.String(required=True)
    group = graphene.String(required=True)
    scope = graphene.String(required=True, description="Where it may stand: shopper, "
                                                       "address, item or order.")
    children_scope = graphene.String(description="Containers: the scope of their children.")
    apply_to = graphene.List(graphene.NonNull(SegmentApplyToEnum), required=True,
                             description="Segments it may be used in.")
    events = graphene.List(graphene.NonNull(graphene.String), required=True)
    fields = graphene.List(graphene.NonNull(ConditionField), required=True)
    description = JSONString(required=True, description="The full description (extra "
                                                        "parameters such as sources).")


class Choice(graphene.ObjectType):
    code = graphene.String(required=True)
    label = graphene.String(required=True)


class DeclaredCustomerField(graphene.ObjectType):
    """A customer attribute or metadata key the merchant declared usable in segments."""

    source = graphene.String(required=True, description="attribute, metadata or "
                                                        "private_metadata")
    key = graphene.String(required=True)
    label = graphene.String()
    type = graphene.String(required=True)
    choices = graphene.List(graphene.NonNull(graphene.String))


class SegmentConditionKinds(graphene.ObjectType):
    format_version = graphene.Int(required=True)
    aggregators = graphene.List(graphene.NonNull(graphene.String), required=True)
    max_depth = graphene.Int(required=True)
    max_conditions = graphene.Int(required=True)
    groups = graphene.List(graphene.NonNull(Choice), required=True)
    kinds = graphene.List(graphene.NonNull(ConditionKind), required=True)
    declared_fields = graphene.List(graphene.NonNull(DeclaredCustomerField), required=True)
    countries = graphene.List(graphene.NonNull(Choice), required=True)
    order_statuses = graphene.List(graphene.NonNull(Choice), required=True)
    customer_types = graphene.List(graphene.NonNull(Choice), required=True,
                                   description="Saleor customer types (code: their ID).")


class SegmentPreviewMember(graphene.ObjectType):
    customer_id = graphene.ID(required=True)
    email = graphene.String()
    first_name = graphene.String()
    last_name = graphene.String()


class SegmentPreview(graphene.ObjectType):
    size = graphene.Int(description="Customers + visitors who match now; null when the "
                                    "time budget was exceeded.")
    customers = graphene.Int()
    visitors = graphene.Int()
    sample = graphene.List(graphene.NonNull(SegmentPreviewMember), required=True)
    budget_exceeded = graphene.Boolean(required=True)
    milliseconds = graphene.Int(required=True)
    errors = graphene.List(graphene.NonNull(SegmentError), required=True,
                           description="Problems of the definition (then nothing ran).")


class ExplainedNode(graphene.ObjectType):
    path = graphene.String(required=True, description="Where in the tree: '' is the root "
                                                      "group, then conditions[i]...")
    kind = graphene.String(required=True)
    met = graphene.Boolean(required=True)
    value = JSONString(description="The value the condition compared, when it has one "
                                   "(a field, a count, a total...).")
    inside = graphene.String(description="For nodes inside a container: the container's "
                                         "path (met = some address/product/order meets it).")


class SegmentExplanation(graphene.ObjectType):
    segment = graphene.Field("saleor_segments.graphql.segments.types.Segment", required=True)
    customer_id = graphene.ID(required=True)
    matches = graphene.Boolean(required=True, description="Meets the conditions now.")
    is_member = graphene.Boolean(required=True, description="Stored as a member now.")
    nodes = graphene.List(graphene.NonNull(ExplainedNode), required=True)
