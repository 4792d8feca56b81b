"""What a visual condition builder needs, previews and explanations."""

import dataclasses

import graphene

from ...evaluation.cost import estimate_cost
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


class SegmentCostWarning(graphene.ObjectType):
    path = graphene.String(required=True, description="The condition: conditions[i]...")
    kind = graphene.String(required=True)
    reason = graphene.String(required=True, description="What makes it expensive (from the "
                                                        "planner's plan).")
    hint = graphene.String(required=True, description="How to make it cheaper.")
    estimated_cost = graphene.Float(required=True, description="The planner's cost of this "
                                                               "condition alone.")


class SegmentCost(graphene.ObjectType):
    estimated_cost = graphene.Float(required=True, description="PostgreSQL's estimated total "
                                                               "cost (its own units).")
    estimated_rows = graphene.Float(required=True, description="Shoppers PostgreSQL expects "
                                                               "to match.")
    expensive = graphene.List(graphene.NonNull(SegmentCostWarning), required=True,
                              description="Conditions whose plan reads a large table from "
                                          "start to end.")
    budget_exceeded = graphene.Boolean(required=True, description="Planning ran out of time "
                                                                  "(no figures).")


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
    cost = graphene.Field(SegmentCost, description="The planner's estimate (EXPLAIN, nothing "
                                                   "runs) and the conditions that make the "
                                                   "segment expensive; null on errors.")

    @staticmethod
    def resolve_cost(root, _info):
        planned = getattr(root, "planned", None)  # (tree, channel id, apply to)
        if planned is None:
            return None
        cost = estimate_cost(*planned)
        return SegmentCost(estimated_cost=cost.estimated_cost,
                           estimated_rows=cost.estimated_rows,
                           budget_exceeded=cost.budget_exceeded,
                           expensive=[SegmentCostWarning(**dataclasses.asdict(w))
                                      for w in cost.expensive])


class SegmentConditionsText(graphene.ObjectType):
    conditions = JSONString(description="The condition tree as JSON (the shape of "
                                        "`Segment.conditions`), normalised; null on errors.")
    text = graphene.String(description="The tree in the segment query language, as the "
                                       "API prints it; null on errors.")
    errors = graphene.List(graphene.NonNull(SegmentError), required=True,
                           description="Every problem: `line`/`column` point into the text.")


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
