"""The console's encrypted local store: what the operator may see, kept on disk under SQLCipher so
the panes show data at once and keep working offline, the sync that keeps it current, and the
outbox that holds the operator's writes until the server has them.

Plain asyncio and SQLAlchemy, no Qt: every database call runs on the store's own worker thread.
"""
