"""The reference evaluator: the rules of README, in plain Python, for tests only."""
