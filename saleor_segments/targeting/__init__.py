"""What segments are used for: discounts limited to segments, content blocks and related
products for a shopper. Imports only the engine (``reports/`` follows the same rule)."""
