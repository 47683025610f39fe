"""Access and portability packages (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["privacy"])
