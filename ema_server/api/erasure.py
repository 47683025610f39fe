"""Erasure plans, executed erasures, reports and letters (issue 7)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["privacy"])
