"""What comes in from the shop: shopper events and what they re-check (``shop_events``), the
activity Saleor does not record (``activity``, ``storefront``) and the sweep for checkouts
removed behind the plugin's back (``sweep``). Imports only the engine."""
