"""Signing in, token rotation and revocation, throttling, TOTP."""

from __future__ import annotations

import httpx
import pyotp
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import Operator
from tests.conftest import PASSWORD, SignIn


async def test_operator_signs_in_and_sees_their_role_and_permissions(client: httpx.AsyncClient,
                                                                     sign_in: SignIn) -> None:
    hotline = await sign_in("hotline")
    me = await client.get("/auth/me", headers=hotline.headers)
    assert me.status_code == 200
    body = me.json()
    assert body["roles"] == ["hotline"]
    assert "customers.edit_contacts" in body["permissions"]
    assert "privacy.handle" not in body["permissions"]


async def test_wrong_password_is_refused_with_problem_json(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    op = await sign_in("technician")
    response = await client.post("/auth/login", json={"username": op.username, "password": "wrong password!"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_credentials"


async def test_request_without_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_refresh_rotates_and_reuse_revokes_whole_session(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    op = await sign_in("hotline")
    first = await client.post("/auth/refresh", json={"refresh_token": op.refresh_token})
    assert first.status_code == 200
    new = first.json()
    assert new["refresh_token"] != op.refresh_token
    me = await client.get("/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert me.status_code == 200

    replay = await client.post("/auth/refresh", json={"refresh_token": op.refresh_token})
    assert replay.status_code == 401
    # The theft signal ends every token of the session, the rotated ones too.
    after = await client.get("/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    assert after.status_code == 401
    again = await client.post("/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert again.status_code == 401
    # Said as a reuse, not a revocation: a console killed mid-rotation sends its old token too, and
    # must sign in again without losing its local data.
    assert replay.json()["code"] == "refresh_token_reused"
    assert again.json()["code"] == "invalid_token"


async def test_logout_revokes_the_session(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    op = await sign_in("admin")
    assert (await client.post("/auth/logout", headers=op.headers)).status_code == 204
    assert (await client.get("/auth/me", headers=op.headers)).status_code == 401
    # The operator's own sign-out is no revocation: their console keeps its local data.
    refresh = await client.post("/auth/refresh", json={"refresh_token": op.refresh_token})
    assert refresh.status_code == 401 and refresh.json()["code"] == "invalid_token"


async def test_an_administrator_ends_every_session_of_an_operator(client: httpx.AsyncClient,
                                                                  sign_in: SignIn) -> None:
    admin = await sign_in("admin")
    technician = await sign_in("technician")
    me = (await client.get("/auth/me", headers=technician.headers)).json()
    refused = await client.post(f"/operators/{me['id']}/sessions/revoke", headers=technician.headers)
    assert refused.status_code == 403

    revoked = await client.post(f"/operators/{me['id']}/sessions/revoke", headers=admin.headers)
    assert revoked.status_code == 200 and revoked.json() == {"revoked": 1}
    assert (await client.get("/auth/me", headers=technician.headers)).status_code == 401
    refresh = await client.post("/auth/refresh", json={"refresh_token": technician.refresh_token})
    assert refresh.status_code == 401 and refresh.json()["code"] == "session_revoked"
    # The account itself stays usable: signing in again works.
    again = await client.post("/auth/login", json={"username": technician.username, "password": PASSWORD})
    assert again.status_code == 200
    missing = await client.post("/operators/00000000-0000-0000-0000-000000000000/sessions/revoke",
                                headers=admin.headers)
    assert missing.status_code == 404


async def test_repeated_failures_throttle_the_username(client: httpx.AsyncClient, sign_in: SignIn) -> None:
    op = await sign_in("hotline")
    for _ in range(5):
        r = await client.post("/auth/login", json={"username": op.username, "password": "not the password"})
        assert r.status_code == 401
    # Even the right password waits now.
    blocked = await client.post("/auth/login", json={"username": op.username, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"
    assert "Retry-After" in blocked.headers


async def test_totp_operator_needs_the_code(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> None:
    admin = await sign_in("admin")
    async with db.sessions() as session:
        op = (await session.execute(select(Operator).where(Operator.username == admin.username))).scalar_one()
        op.totp_secret = pyotp.random_base32()
        secret = op.totp_secret
        await session.commit()
    no_code = await client.post("/auth/login", json={"username": admin.username, "password": PASSWORD})
    assert no_code.status_code == 401 and no_code.json()["code"] == "totp_required"
    wrong = await client.post("/auth/login", json={"username": admin.username, "password": PASSWORD, "totp": "000000"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    ok = await client.post(
        "/auth/login", json={"username": admin.username, "password": PASSWORD, "totp": pyotp.TOTP(secret).now()}
    )
    assert ok.status_code == 200


async def test_passwords_are_stored_as_argon2id(db: Database, sign_in: SignIn) -> None:
    op = await sign_in("hotline")
    async with db.sessions() as session:
        query = select(Operator.password_hash).where(Operator.id == op.operator_id)
        stored = (await session.execute(query)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


async def test_control_characters_in_a_username_are_a_422_not_a_server_error(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    op = await sign_in("hotline")
    for username in (op.username + "\u0000", "\u0000", "a\u0007b"):
        response = await client.post("/auth/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 422, (username, response.text)
        assert response.json()["errors"][0]["field"] == "username"
    # A password is never stored as text: any character in it is merely a wrong password.
    wrong = await client.post("/auth/login", json={"username": op.username, "password": PASSWORD + "\u0000"})
    assert wrong.status_code == 401
