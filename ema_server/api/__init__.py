"""The REST API under /api/v1: one router module per resource."""

from fastapi import APIRouter, Depends

from ema_server.api import (
    audit,
    auth,
    changes,
    commands,
    customers,
    data_protection,
    devices,
    erasure,
    events,
    operators,
    privacy,
    privacy_packages,
    restrictions,
    retention,
    stations,
    tickets,
)
from ema_server.api.context import storable_parameters

router = APIRouter(dependencies=[Depends(storable_parameters)])
for module in (auth, customers, devices, commands, stations, tickets, privacy, privacy_packages, erasure,
               data_protection, restrictions, retention, changes, events, operators, audit):
    router.include_router(module.router)

__all__ = ["router"]
