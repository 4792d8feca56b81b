"""Engine: creating, changing and deleting segments and declaring customer fields (validation
first, then one transaction). Imports only the engine (conditions, evaluation, membership)."""
