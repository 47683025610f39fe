"""Every right from intake to the answer through the API alone, as the privacy officer works it:
the evidence each right needs is produced by its real endpoint (package, erasure, restriction,
consent withdrawal, rectification), not written into the tables, and the audit trail of the
subject shows every step afterwards — what the supervisory authority would ask to see."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import pytest

from ema_server.db.engine import Database
from tests.conftest import SignedIn, SignIn
from tests.server.test_privacy_requests import new_request
from tests.server.test_tickets import add_customer


async def _post(client: httpx.AsyncClient, op: SignedIn, path: str, body: dict[str, Any],
                expected: tuple[int, ...] = (200, 201)) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=op.headers)
    assert response.status_code in expected, response.text
    result: dict[str, Any] = response.json()
    return result


async def _evidence(client: httpx.AsyncClient, op: SignedIn, request: dict[str, Any]) -> str:
    """Do what the right asks through its endpoint; returns the audit action that records it."""
    right, customer_id, request_id = request["right"], request["customer_id"], request["id"]
    if right in ("access", "portability"):
        package = await _post(client, op, f"/privacy-requests/{request_id}/packages", {"kind": right})
        content = await client.get(f"/privacy-packages/{package['id']}/content", headers=op.headers)
        assert content.status_code == 200
        with zipfile.ZipFile(io.BytesIO(content.content)) as archive:
            assert {"SUMMARY-cs.txt", "SUMMARY-en.txt", "manifest.json"} <= set(archive.namelist())
        return "privacy_package.create"
    if right == "erasure":
        plan = (await client.get(f"/privacy-requests/{request_id}/erasure-plan", headers=op.headers)).json()
        assert plan["blockers"] == []
        await _post(client, op, f"/privacy-requests/{request_id}/erasure",
                    {"confirm_customer": plan["customer"]["customer_number"], "plan_hash": plan["plan_hash"]})
        return "privacy_request.erasure"
    if right == "restriction":
        await _post(client, op, f"/customers/{customer_id}/restriction",
                    {"reason": "The subject contests the accuracy of the meter data.", "request_id": request_id})
        return "restriction.place"
    if right in ("objection", "consent_withdrawal"):
        for purpose in request["purposes"]:
            await _post(client, op, f"/customers/{customer_id}/consents",
                        {"purpose": purpose, "granted": False, "source": "email", "request_id": request_id})
        return "customer.consent_change"
    if right == "rectification":
        customer = (await client.get(f"/customers/{customer_id}", headers=op.headers)).json()
        response = await client.patch(f"/customers/{customer_id}",
                                      json={"phone": "+420777123456", "privacy_request_id": request_id},
                                      headers={**op.headers, "If-Match": f'"{customer["version"]}"'})
        assert response.status_code == 200, response.text
        return "customer.update"
    assert right == "complaint"
    return "privacy_request.create"


@pytest.mark.parametrize("right", ["access", "portability", "erasure", "restriction", "objection",
                                   "consent_withdrawal", "rectification", "complaint"])
async def test_each_right_from_intake_to_the_answer_through_its_real_endpoints(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, right: str
) -> None:
    officer = await sign_in("privacy_officer")
    customer_id = await add_customer(db)
    purposes = {"objection": ["marketing_email"], "consent_withdrawal": ["marketing_email", "analytics"]}
    request = await new_request(client, officer, right=right, customer_id=customer_id,
                                **({"purposes": purposes[right]} if right in purposes else {}))
    path = f"/privacy-requests/{request['id']}"

    # Nothing is done before identity: the evidence endpoints and completion refuse.
    early = await client.post(f"{path}/completion", json={"outcome": "Done.", "answer_channel": "email"},
                              headers=officer.headers)
    assert early.status_code == 409 and early.json()["code"] == "identity_not_verified"
    await _post(client, officer, f"{path}/identity-request", {"how": "Reply from the registered e-mail asked."})
    await _post(client, officer, f"{path}/identity-verification",
                {"check": "registered_email_reply", "detail": "The reply came from the registered address."})

    missing = await client.post(f"{path}/completion", json={"outcome": "Done.", "answer_channel": "email"},
                                headers=officer.headers)
    if right == "complaint":
        assert missing.status_code == 200, missing.text
    else:
        assert missing.status_code == 409 and missing.json()["code"] == "completion_requirements_missing"
        action = await _evidence(client, officer, request)
        done = await _post(client, officer, f"{path}/completion",
                           {"outcome": "Done as asked; the letter is attached.", "answer_channel": "email"})
        assert done["state"] == "completed" and done["answer_channel"] == "email"
        audit = (await client.get("/audit", params={"subject_id": customer_id, "limit": 200},
                                  headers=officer.headers)).json()
        actions = {item["action"] for item in audit["items"]}
        assert action in actions, sorted(actions)

    history = (await client.get(path, headers=officer.headers)).json()["history"]
    states = [e["new_value"] for e in history if e["kind"] in ("created", "step") and e["new_value"]]
    assert states[0] == "received" and "identity_verification" in states and states[-1] == "completed"
    assert all(e["author_name"] for e in history)
    audit = (await client.get("/audit", params={"subject_id": customer_id, "action": "privacy_request.*",
                                                "limit": 200}, headers=officer.headers)).json()
    recorded = {item["action"] for item in audit["items"]}
    assert {"privacy_request.create", "privacy_request.identity_request", "privacy_request.identity_verification",
            "privacy_request.completion"} <= recorded, sorted(recorded)
