"""Standalone mode: the engine without Saleor, against Saleor-compatible tables."""
