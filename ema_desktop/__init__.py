"""EMA operator console: the desktop application with which SECTRON's operators find customers,
watch their stations live, work tickets and answer privacy requests (PySide6 on qasync)."""

__version__ = "0.1.0"
