"""EMA operator console (PySide6 + qasync): built in a later issue; the package exists so the
distribution already has its final shape."""
