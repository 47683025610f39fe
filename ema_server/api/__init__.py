"""The REST API under /api/v1: one router module per resource."""

from fastapi import APIRouter

from ema_server.api import audit, auth, changes, customers, devices, events, operators, privacy, tickets

router = APIRouter()
for module in (auth, customers, devices, tickets, privacy, changes, events, operators, audit):
    router.include_router(module.router)

__all__ = ["router"]
