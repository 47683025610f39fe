"""EMA backend: REST API, live events and (later) the OCPP endpoint behind the operator console."""

__version__ = "0.1.0"
