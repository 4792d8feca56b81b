"""Declare a customer field for use in segments, or withdraw it (MANAGE_USERS)."""

import graphene

from ...services.customer_fields import (
    CustomerFieldError,
    FieldInfo,
    declare_field,
    field_info,
    withdraw_field,
)
from ..context import Permission
from ..core.ids import global_id
from ..core.mutations import BaseMutation
from .inputs import SegmentCustomerFieldInput
from .types import (
    SegmentCustomerField,
    SegmentCustomerFieldError,
    SegmentCustomerFieldSource,
)


def _enum_value(value):
    return getattr(value, "value", value)


class CustomerFieldMutation(BaseMutation):
    permissions = (Permission.MANAGE_USERS,)
    error_type = SegmentCustomerFieldError
    errors = graphene.List(graphene.NonNull(SegmentCustomerFieldError), required=True)
    customer_field = graphene.Field(SegmentCustomerField)

    class Meta:
        abstract = True

    @classmethod
    def run(cls, action, **kwargs):
        """The payload of ``action`` (a service call), or its problems as ``errors``."""
        try:
            declared = action(**kwargs)
        except CustomerFieldError as exc:
            return cls(errors=[SegmentCustomerFieldError(
                field=p.field, code=p.code, message=p.message,
                segments=[global_id("Segment", pk) for pk in p.segments] or None)
                for p in exc.problems])
        info = field_info(declared.source, declared.key) or FieldInfo(
            source=declared.source, key=declared.key, name=declared.key)
        return cls(customer_field=info, errors=[])


class SegmentCustomerFieldDeclare(CustomerFieldMutation):
    class Arguments:
        input = SegmentCustomerFieldInput(required=True)

    class Meta:
        description = ("Declare a customer attribute or metadata key for use in customer "
                       "segments (or change its label, choices, or its type while no segment "
                       "uses it). Requires MANAGE_USERS.")

    @classmethod
    def perform(cls, info, input):
        return cls.run(declare_field, source=_enum_value(input.source), key=input.key,
                       value_type=_enum_value(input.type), label=input.get("label"),
                       choices=input.get("choices"))


class SegmentCustomerFieldWithdraw(CustomerFieldMutation):
    class Arguments:
        source = SegmentCustomerFieldSource(required=True)
        key = graphene.String(required=True)

    class Meta:
        description = ("Withdraw a declared customer field; refused (IN_USE, naming them) while "
                       "segments use it. Requires MANAGE_USERS.")

    @classmethod
    def perform(cls, info, source, key):
        return cls.run(withdraw_field, source=_enum_value(source), key=key)


class CustomerFieldMutations(graphene.ObjectType):
    segment_customer_field_declare = SegmentCustomerFieldDeclare.Field()
    segment_customer_field_withdraw = SegmentCustomerFieldWithdraw.Field()
