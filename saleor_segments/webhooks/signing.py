"""HMAC-SHA256 signatures of deliveries to a target URL (a Saleor App gets Saleor's JWS).

The signed text is ``<timestamp>.<raw body>``: a receiver recomputes it with the
subscription's secret, compares in constant time, and refuses a timestamp older than a few
minutes (a replayed delivery). ``verify`` is that check, for receivers written in Python."""

from __future__ import annotations

import hashlib
import hmac

EVENT = "segment_membership_changed"
EVENT_HEADER = "X-Segments-Event"
DELIVERY_HEADER = "X-Segments-Delivery"
SIGNATURE_HEADER = "X-Segments-Signature"
TIMESTAMP_HEADER = "X-Segments-Timestamp"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def hmac_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, body)}


def verify(secret: str, headers, body: bytes, now: float,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """Whether a delivery's headers (a mapping; names in any case) sign ``body`` with
    ``secret`` at a time within ``tolerance`` seconds of ``now`` (unix time)."""
    headers = {str(name).lower(): value for name, value in headers.items()}
    try:
        timestamp = int(headers.get(TIMESTAMP_HEADER.lower(), ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    given = headers.get(SIGNATURE_HEADER.lower()) or ""
    return hmac.compare_digest(given, signature(secret, timestamp, body))
