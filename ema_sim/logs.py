"""The simulator's loggers, and the filter that keeps station passwords out of every log line.

``ema_sim``: connections, boots, faults (INFO), refusals (WARNING). ``ema_sim.frames``: every OCPP
frame in and out (INFO, through the ocpp package's ChargePoint). ``ema_sim.websockets``: the
WebSocket library's own log, which at DEBUG would show the handshake's Authorization header.
"""

from __future__ import annotations

import logging
from typing import Final

__all__ = ["FRAMES", "LOG", "WEBSOCKETS", "RedactSecrets"]

LOG: Final = logging.getLogger("ema_sim")
FRAMES: Final = logging.getLogger("ema_sim.frames")
WEBSOCKETS: Final = logging.getLogger("ema_sim.websockets")
REDACTED: Final = "[redacted]"
# Configuration keys / variables whose values are station passwords (security profile 1).
SECRET_NAMES: Final = ("AuthorizationKey", "BasicAuthPassword")


class RedactSecrets(logging.Filter):
    """Blanks HTTP Authorization header values and frames that set a station password."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args:
            if len(args) == 2 and isinstance(args[0], str) and args[0].lower() in ("authorization", "www-authenticate"):
                record.args = (args[0], REDACTED)
            elif any(isinstance(a, str) and any(name in a for name in SECRET_NAMES) for a in args):
                record.args = tuple(
                    REDACTED if isinstance(a, str) and any(name in a for name in SECRET_NAMES) else a for a in args
                )
        return True


_redact = RedactSecrets()
FRAMES.addFilter(_redact)
WEBSOCKETS.addFilter(_redact)
