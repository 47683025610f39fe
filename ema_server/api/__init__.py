"""The REST API under /api/v1: one router module per resource."""

from fastapi import APIRouter

from ema_server.api import auth

router = APIRouter()
router.include_router(auth.router)

__all__ = ["router"]
