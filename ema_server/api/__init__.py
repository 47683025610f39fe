"""The REST API under /api/v1: one router module per resource."""

from fastapi import APIRouter, Depends

from ema_server.api import (
    audit,
    auth,
    changes,
    commands,
    customers,
    devices,
    events,
    operators,
    privacy,
    stations,
    tickets,
)
from ema_server.api.context import storable_parameters

router = APIRouter(dependencies=[Depends(storable_parameters)])
for module in (auth, customers, devices, commands, stations, tickets, privacy, changes, events, operators, audit):
    router.include_router(module.router)

__all__ = ["router"]
