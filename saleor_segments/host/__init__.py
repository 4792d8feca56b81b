"""The only part of saleor_segments that imports Saleor: the plugin and its adapters."""
