"""Alembic migrations of the EMA database (run by `ema-server migrate` and at `serve`)."""
