"""Restriction, consent, recipients and their notices (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["privacy"])
