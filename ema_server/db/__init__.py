"""Database layer: SQLAlchemy tables, engines and sessions, change feed, audit chain, migrations."""
