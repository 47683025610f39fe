"""Art. 18 restriction of a customer's data: placing it, telling the subject before lifting it,
lifting it (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["privacy"])
