"""Builder support: condition kinds, preview of an unsaved definition, explain (MANAGE_USERS)."""

import graphene
from django.db import connection
from django_countries import countries

from ... import models
from ...conditions import (
    FORMAT_VERSION,
    ApplyTo,
    ConditionValidationError,
    all_kinds,
    parse_tree,
)
from ...conditions.ast import MAX_DEPTH, MAX_NODES
from ...conditions.orders import STATUSES
from ...evaluation.explain import explain_customer
from ...membership.preview import DEFAULT_BUDGET_MS, MAX_BUDGET_MS, preview
from ...services.segments import validation_context
from ..context import Permission, permission_required
from ..core.errors import InputError, SegmentError
from ..core.ids import decode, global_id
from ..core.scalars import JSONString
from ..segments.enums import SegmentApplyToEnum
from ..segments.mutations import channel_id
from .types import (
    Choice,
    ConditionField,
    ConditionKind,
    ConditionOperator,
    DeclaredCustomerField,
    ExplainedNode,
    SegmentConditionKinds,
    SegmentExplanation,
    SegmentPreview,
    SegmentPreviewMember,
)

GROUPS = [("customer", "Customer"), ("address", "Address"), ("cart", "Shopping cart"),
          ("products", "Products"), ("sales", "Sales"), ("segments", "Segments")]
MAX_SAMPLE = 50


def kind_type(cls) -> ConditionKind:
    info = cls.describe()
    if info["registeredOnly"]:
        apply_to = [ApplyTo.CUSTOMERS.value]
    else:
        apply_to = [a.value for a in ApplyTo]
    fields = [ConditionField(name=name, type=f["type"], object=f.get("object"),
                             choices=f.get("choices"),
                             operators=[ConditionOperator(name=o["name"], label=o.get("label"))
                                        for o in f["operators"]])
              for name, f in info["fields"].items()]
    return ConditionKind(kind=info["kind"], label=info["label"], group=info["group"],
                         scope=info["scope"], children_scope=info["childrenScope"],
                         apply_to=apply_to, events=info["events"], fields=fields,
                         description=info)


class BuilderQueries(graphene.ObjectType):
    segment_condition_kinds = graphene.Field(
        SegmentConditionKinds,
        description="Everything a visual builder offers. Requires MANAGE_USERS.")
    segment_preview = graphene.Field(
        SegmentPreview, conditions=JSONString(required=True),
        channel=graphene.ID(required=True), apply_to=SegmentApplyToEnum(),
        sample_size=graphene.Int(), time_budget_ms=graphene.Int(),
        description="Size and a sample for an unsaved definition, within a time budget "
                    "(1 to 30000 ms, default 3000). Requires MANAGE_USERS.")
    segment_explain = graphene.Field(
        SegmentExplanation, segment=graphene.ID(required=True),
        customer=graphene.ID(required=True),
        description="For each node of the tree, whether this customer meets it and the value "
                    "that decided it. Requires MANAGE_USERS.")

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_condition_kinds(_root, info):
        kinds = sorted(all_kinds().values(), key=lambda k: ([g for g, _ in GROUPS].index(
            k.group) if k.group in dict(GROUPS) else 99, k.kind))
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name FROM account_customertype ORDER BY name, id")
            customer_types = [Choice(code=global_id("CustomerType", pk), label=name)
                              for pk, name in cursor.fetchall()]
        return SegmentConditionKinds(
            format_version=FORMAT_VERSION, aggregators=["all", "any"], max_depth=MAX_DEPTH,
            max_conditions=MAX_NODES, groups=[Choice(code=c, label=label) for c, label in GROUPS],
            kinds=[kind_type(k) for k in kinds],
            declared_fields=[DeclaredCustomerField(source=f.source, key=f.key,
                                                   label=f.label or f.key, type=f.value_type,
                                                   choices=f.choices or None)
                             for f in models.CustomerField.objects.order_by("source", "key")],
            countries=[Choice(code=code, label=str(name)) for code, name in countries],
            order_statuses=[Choice(code=s, label=s.replace("_", " ").capitalize())
                            for s in STATUSES],
            customer_types=customer_types)

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_preview(_root, info, conditions, channel, apply_to=None,
                                sample_size=None, time_budget_ms=None):
        apply_to = ApplyTo(apply_to or ApplyTo.CUSTOMERS.value)
        sample_size = 10 if sample_size is None else sample_size
        budget = DEFAULT_BUDGET_MS if time_budget_ms is None else time_budget_ms
        try:
            if not 0 <= sample_size <= MAX_SAMPLE:
                raise InputError.one("sampleSize", "invalid",
                                     f"sampleSize must be between 0 and {MAX_SAMPLE}.")
            if not 1 <= budget <= MAX_BUDGET_MS:
                raise InputError.one("timeBudgetMs", "invalid", "timeBudgetMs must be between "
                                                                f"1 and {MAX_BUDGET_MS}.")
            channel_pk = channel_id(channel)
            tree = parse_tree(conditions, validation_context(apply_to))
        except ConditionValidationError as exc:
            return _preview_errors(InputError.from_conditions(exc))
        except InputError as exc:
            return _preview_errors(exc)
        result = preview(tree, channel_pk, apply_to, sample=sample_size, budget_ms=budget)
        users = {}
        if result.sample_customer_ids:
            with connection.cursor() as cursor:
                cursor.execute("SELECT id, email, first_name, last_name FROM account_user "
                               "WHERE id = ANY(%s)", [result.sample_customer_ids])
                users = {r[0]: r for r in cursor.fetchall()}
        sample = [SegmentPreviewMember(customer_id=global_id("User", pk), email=users[pk][1],
                                       first_name=users[pk][2], last_name=users[pk][3])
                  for pk in result.sample_customer_ids if pk in users]
        answer = SegmentPreview(size=result.size, customers=result.customers,
                                visitors=result.visitors, sample=sample,
                                budget_exceeded=result.budget_exceeded,
                                milliseconds=result.milliseconds, errors=[])
        answer.planned = (tree, channel_pk, apply_to)  # for ``cost``, when it is asked for
        return answer

    @staticmethod
    @permission_required(Permission.MANAGE_USERS)
    def resolve_segment_explain(_root, info, segment, customer):
        seg = models.Segment.objects.filter(pk=decode(segment, "Segment", "segment")).first()
        if seg is None:
            raise InputError.one("segment", "not_found", f"Segment {segment!r} does not exist.")
        customer_pk = decode(customer, "User", "customer")
        if "customer" not in ApplyTo(seg.apply_to).subjects:
            raise InputError.one("segment", "invalid", "This segment applies to visitors only.")
        try:
            nodes = explain_customer(seg, customer_pk)
        except LookupError:
            raise InputError.one("customer", "not_found",
                                 f"Customer {customer!r} does not exist.") from None
        return SegmentExplanation(
            segment=seg, customer_id=global_id("User", customer_pk), matches=nodes[0].met,
            is_member=models.CustomerMembership.objects.filter(
                segment=seg, customer_id=customer_pk).exists(),
            nodes=[ExplainedNode(path=n.path, kind=n.kind, met=n.met, value=n.value,
                                 inside=n.inside) for n in nodes])


def _preview_errors(exc: InputError) -> SegmentPreview:
    return SegmentPreview(size=None, sample=[], budget_exceeded=False, milliseconds=0,
                          errors=[SegmentError(**e) for e in exc.errors])
