"""Administrators manage operators; the privacy officer reads the audit trail and checks its chain."""

from __future__ import annotations

import httpx

from tests.conftest import PASSWORD, SignedIn, SignIn


async def test_admin_creates_an_operator_who_can_then_sign_in(client: httpx.AsyncClient, admin: SignedIn) -> None:
    created = await client.post(
        "/operators", headers={**admin.headers, "Idempotency-Key": "op-1"},
        json={"username": "Karel.Dvorak", "display_name": "Karel Dvořák", "roles": ["technician"],
              "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    assert created.json()["roles"] == ["technician"]
    replay = await client.post(
        "/operators", headers={**admin.headers, "Idempotency-Key": "op-1"},
        json={"username": "Karel.Dvorak", "display_name": "Karel Dvořák", "roles": ["technician"],
              "password": PASSWORD},
    )
    assert replay.status_code == 201 and replay.json()["id"] == created.json()["id"]
    login = await client.post("/auth/login", json={"username": "karel.dvorak", "password": PASSWORD})
    assert login.status_code == 200
    listed = await client.get("/operators", headers=admin.headers)
    assert [o["username"] for o in listed.json()["items"]].count("karel.dvorak") == 1


async def test_duplicate_username_and_weak_password_are_refused(client: httpx.AsyncClient, admin: SignedIn) -> None:
    body = {"username": admin.username, "display_name": "X", "roles": ["hotline"], "password": PASSWORD}
    taken = await client.post("/operators", headers=admin.headers, json=body)
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "username"
    weak = await client.post("/operators", headers=admin.headers,
                             json={**body, "username": "new1", "password": "short"})
    assert weak.status_code == 422 and weak.json()["code"] == "weak_password"
    unknown_role = await client.post("/operators", headers=admin.headers, json={**body, "username": "new2",
                                                                                  "roles": ["superuser"]})
    assert unknown_role.status_code == 422


async def test_disabling_an_operator_ends_their_sessions(client: httpx.AsyncClient, admin: SignedIn,
                                                         sign_in: SignIn) -> None:
    hotline = await sign_in("hotline")
    current = await client.get(f"/operators/{hotline.operator_id}", headers=admin.headers)
    changed = await client.patch(
        f"/operators/{hotline.operator_id}", json={"active": False},
        headers={**admin.headers, "If-Match": current.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert (await client.get("/auth/me", headers=hotline.headers)).status_code == 401
    again = await client.post("/auth/login", json={"username": hotline.username, "password": PASSWORD})
    assert again.status_code == 401


async def test_role_change_applies_at_once_and_needs_current_version(client: httpx.AsyncClient, admin: SignedIn,
                                                                     sign_in: SignIn) -> None:
    tech = await sign_in("technician")
    stale = await client.patch(f"/operators/{tech.operator_id}", json={"roles": ["privacy_officer"]},
                               headers={**admin.headers, "If-Match": '"99"'})
    assert stale.status_code == 412 and stale.json()["current"]["roles"] == ["technician"]
    etag = (await client.get(f"/operators/{tech.operator_id}", headers=admin.headers)).headers["ETag"]
    ok = await client.patch(f"/operators/{tech.operator_id}", json={"roles": ["privacy_officer"]},
                            headers={**admin.headers, "If-Match": etag})
    assert ok.status_code == 200 and ok.json()["roles"] == ["privacy_officer"]
    me = await client.get("/auth/me", headers=tech.headers)
    assert "privacy.handle" in me.json()["permissions"]


async def test_admin_cannot_lock_themselves_out(client: httpx.AsyncClient, admin: SignedIn) -> None:
    etag = (await client.get(f"/operators/{admin.operator_id}", headers=admin.headers)).headers["ETag"]
    refused = await client.patch(f"/operators/{admin.operator_id}", json={"active": False},
                                 headers={**admin.headers, "If-Match": etag})
    assert refused.status_code == 409


async def test_privacy_officer_reads_who_did_what_and_the_chain_is_intact(client: httpx.AsyncClient,
                                                                         sign_in: SignIn) -> None:
    officer = await sign_in("privacy_officer")
    hotline = await sign_in("hotline")
    await client.post("/auth/logout", headers=hotline.headers)
    trail = await client.get("/audit", params={"operator_id": hotline.operator_id}, headers=officer.headers)
    assert trail.status_code == 200
    actions = [r["action"] for r in trail.json()["items"]]
    assert actions == ["auth.logout", "auth.login"]
    check = await client.get("/audit/verify", headers=officer.headers)
    assert check.json()["ok"] is True and check.json()["checked"] >= 5
    # Looking at the trail is itself on the trail.
    reads = await client.get("/audit", params={"action": "audit.read"}, headers=officer.headers)
    assert reads.json()["total"] >= 1


async def test_hotline_and_technician_may_not_read_the_audit_trail(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    for role in ("hotline", "technician"):
        op = await sign_in(role)
        assert (await client.get("/audit", headers=op.headers)).status_code == 403
        assert (await client.get("/operators", headers=op.headers)).status_code == 403


async def test_huge_or_negative_page_numbers_in_the_operator_list_are_a_422_not_a_server_error(
    client: httpx.AsyncClient, admin: SignedIn
) -> None:
    for params in ({"offset": 10**30}, {"offset": 2**63}, {"offset": -1}, {"limit": 10**30}, {"limit": 0}):
        response = await client.get("/operators", params=params, headers=admin.headers)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["errors"][0]["field"] in params
    assert (await client.get("/operators", params={"offset": 1}, headers=admin.headers)).status_code == 200


async def test_clearing_an_operators_name_roles_or_sign_in_is_a_422_not_a_server_error(
    client: httpx.AsyncClient, admin: SignedIn, sign_in: SignIn
) -> None:
    tech = await sign_in("technician")
    before = (await client.get(f"/operators/{tech.operator_id}", headers=admin.headers)).json()
    for body, field in (({"display_name": None}, "display_name"), ({"roles": None}, "roles"),
                        ({"email": None, "active": None}, "active")):
        response = await client.patch(f"/operators/{tech.operator_id}", json=body,
                                      headers={**admin.headers, "If-Match": "*"})
        assert response.status_code == 422, (body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await client.get(f"/operators/{tech.operator_id}", headers=admin.headers)).json() == before


async def test_control_characters_in_an_operators_name_are_a_422_not_a_server_error(
    client: httpx.AsyncClient, admin: SignedIn
) -> None:
    body = {"username": "eva", "display_name": "Eva\u0000Malá", "roles": ["hotline"], "password": PASSWORD}
    created = await client.post("/operators", headers=admin.headers, json=body)
    assert created.status_code == 422 and created.json()["errors"][0]["field"] == "display_name"
    assert (await client.post("/auth/login", json={"username": "eva", "password": PASSWORD})).status_code == 401
    renamed = await client.patch(f"/operators/{admin.operator_id}", json={"display_name": "Admin\u001b[2J"},
                                 headers={**admin.headers, "If-Match": "*"})
    assert renamed.status_code == 422 and renamed.json()["errors"][0]["field"] == "display_name"


async def test_nul_character_in_an_operator_id_is_a_404_not_a_server_error(
    client: httpx.AsyncClient, admin: SignedIn
) -> None:
    assert (await client.get("/operators/%00", headers=admin.headers)).status_code == 404
    patched = await client.patch("/operators/a%00b", json={"active": True}, headers={**admin.headers, "If-Match": "*"})
    assert patched.status_code == 404


async def test_audit_filters_out_of_range_or_without_an_offset_are_a_422_not_a_server_error(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    officer = await sign_in("privacy_officer")
    for params in ({"offset": 10**30}, {"offset": -1}, {"from": "9999-12-31T23:59:59-14:00"},
                   {"to": "0001-01-01T00:00:00+14:00"}, {"from": "2024-01-01"}, {"to": "2024-01-01T00:00:00"},
                   {"entity": "customer\u0000"}, {"action": "\u0000"}):
        response = await client.get("/audit", params=params, headers=officer.headers)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["errors"][0]["field"] == next(iter(params))
    since = await client.get("/audit", params={"from": "2000-01-01T01:00:00+01:00", "to": "9999-12-31T00:00:00Z"},
                             headers=officer.headers)
    assert since.status_code == 200 and "auth.login" in [r["action"] for r in since.json()["items"]]


async def test_colleagues_see_active_operators_by_name_without_their_contact_details(
    client: httpx.AsyncClient, admin: SignedIn, sign_in: SignIn
) -> None:
    tech = await sign_in("technician")
    hotline = await sign_in("hotline")
    current = await client.get(f"/operators/{hotline.operator_id}", headers=admin.headers)
    await client.patch(f"/operators/{hotline.operator_id}", json={"active": False},
                       headers={**admin.headers, "If-Match": current.headers["ETag"]})
    directory = await client.get("/operators/directory", headers=tech.headers)
    assert directory.status_code == 200
    items = directory.json()["items"]
    by_id = {o["id"]: o for o in items}
    assert by_id[tech.operator_id] == {"id": tech.operator_id, "display_name": f"Test {tech.username}",
                                       "roles": ["technician"]}
    assert hotline.operator_id not in by_id  # disabled: nobody should assign them tickets
