"""Order promotions and vouchers limited to segments (MANAGE_DISCOUNTS)."""

import uuid

import graphene

from ... import discounts, models
from ..context import Permission, permission_required
from ..core.errors import InputError, SegmentError
from ..core.ids import decode, saleor_row
from ..core.mutations import BaseMutation
from ..segments.mutations import segment_pks
from ..segments.types import Segment

def promotion_id(value, field="promotion") -> str:
    pk = decode(value, "Promotion", field, pk=lambda raw: str(uuid.UUID(raw)))
    (kind,) = saleor_row("discount_promotion", pk, field, f"Promotion {value!r}", "type")
    if kind != "order":
        raise InputError.one(field, "invalid", "Only order promotions can be limited to "
                                               "segments (catalogue prices are the same for "
                                               "every shopper in Saleor).")
    return pk


def voucher_id(value, field="voucher") -> str:
    pk = decode(value, "Voucher", field)
    saleor_row("discount_voucher", pk, field, f"Voucher {value!r}")
    return str(pk)


def restricted_segments(kind, discount_id):
    ids = discounts.restriction(kind, discount_id)
    return None if ids is None else list(models.Segment.objects.filter(pk__in=ids))


class DiscountSegmentsSet(BaseMutation):
    permissions = (Permission.MANAGE_DISCOUNTS,)
    error_type = SegmentError
    errors = graphene.List(graphene.NonNull(SegmentError), required=True)
    restricted = graphene.Boolean(description="False when the list was empty (no limit).")
    segments = graphene.List(graphene.NonNull(Segment))
    kind = ""

    class Meta:
        abstract = True

    @classmethod
    def set(cls, discount_id, segments):
        ids = segment_pks(segments)
        discounts.set_segments(cls.kind, discount_id, ids)
        return cls(restricted=bool(ids), segments=restricted_segments(cls.kind, discount_id)
                   or [], errors=[])


SEGMENTS_ARGUMENT = "Its members only; [] lifts the limit."


class PromotionSegmentsSet(DiscountSegmentsSet):
    kind = discounts.PROMOTION

    class Arguments:
        promotion = graphene.ID(required=True, description="A Saleor order promotion.")
        segments = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                 description=SEGMENTS_ARGUMENT)

    class Meta:
        description = "Limit a order promotion to members of segments. Requires MANAGE_DISCOUNTS."

    @classmethod
    def perform(cls, info, promotion, segments):
        return cls.set(promotion_id(promotion), segments)


class VoucherSegmentsSet(DiscountSegmentsSet):
    kind = discounts.VOUCHER

    class Arguments:
        voucher = graphene.ID(required=True, description="A Saleor voucher.")
        segments = graphene.List(graphene.NonNull(graphene.ID), required=True,
                                 description=SEGMENTS_ARGUMENT)

    class Meta:
        description = "Limit a voucher to members of segments. Requires MANAGE_DISCOUNTS."

    @classmethod
    def perform(cls, info, voucher, segments):
        return cls.set(voucher_id(voucher), segments)


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


class DiscountQueries(graphene.ObjectType):
    promotion_segments = graphene.List(
        graphene.NonNull(Segment), promotion=graphene.ID(required=True),
        description="The segments an order promotion is limited to (null: no limit). "
                    "Requires MANAGE_DISCOUNTS.")
    voucher_segments = graphene.List(
        graphene.NonNull(Segment), voucher=graphene.ID(required=True),
        description="The segments a voucher is limited to (null: no limit). "
                    "Requires MANAGE_DISCOUNTS.")
    discount_segment_dry_run = graphene.Field(
        DiscountSegmentDryRun, promotion=graphene.ID(), voucher=graphene.ID(),
        segments=graphene.List(graphene.NonNull(graphene.ID), description=(
            "Count as if limited to these segments (empty: no limit), without saving.")),
        description="How many customers a limited promotion or voucher reaches now, and their "
                    "share of the store's customers. Requires MANAGE_DISCOUNTS.")

    @staticmethod
    @permission_required(Permission.MANAGE_DISCOUNTS)
    def resolve_promotion_segments(_root, info, promotion):
        return restricted_segments(discounts.PROMOTION, promotion_id(promotion))

    @staticmethod
    @permission_required(Permission.MANAGE_DISCOUNTS)
    def resolve_voucher_segments(_root, info, voucher):
        return restricted_segments(discounts.VOUCHER, voucher_id(voucher))

    @staticmethod
    @permission_required(Permission.MANAGE_DISCOUNTS)
    def resolve_discount_segment_dry_run(_root, info, promotion=None, voucher=None,
                                         segments=None):
        if (promotion is None) == (voucher is None):
            raise InputError.one("promotion", "required", "Give a promotion or a voucher.")
        choice = discounts.SAVED if segments is None else segment_pks(segments)
        if promotion is not None:
            result = discounts.dry_run(discounts.PROMOTION, promotion_id(promotion), choice)
        else:
            result = discounts.dry_run(discounts.VOUCHER, voucher_id(voucher), choice)
        return DiscountSegmentDryRun(restricted=result.restricted, members=result.members,
                                     eligible_customers=result.eligible_customers,
                                     customers=result.customers, share=result.share)


class DiscountMutations(graphene.ObjectType):
    promotion_segments_set = PromotionSegmentsSet.Field()
    voucher_segments_set = VoucherSegmentsSet.Field()
