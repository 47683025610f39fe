"""Operator roles and what each may do (BRIEF section 5).

The server enforces this table on every endpoint; the console only hides what it forbids.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    HOTLINE = "hotline"
    TECHNICIAN = "technician"
    PRIVACY_OFFICER = "privacy_officer"
    ADMIN = "admin"


class Permission(StrEnum):
    VIEW_CUSTOMERS = "customers.view"
    """Search and view customers, devices and telemetry."""
    EDIT_CUSTOMER_CONTACTS = "customers.edit_contacts"
    RESTRICT_CUSTOMERS = "customers.restrict"
    """Restrict or block a customer account."""
    WORK_TICKETS = "tickets.work"
    """Create, update and comment tickets."""
    SIMPLE_REMOTE_ACTIONS = "devices.simple_actions"
    """Reset, unlock, trigger message."""
    ADVANCED_REMOTE_ACTIONS = "devices.advanced_actions"
    """Configuration, diagnostics, firmware, availability."""
    HANDLE_PRIVACY = "privacy.handle"
    """View and handle privacy requests, exports and erasure."""
    VIEW_AUDIT = "audit.view"
    ADMINISTER = "admin.manage"
    """Operators, roles, retention settings, station registration."""


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.HOTLINE: frozenset(
        {P.VIEW_CUSTOMERS, P.EDIT_CUSTOMER_CONTACTS, P.WORK_TICKETS, P.SIMPLE_REMOTE_ACTIONS}
    ),
    Role.TECHNICIAN: frozenset(
        {P.VIEW_CUSTOMERS, P.WORK_TICKETS, P.SIMPLE_REMOTE_ACTIONS, P.ADVANCED_REMOTE_ACTIONS}
    ),
    Role.PRIVACY_OFFICER: frozenset(
        {
            P.VIEW_CUSTOMERS,
            P.EDIT_CUSTOMER_CONTACTS,
            P.RESTRICT_CUSTOMERS,
            P.WORK_TICKETS,
            P.HANDLE_PRIVACY,
            P.VIEW_AUDIT,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def permissions_for(roles: Iterable[Role | str]) -> frozenset[Permission]:
    """Union of the permissions of every role an operator holds."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)


# What a change-feed or event scope needs: privacy requests are visible only to those who
# handle them; everything else in the feed is customer service data every role may view.
SCOPE_PERMISSION: dict[str, Permission] = {
    "general": P.VIEW_CUSTOMERS,
    "privacy": P.HANDLE_PRIVACY,
}

# Scopes only for those WITHOUT a permission: "withheld" carries the tombstones that make the
# consoles of hotline and technicians drop a customer's records when its data is restricted
# (Art. 18), which privacy officers' consoles must keep (ema_server/privacy/visibility.py).
SCOPE_UNLESS: dict[str, Permission] = {
    "withheld": P.HANDLE_PRIVACY,
}


def visible_scopes(permissions: Iterable[Permission]) -> list[str]:
    granted = set(permissions)
    scopes = {scope for scope, needed in SCOPE_PERMISSION.items() if needed in granted}
    if P.VIEW_CUSTOMERS in granted:
        scopes |= {scope for scope, excluded in SCOPE_UNLESS.items() if excluded not in granted}
    return sorted(scopes)
