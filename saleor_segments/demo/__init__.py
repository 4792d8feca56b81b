"""The demo store (standalone mode): realistic generated data and example segments."""
