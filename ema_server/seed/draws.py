"""Shared ground of the demo planners: random ids and times drawn relative to the moment of seeding.

Determinism: the data is laid out relative to the moment of seeding, so every draw whose *number*
of random calls could depend on that moment (a randint over a span of calendar days, a loop cut
short by a date) is written to make a fixed number of calls instead; otherwise a seed made in the
morning would give other customers than the same seed in the evening.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from ema_server.db.models import Base

Rows = dict[type[Base], list[dict[str, Any]]]
"""Rows of several tables: {model: [{column key: value}]}."""

_VERSION_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4 = (0x4000 << 64) | (0x8000 << 48)


def new_uuid(rng: random.Random) -> str:
    """``str(uuid.UUID(int=rng.getrandbits(128), version=4))``, without building the object:
    the large demo makes millions of ids."""
    value = (rng.getrandbits(128) & _VERSION_CLEAR) | _VERSION_4
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Draws:
    """A random stream and the moment the demo is laid out around."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = now.date()

    def _ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(seconds=int(self.rng.uniform(low_days, high_days) * 86400))

    def _between(self, start: datetime, end: datetime) -> datetime:
        span = max(0, int((end - start).total_seconds()))
        return start + timedelta(seconds=int(self.rng.random() * span))
