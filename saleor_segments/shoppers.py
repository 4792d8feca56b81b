"""Which active segments a shopper is in now (answered by the membership engine)."""

from .membership.tables import segments_of

__all__ = ["segments_of"]
