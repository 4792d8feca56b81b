"""Customer segments for Saleor: rule-defined, always-current groups of shoppers."""

__version__ = "0.1.0"
