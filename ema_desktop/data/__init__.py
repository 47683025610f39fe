"""The one data-access layer the panes' models read and write through (today the server, next a local store)."""
