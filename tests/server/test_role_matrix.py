"""Every endpoint x every role, allowed and denied, exactly as BRIEF §5 says.

The table below is the contract; a new endpoint that is not in it fails the first test, so nobody
adds an endpoint without deciding who may call it."""

from __future__ import annotations

import uuid

import httpx

from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.domain.permissions import ROLE_PERMISSIONS, Permission, Role
from tests.conftest import SignIn

P = Permission
PUBLIC = "public"
SIGNED_IN = "signed-in"

ENDPOINTS: dict[tuple[str, str], Permission | str] = {
    ("POST", "/auth/login"): PUBLIC,
    ("POST", "/auth/refresh"): PUBLIC,
    ("GET", "/auth/me"): SIGNED_IN,
    ("POST", "/auth/logout"): SIGNED_IN,
    ("GET", "/changes"): SIGNED_IN,
    ("GET", "/events"): SIGNED_IN,
    ("GET", "/customers"): P.VIEW_CUSTOMERS,
    ("POST", "/customers"): P.EDIT_CUSTOMER_CONTACTS,
    ("GET", "/customers/{customer_id}"): P.VIEW_CUSTOMERS,
    ("PATCH", "/customers/{customer_id}"): P.EDIT_CUSTOMER_CONTACTS,
    ("POST", "/customers/{customer_id}/status"): P.RESTRICT_CUSTOMERS,
    ("POST", "/customers/{customer_id}/contacts"): P.EDIT_CUSTOMER_CONTACTS,
    ("PATCH", "/customers/{customer_id}/contacts/{contact_id}"): P.EDIT_CUSTOMER_CONTACTS,
    ("DELETE", "/customers/{customer_id}/contacts/{contact_id}"): P.EDIT_CUSTOMER_CONTACTS,
    ("POST", "/customers/{customer_id}/restriction"): P.HANDLE_PRIVACY,
    ("POST", "/customers/{customer_id}/restriction/notice"): P.HANDLE_PRIVACY,
    ("POST", "/customers/{customer_id}/restriction/lift"): P.HANDLE_PRIVACY,
    ("GET", "/customers/{customer_id}/restrictions"): P.HANDLE_PRIVACY,
    ("GET", "/devices"): P.VIEW_CUSTOMERS,
    ("GET", "/devices/{device_id}"): P.VIEW_CUSTOMERS,
    ("GET", "/devices/{device_id}/status-history"): P.VIEW_CUSTOMERS,
    ("GET", "/devices/{device_id}/sessions"): P.VIEW_CUSTOMERS,
    ("GET", "/devices/{device_id}/telemetry"): P.VIEW_CUSTOMERS,
    ("POST", "/devices"): P.ADMINISTER,
    ("PUT", "/devices/{device_id}/ocpp-password"): P.ADMINISTER,
    ("GET", "/devices/{device_id}/ocpp-frames"): P.VIEW_CUSTOMERS,
    ("GET", "/devices/{device_id}/ocpp-frames/export"): P.VIEW_CUSTOMERS,
    ("GET", "/ocpp/unknown-stations"): P.ADMINISTER,
    ("POST", "/ocpp/unknown-stations/{identity}/registration"): P.ADMINISTER,
    ("DELETE", "/ocpp/unknown-stations/{identity}"): P.ADMINISTER,
    # Either remote-action permission opens the endpoint; each action then needs its own
    # (tests/server/test_commands_api.py). Every role holding the advanced one holds the simple one.
    ("POST", "/devices/{device_id}/commands"): P.SIMPLE_REMOTE_ACTIONS,
    ("GET", "/devices/{device_id}/commands"): P.VIEW_CUSTOMERS,
    ("GET", "/commands/catalogue"): SIGNED_IN,
    ("GET", "/tickets"): P.WORK_TICKETS,
    ("POST", "/tickets"): P.WORK_TICKETS,
    ("GET", "/tickets/{ticket_id}"): P.WORK_TICKETS,
    ("PATCH", "/tickets/{ticket_id}"): P.WORK_TICKETS,
    ("POST", "/tickets/{ticket_id}/comments"): P.WORK_TICKETS,
    ("POST", "/tickets/{ticket_id}/attachments"): P.WORK_TICKETS,
    ("GET", "/tickets/{ticket_id}/attachments/{attachment_id}"): P.WORK_TICKETS,
    ("GET", "/privacy-requests"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests"): P.HANDLE_PRIVACY,
    ("GET", "/privacy-requests/{request_id}"): P.HANDLE_PRIVACY,
    ("PATCH", "/privacy-requests/{request_id}"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/identity-request"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/identity-verification"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/extension"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/completion"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/refusal"): P.HANDLE_PRIVACY,
    ("GET", "/privacy/subjects"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/packages"): P.HANDLE_PRIVACY,
    ("GET", "/privacy-requests/{request_id}/packages"): P.HANDLE_PRIVACY,
    ("GET", "/privacy-packages/{package_id}/content"): P.HANDLE_PRIVACY,
    ("GET", "/privacy-requests/{request_id}/erasure-plan"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/erasure"): P.HANDLE_PRIVACY,
    ("GET", "/privacy-requests/{request_id}/erasure"): P.HANDLE_PRIVACY,
    ("GET", "/customers/{customer_id}/consents"): P.VIEW_CUSTOMERS,
    ("POST", "/customers/{customer_id}/consents"): P.EDIT_CUSTOMER_CONTACTS,
    ("GET", "/marketing/audience"): P.ADMINISTER,
    ("GET", "/recipients"): P.HANDLE_PRIVACY,
    ("GET", "/customers/{customer_id}/recipients"): P.HANDLE_PRIVACY,
    ("GET", "/privacy-requests/{request_id}/recipient-notices"): P.HANDLE_PRIVACY,
    ("POST", "/privacy-requests/{request_id}/recipient-notices"): P.HANDLE_PRIVACY,
    ("PATCH", "/recipient-notices/{notice_id}"): P.HANDLE_PRIVACY,
    ("GET", "/retention/policies"): P.HANDLE_PRIVACY,
    ("PUT", "/retention/policies/{category}"): P.ADMINISTER,
    ("POST", "/retention/runs"): P.ADMINISTER,
    ("GET", "/retention/runs"): P.HANDLE_PRIVACY,
    ("GET", "/legal-holds"): P.HANDLE_PRIVACY,
    ("POST", "/legal-holds"): P.HANDLE_PRIVACY,
    ("POST", "/legal-holds/{hold_id}/lift"): P.HANDLE_PRIVACY,
    ("GET", "/operators"): P.ADMINISTER,
    ("GET", "/operators/directory"): P.WORK_TICKETS,
    ("POST", "/operators"): P.ADMINISTER,
    ("GET", "/operators/{operator_id}"): P.ADMINISTER,
    ("PATCH", "/operators/{operator_id}"): P.ADMINISTER,
    ("POST", "/operators/{operator_id}/sessions/revoke"): P.ADMINISTER,
    ("GET", "/audit"): P.VIEW_AUDIT,
    ("GET", "/audit/verify"): P.VIEW_AUDIT,
    ("GET", "/audit/export"): P.VIEW_AUDIT,
}

# Streams answer forever; the in-process transport would wait for the end. Their permission is
# checked against a live server in tests/server/test_events_stream.py.
STREAMS = {("GET", "/events")}


def test_every_endpoint_has_a_decided_permission(db: Database) -> None:
    spec = create_app(db, housekeeping=False).openapi()
    served = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in spec["paths"].items()
        for method in operations
    }
    assert served == set(ENDPOINTS), "decide who may call new endpoints in ENDPOINTS"


def _concrete(path: str) -> str:
    # Ids that exist nowhere: an allowed role gets 404 (or 422), a denied one 403 first.
    parts = [str(uuid.uuid4()) if p.startswith("{") else p for p in path.split("/")]
    return "/".join(parts)


async def _call(client: httpx.AsyncClient, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    url = _concrete(path)
    if path.endswith("/attachments"):
        return await client.post(url, headers=headers, files={"file": ("a.txt", b"hello", "text/plain")})
    if method in {"POST", "PATCH"}:
        return await client.request(method, url, headers={**headers, "If-Match": '"1"'}, json={})
    return await client.request(method, url, headers={**headers, "If-Match": '"1"'})


async def test_each_role_is_allowed_exactly_what_brief_section_5_gives_it(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    mismatches: list[str] = []
    for role in Role:
        operator = await sign_in(role)
        granted = ROLE_PERMISSIONS[role]
        # Logging out ends the session the rest of the walk uses, so it goes last.
        order = sorted(ENDPOINTS.items(), key=lambda item: item[0] == ("POST", "/auth/logout"))
        for (method, path), needed in order:
            if (method, path) in STREAMS or needed == PUBLIC:
                continue
            response = await _call(client, method, path, operator.headers)
            allowed = needed == SIGNED_IN or needed in granted
            if response.status_code >= 500:
                mismatches.append(f"{role} {method} {path}: {response.status_code}")
            elif allowed and response.status_code in (401, 403):
                mismatches.append(f"{role} {method} {path}: refused ({response.status_code}) but allowed")
            elif not allowed and (response.status_code != 403 or response.json()["code"] != "permission_denied"):
                mismatches.append(f"{role} {method} {path}: {response.status_code} but must be denied")
    assert mismatches == []


async def test_without_a_token_only_sign_in_answers(client: httpx.AsyncClient) -> None:
    for (method, path), needed in ENDPOINTS.items():
        if needed == PUBLIC or (method, path) in STREAMS:
            continue
        response = await _call(client, method, path, {})
        assert response.status_code == 401, f"{method} {path}"


async def test_every_endpoint_documents_its_errors_as_the_problem_json_it_sends(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    spec = create_app(db, housekeeping=False).openapi()
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert responses["default"]["content"] == problem, f"{method} {path}"
            if "422" in responses:
                assert responses["422"]["content"] == problem, f"{method} {path}"
    documented = spec["components"]["schemas"]["Problem"]
    admin = await sign_in(Role.ADMIN)
    invalid = await client.post("/customers", json={"kind": "spaceship"}, headers=admin.headers)
    assert invalid.status_code == 422 and invalid.headers["content-type"] == "application/problem+json"
    body = invalid.json()
    assert set(documented["required"]) <= set(body) and isinstance(body["detail"], str)
    field_error = set(spec["components"]["schemas"]["ProblemFieldError"]["properties"])
    assert body["errors"] and all(set(e) <= field_error for e in body["errors"])
