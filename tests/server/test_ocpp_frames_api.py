"""Reading back a station's OCPP frames as a technician does: filtered pages, exports as JSON Lines
and CSV that hold exactly the frames, and housekeeping that prunes frames past the retention."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from ema_server import ocpp_frames
from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Customer, Device, LegalHold, OcppFrame, utcnow
from ema_server.domain.permissions import Role
from ema_server.housekeeping import run_housekeeping
from ema_server.ocpp_frames import prune_frames
from ema_server.privacy.holds import lift_hold, place_hold
from tests.conftest import SignedIn, SignIn

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ID_TAG = "04A1B2C3D4E5F6"


def _call(unique_id: str, action: str, payload: dict[str, Any]) -> str:
    return json.dumps([2, unique_id, action, payload])


# (seconds after T0, direction, message type, unique id, action, frame)
FRAMES: list[tuple[int, str, int | None, str | None, str | None, str]] = [
    (0, "in", 2, "b1", "BootNotification", _call("b1", "BootNotification", {"chargePointVendor": "ABB",
                                                                           "chargePointModel": "Terra"})),
    (1, "out", 3, "b1", "BootNotification", '[3,"b1",{"status":"Accepted","currentTime":"2026-03-02T09:00:01Z",'
                                            '"interval":300}]'),
    (60, "in", 2, "a1", "Authorize", _call("a1", "Authorize", {"idTag": ID_TAG})),
    (60, "out", 3, "a1", "Authorize", '[3,"a1",{"idTagInfo":{"status":"Accepted"}}]'),
    (120, "in", 2, "s1", "StatusNotification", _call("s1", "StatusNotification", {"connectorId": 1,
                                                     "errorCode": "NoError", "status": "Charging"})),
    (120, "out", 3, "s1", "StatusNotification", '[3,"s1",{}]'),
    (300, "in", 2, "h1", "Heartbeat", _call("h1", "Heartbeat", {})),
    (300, "out", 3, "h1", "Heartbeat", '[3,"h1",{"currentTime":"2026-03-02T09:05:00Z"}]'),
    (360, "out", 2, "r1", "Reset", _call("r1", "Reset", {"type": "Soft"})),
    (361, "in", 4, "r1", "Reset", '[4,"r1","NotSupported","Ä → ok, \\"quoted\\", comma",{}]'),
    (400, "in", None, None, None, "this is not json, \"at all\"\nsecond line"),
]  # fmt: skip


async def make_station(db: Database, with_frames: bool = True) -> tuple[str, str]:
    """A station with the frames above and another station with one frame (or both without
    frames); their ids."""
    async with db.sessions() as session:
        owner = Customer(customer_number="C000301", kind="business", name="Karel Malý", company_name="Malý s.r.o.")
        session.add(owner)
        await session.flush()
        station = Device(customer_id=owner.id, kind="charging_station", vendor="ABB", model="Terra",
                         serial="SN-1", ocpp_identity="MALY:01|a", ocpp_version="1.6")  # fmt: skip
        other = Device(customer_id=owner.id, kind="wallbox", vendor="ABB", model="Terra", serial="SN-2",
                       ocpp_identity="MALY-02", ocpp_version="1.6")  # fmt: skip
        session.add_all([station, other])
        await session.flush()
        if not with_frames:
            await session.commit()
            return station.id, other.id
        session.add_all(
            OcppFrame(device_id=station.id, at=T0 + timedelta(seconds=s), direction=d, message_type=t, unique_id=u,
                      action=a, frame=f)
            for s, d, t, u, a, f in FRAMES
        )  # fmt: skip
        session.add(OcppFrame(device_id=other.id, at=T0, direction="in", message_type=2, unique_id="x",
                              action="Heartbeat", frame=_call("x", "Heartbeat", {})))  # fmt: skip
        await session.commit()
        return station.id, other.id


def actions(response: httpx.Response) -> list[tuple[str | None, str]]:
    assert response.status_code == 200, response.text
    return [(item["action"], item["direction"]) for item in response.json()["items"]]


async def test_frames_are_listed_newest_first_exactly_as_they_went_over_the_wire(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    station, _other = await make_station(db)
    hotline = await sign_in(Role.HOTLINE)
    response = await client.get(f"/devices/{station}/ocpp-frames", headers=hotline.headers)
    page = response.json()
    assert page["total"] == len(FRAMES) and page["limit"] == 50 and page["offset"] == 0
    newest, reset_error = page["items"][0], page["items"][1]
    assert newest["frame"] == FRAMES[-1][5] and newest["message_type"] is None and newest["action"] is None
    assert reset_error == {"id": reset_error["id"], "at": "2026-03-02T09:06:01Z", "direction": "in",
                           "message_type": 4, "unique_id": "r1", "action": "Reset", "frame": FRAMES[9][5]}  # fmt: skip
    oldest = page["items"][-1]
    assert (oldest["action"], oldest["direction"], oldest["at"]) == ("BootNotification", "in", "2026-03-02T09:00:00Z")

    pages = [await client.get(f"/devices/{station}/ocpp-frames?limit=4&offset={o}", headers=hotline.headers)
             for o in (0, 4, 8)]  # fmt: skip
    assert [i["id"] for p in pages for i in p.json()["items"]] == [i["id"] for i in page["items"]]

    async with db.sessions() as session:
        record = (await session.execute(select(AuditRecord).where(AuditRecord.action == "device.frames.read")
                                        .order_by(AuditRecord.seq).limit(1))).scalar_one()  # fmt: skip
    assert record.entity_id == station and record.operator_id == hotline.operator_id
    assert json.loads(record.detail) == {"filters": [], "count": len(FRAMES)}
    assert ID_TAG not in record.detail


async def test_frames_are_filtered_by_actions_direction_and_time_window(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    station, _other = await make_station(db)
    url, h = f"/devices/{station}/ocpp-frames", admin.headers

    by_action = await client.get(url, params=[("action", "Reset"), ("action", "Authorize")], headers=h)
    assert actions(by_action) == [("Reset", "in"), ("Reset", "out"), ("Authorize", "out"), ("Authorize", "in")]
    assert by_action.json()["total"] == 4
    assert actions(await client.get(url, params={"action": "Heartbeat", "direction": "out"}, headers=h)) == [
        ("Heartbeat", "out")]  # fmt: skip
    assert [a for a, _d in actions(await client.get(url, params={"direction": "out"}, headers=h))] == [
        "Reset", "Heartbeat", "StatusNotification", "Authorize", "BootNotification"]  # fmt: skip
    # [since, until): the window's start is in, its end is out; any offset is understood.
    window = await client.get(url, params={"since": "2026-03-02T10:01:00+01:00", "until": "2026-03-02T09:05:00Z"},
                              headers=h)  # fmt: skip
    assert actions(window) == [("StatusNotification", "out"), ("StatusNotification", "in"), ("Authorize", "out"),
                               ("Authorize", "in")]  # fmt: skip
    assert actions(await client.get(url, params={"since": "2026-03-02T09:06:00Z"}, headers=h)) == [
        (None, "in"), ("Reset", "in"), ("Reset", "out")]  # fmt: skip
    assert actions(await client.get(url, params={"action": "DataTransfer"}, headers=h)) == []

    async with db.sessions() as session:
        details = (await session.execute(select(AuditRecord.detail).where(
            AuditRecord.action == "device.frames.read").order_by(AuditRecord.seq))).scalars().all()  # fmt: skip
    assert json.loads(details[0]) == {"filters": ["action"], "count": 4}
    assert json.loads(details[3]) == {"filters": ["since", "until"], "count": 4}


async def test_bad_frame_queries_are_refused_with_the_field(
    client: httpx.AsyncClient, db: Database, admin: SignedIn
) -> None:
    station, _other = await make_station(db)
    url, h = f"/devices/{station}/ocpp-frames", admin.headers
    reversed_window = await client.get(url, params={"since": "2026-03-02T10:00:00Z", "until": "2026-03-02T09:00:00Z"},
                                       headers=h)  # fmt: skip
    assert reversed_window.status_code == 422 and reversed_window.json()["code"] == "invalid_time_range"
    for params in ({"since": "2026-03-02T10:00:00"}, {"direction": "sideways"}, {"limit": "501"}):
        response = await client.get(url, params=params, headers=h)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == next(iter(params))
    for path in (f"/devices/{uuid.uuid4()}/ocpp-frames", f"/devices/{uuid.uuid4()}/ocpp-frames/export"):
        assert (await client.get(path, headers=h)).status_code == 404


async def test_export_as_json_lines_and_csv_gives_back_the_same_frames_oldest_first(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    station, _other = await make_station(db)
    technician = await sign_in(Role.TECHNICIAN)
    h = technician.headers
    listed = (await client.get(f"/devices/{station}/ocpp-frames", headers=h)).json()["items"]
    oldest_first = list(reversed(listed))
    # Small batches, so frames with the same time fall on both sides of a batch boundary.
    monkeypatch.setattr(ocpp_frames, "EXPORT_BATCH", 3)
    today = utcnow().date().isoformat()

    jsonl = await client.get(f"/devices/{station}/ocpp-frames/export", headers=h)
    assert jsonl.status_code == 200 and jsonl.headers["content-type"] == "application/x-ndjson"
    assert jsonl.headers["content-disposition"] == f'attachment; filename="MALY_01_a-frames-{today}.jsonl"'
    assert [json.loads(line) for line in jsonl.text.splitlines()] == oldest_first

    exported = await client.get(f"/devices/{station}/ocpp-frames/export?format=csv", headers=h)
    assert exported.status_code == 200 and exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.headers["content-disposition"] == f'attachment; filename="MALY_01_a-frames-{today}.csv"'
    rows = list(csv.DictReader(io.StringIO(exported.text, newline="")))
    assert list(rows[0]) == ["id", "at", "direction", "message_type", "unique_id", "action", "frame"]
    parsed = [{**row, "id": int(row["id"]), "message_type": int(row["message_type"]) if row["message_type"] else None,
               "unique_id": row["unique_id"] or None, "action": row["action"] or None} for row in rows]  # fmt: skip
    assert parsed == oldest_first

    filtered = await client.get(f"/devices/{station}/ocpp-frames/export",
                                params={"action": "Reset", "direction": "in"}, headers=h)  # fmt: skip
    assert [json.loads(line)["frame"] for line in filtered.text.splitlines()] == [FRAMES[9][5]]
    empty = await client.get(f"/devices/{station}/ocpp-frames/export?format=csv&action=Nothing", headers=h)
    assert empty.text.splitlines() == ["id,at,direction,message_type,unique_id,action,frame"]

    async with db.sessions() as session:
        records = (await session.execute(select(AuditRecord).where(
            AuditRecord.action == "device.frames.export").order_by(AuditRecord.seq))).scalars().all()  # fmt: skip
    assert [json.loads(r.detail) for r in records] == [
        {"filters": [], "format": "jsonl"}, {"filters": [], "format": "csv"},
        {"filters": ["action", "direction"], "format": "jsonl"}, {"filters": ["action"], "format": "csv"},
    ]  # fmt: skip
    assert all(r.entity_id == station and r.operator_id == technician.operator_id for r in records)


async def _frame_times(db: Database) -> list[datetime]:
    async with db.sessions() as session:
        return list((await session.execute(select(OcppFrame.at).order_by(OcppFrame.at))).scalars())


async def test_pruning_removes_frames_before_the_cutoff_in_batches_and_keeps_newer_ones(db: Database) -> None:
    await make_station(db)
    cutoff = T0 + timedelta(seconds=120)
    async with db.sessions() as session:
        removed = await prune_frames(session, cutoff, batch=2)
    assert removed == 5  # the other station's frame at T0 as well
    times = await _frame_times(db)
    assert len(times) == len(FRAMES) - 4 and min(times) == cutoff
    async with db.sessions() as session:
        assert await prune_frames(session, cutoff, batch=2) == 0


async def test_housekeeping_prunes_frames_older_than_the_retention(db: Database) -> None:
    station, other = await make_station(db, with_frames=False)
    now = utcnow()
    async with db.sessions() as session:
        session.add_all(
            OcppFrame(device_id=station, at=now - age, direction="in", message_type=2, unique_id="k",
                      action="Heartbeat", frame="[2,\"k\",\"Heartbeat\",{}]")
            for age in (timedelta(days=29), timedelta(days=6), timedelta(days=8))
        )  # fmt: skip
        await session.commit()
    await run_housekeeping(db, frame_retention=timedelta(days=7))
    kept = await _frame_times(db)
    assert len(kept) == 1 and now - kept[0] == timedelta(days=6)

    async with db.sessions() as session:
        session.add(OcppFrame(device_id=other, at=now - timedelta(days=29), direction="out", message_type=3,
                              unique_id="k", action="Heartbeat", frame="[3,\"k\",{}]"))  # fmt: skip
        await session.commit()
    await run_housekeeping(db)  # the default retention is 30 days
    async with db.sessions() as session:
        assert (await session.execute(select(func.count()).select_from(OcppFrame))).scalar_one() == 2


async def test_pruning_keeps_the_frames_of_a_station_whose_owner_is_under_a_legal_hold_until_it_is_lifted(
    db: Database,
) -> None:
    now = utcnow()
    async with db.sessions() as session:
        disputing = Customer(customer_number="C000302", kind="private", name="Jana Sporná")
        other = Customer(customer_number="C000303", kind="private", name="Petr Jiný")
        session.add_all([disputing, other])
        await session.flush()
        held_station = Device(customer_id=disputing.id, kind="wallbox", vendor="ABB", model="Terra", serial="SN-7",
                              ocpp_identity="SPORNA-01", ocpp_version="1.6")  # fmt: skip
        free_station = Device(customer_id=other.id, kind="wallbox", vendor="ABB", model="Terra", serial="SN-8",
                              ocpp_identity="JINY-01", ocpp_version="1.6")  # fmt: skip
        session.add_all([held_station, free_station])
        await session.flush()
        session.add_all(
            OcppFrame(device_id=device.id, at=now - timedelta(days=40), direction="in", message_type=2,
                      unique_id="k", action="MeterValues", frame="[2,\"k\",\"MeterValues\",{}]")
            for device in (held_station, free_station)
        )  # fmt: skip
        hold = await place_hold(session, customer_id=disputing.id, ticket_id=None, reason="Billing dispute",
                                reference="ČOI 12/2026", operator_id=None, now=now)  # fmt: skip
        await session.commit()
        held_id, hold_id = held_station.id, hold.id

    async def stations_with_frames() -> set[str]:
        async with db.sessions() as session:
            return set((await session.execute(select(OcppFrame.device_id))).scalars())

    await run_housekeeping(db)  # frames are kept 30 days
    assert await stations_with_frames() == {held_id}

    async with db.sessions() as session:
        stored = await session.get(LegalHold, hold_id)
        assert stored is not None
        await lift_hold(session, stored, reason="Dispute settled", operator_id=None, now=utcnow())
        await session.commit()
    async with db.sessions() as session:
        assert await prune_frames(session, now - timedelta(days=30)) == 1
    assert await stations_with_frames() == set()
