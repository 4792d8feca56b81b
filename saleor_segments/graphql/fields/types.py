"""Customer fields as the API shows them, and their errors."""

import graphene

from ...services.customer_fields import FieldInfo
from ..core.ids import global_id
from ..segments.types import Segment

SegmentCustomerFieldSource = graphene.Enum("SegmentCustomerFieldSource", [
    ("ATTRIBUTE", "attribute"), ("METADATA", "metadata"),
    ("PRIVATE_METADATA", "private_metadata")])

SegmentCustomerFieldType = graphene.Enum("SegmentCustomerFieldType", [
    ("STRING", "string"), ("NUMBER", "number"), ("DATE", "date"), ("BOOLEAN", "boolean")])

SegmentCustomerFieldErrorCode = graphene.Enum("SegmentCustomerFieldErrorCode", [
    ("GRAPHQL_ERROR", "graphql_error"), ("REQUIRED", "required"), ("INVALID", "invalid"),
    ("NOT_FOUND", "not_found"), ("INCOMPATIBLE_TYPE", "incompatible_type"),
    ("IN_USE", "in_use")])


class SegmentCustomerFieldError(graphene.ObjectType):
    field = graphene.String(description="The input field the error is about.")
    code = graphene.Field(SegmentCustomerFieldErrorCode, required=True)
    message = graphene.String()
    segments = graphene.List(graphene.NonNull(graphene.ID), description="IN_USE: the segments "
                                                                         "that use the field.")


class SegmentCustomerField(graphene.ObjectType):
    """A customer attribute or metadata key, and whether it is declared for use in segments."""

    source = graphene.Field(SegmentCustomerFieldSource, required=True)
    key = graphene.String(required=True, description="The attribute's slug, or the metadata key.")
    name = graphene.String(required=True, description="The attribute's name, or the key.")
    attribute = graphene.ID(description="The Saleor attribute (attributes only).")
    input_type = graphene.String(description="The attribute's input type (attributes only).")
    customers = graphene.Int(required=True, description="Customers that have a value for it.")
    allowed_types = graphene.List(graphene.NonNull(SegmentCustomerFieldType), required=True,
                                  description="The types it may be declared as.")
    suggested_type = graphene.Field(SegmentCustomerFieldType, required=True,
                                    description="From the attribute's input type, or from a "
                                                "sample of the metadata values.")
    declared = graphene.Boolean(required=True,
                                description="Declared for use in customer segments.")
    type = graphene.Field(SegmentCustomerFieldType, description="The declared type.")
    label = graphene.String(description="The declared label.")
    choices = graphene.List(graphene.NonNull(graphene.String),
                            description="The declared choices, or the attribute's values.")
    used_by_segments = graphene.List(graphene.NonNull(Segment), required=True,
                                     description="Segments whose conditions use it.")

    @staticmethod
    def resolve_attribute(root: FieldInfo, _info):
        return None if root.attribute_id is None else global_id("Attribute", root.attribute_id)

    @staticmethod
    def resolve_declared(root: FieldInfo, _info):
        return root.declared is not None

    @staticmethod
    def resolve_type(root: FieldInfo, _info):
        return None if root.declared is None else root.declared.value_type

    @staticmethod
    def resolve_label(root: FieldInfo, _info):
        return None if root.declared is None else root.declared.label or root.key

    @staticmethod
    def resolve_used_by_segments(root: FieldInfo, _info):
        return root.used_by
