"""Customer fields for segments: list Saleor's customer attributes and metadata keys, declare
or withdraw one (MANAGE_USERS)."""
