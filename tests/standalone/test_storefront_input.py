"""The storefront helpers answer bad input with a StorefrontError (the activity route's 400),
never a database error: PostgreSQL refuses NUL characters in text."""

import pytest

from saleor_segments.intake.storefront import StorefrontError, channel_by_slug, visitor_checkout

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["default\x00channel", "\x00"])
def test_a_channel_slug_with_nul_is_invalid_input(slug):
    with pytest.raises(StorefrontError) as caught:
        channel_by_slug(slug)
    assert (caught.value.field, caught.value.code) == ("channel", "INVALID")


def test_a_checkout_token_with_nul_is_refused():
    with pytest.raises(StorefrontError):
        visitor_checkout("5b4d2d5c-0000-4000-8000-00000000000\x00")
