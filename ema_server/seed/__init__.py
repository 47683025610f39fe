"""Deterministic, Czech-realistic demo data for demos, tests and benchmarks."""
