"""Retention settings and runs, legal holds (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["privacy"])
