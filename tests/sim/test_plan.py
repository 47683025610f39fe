"""Credentials and the behaviour plan: which stations, which passwords, same seed same plan."""

from __future__ import annotations

import hashlib
import hmac
import io

import pytest

from ema_sim.credentials import (
    StationSpec,
    choose_version,
    demo_id_tag,
    demo_password,
    demo_stations,
    parse_stations,
)
from ema_sim.plan import FAULT_CODES, StationPlan


def test_demo_passwords_are_derived_as_the_server_seeds_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMA_DEMO_PASSWORD", raising=False)
    expected = hmac.new(b"ema-demo-2026!", b"CZ-SEC-00007", hashlib.sha256).hexdigest()[:32]
    assert demo_password("CZ-SEC-00007") == expected
    monkeypatch.setenv("EMA_DEMO_PASSWORD", "another secret")
    assert (
        demo_password("CZ-SEC-00007") == hmac.new(b"another secret", b"CZ-SEC-00007", hashlib.sha256).hexdigest()[:32]
    )
    specs = demo_stations(3, first=41)
    assert [s.identity for s in specs] == ["CZ-SEC-00041", "CZ-SEC-00042", "CZ-SEC-00043"]
    assert specs[0].password == demo_password("CZ-SEC-00041")
    monkeypatch.setenv("EMA_DEMO_PASSWORD", "")  # set but empty: the public default, as the server does
    assert demo_password("CZ-SEC-00007") == expected


def test_demo_stations_carry_the_card_the_server_authorises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMA_DEMO_PASSWORD", raising=False)
    digest = hmac.new(b"ema-demo-2026!", b"id-tag:CZ-SEC-00003", hashlib.sha256).hexdigest()
    assert demo_id_tag("CZ-SEC-00003") == "SIM" + digest[:12].upper()
    (spec,) = demo_stations(1, first=3)
    assert spec.id_tags == (demo_id_tag("CZ-SEC-00003"),)
    plan = StationPlan(0, spec.identity, id_tags=spec.id_tags)
    cars = [plan.next_session(1) for _ in range(100)]
    assert 85 <= sum(car.id_tag == spec.id_tags[0] for car in cars) < 100  # a few strangers' cards too
    # Giving the cards changes nothing else in the plan.
    unknown = StationPlan(0, spec.identity)
    assert unknown.profile == plan.profile
    assert [c.ev for c in cars[:5]] == [unknown.next_session(1).ev for _ in range(5)]


def test_a_password_never_shows_in_a_repr() -> None:
    spec = StationSpec("CZ-SEC-00001", "hunter2-hunter2", "1.6")
    assert "hunter2" not in repr(spec)


def test_mixed_fleets_are_about_a_quarter_201_and_fixed_by_the_seed() -> None:
    versions = [s.ocpp_version for s in demo_stations(2000, ocpp="mixed", seed=3)]
    assert 0.22 < versions.count("2.0.1") / len(versions) < 0.28
    assert versions == [s.ocpp_version for s in demo_stations(2000, ocpp="mixed", seed=3)]
    assert versions != [s.ocpp_version for s in demo_stations(2000, ocpp="mixed", seed=4)]
    # A station keeps its version when the fleet starts elsewhere.
    assert choose_version("CZ-SEC-00100", "mixed", 3) == versions[99]
    assert {s.ocpp_version for s in demo_stations(5, ocpp="2.0.1")} == {"2.0.1"}


def test_stations_file_with_and_without_versions() -> None:
    text = (
        "identity,password,ocpp_version\n"
        "STATION-A,pa55word-a,2.0.1\nSTATION-B,pa55word-b,\n\nSTATION-C,pa55word-c,ocpp1.6\n"
    )
    specs = parse_stations(io.StringIO(text), ocpp="2.0.1")
    assert [(s.identity, s.password, s.ocpp_version) for s in specs] == [
        ("STATION-A", "pa55word-a", "2.0.1"),
        ("STATION-B", "pa55word-b", "2.0.1"),
        ("STATION-C", "pa55word-c", "1.6"),
    ]
    two_columns = parse_stations(io.StringIO("identity,password\nX-1,secret-one\n"))
    assert two_columns == [StationSpec("X-1", "secret-one", "1.6")]
    with_cards = parse_stations(io.StringIO("identity,password,ocpp_version,id_tags\nX-2,secret-two,,CARD1 CARD2\n"))
    assert with_cards == [StationSpec("X-2", "secret-two", "1.6", ("CARD1", "CARD2"))]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,pw\nX,secret-xyz\n", "header"),
        ("identity,password\nX,\n", "line 2"),
        ("identity,password\nX,secret-xyz\nX,secret-xyz\n", "line 3: station X is listed twice"),
        ("identity,password,ocpp_version\nX,secret-xyz,1.5\n", "line 2: unknown OCPP version"),
        ("identity,password\nA:B,secret-xyz\n", "line 2"),
    ],
)
def test_bad_stations_files_name_the_line_but_not_the_password(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_stations(io.StringIO(text))
    assert "secret-xyz" not in str(raised.value)


def test_same_seed_same_plan() -> None:
    def sample(seed: int) -> tuple[object, ...]:
        plan = StationPlan(seed, "CZ-SEC-00001", fault_rate=1.0)
        return (
            plan.profile,
            [plan.next_session(1) for _ in range(5)],
            [plan.next_arrival_s(1) for _ in range(5)],
            [plan.next_fault() for _ in range(3)],
        )

    assert sample(11) == sample(11)
    assert sample(11) != sample(12)


def test_one_connectors_cars_do_not_depend_on_the_other_connector() -> None:
    first = StationPlan(1, "CZ-SEC-00002")
    second = StationPlan(1, "CZ-SEC-00002")
    for _ in range(7):
        second.next_session(2)
        second.next_fault()
    assert [first.next_session(1) for _ in range(3)] == [second.next_session(1) for _ in range(3)]


def test_plans_look_like_a_car_park() -> None:
    plan = StationPlan(0, "CZ-SEC-00003", fault_rate=0.0)
    sessions = [plan.next_session(1) for _ in range(200)]
    assert all(0 <= s.soc_start < s.soc_target <= 100 for s in sessions)
    assert all(600 <= s.stay_s <= 14 * 3600 for s in sessions)
    assert {s.id_tag for s in sessions} & set(plan.id_tags)
    assert plan.next_fault().after_s == float("inf")
    codes = {code for code, *_ in FAULT_CODES}
    assert {StationPlan(0, "CZ-SEC-00003").next_fault().error_code for _ in range(1)} <= codes
    assert plan.profile.vendor == "SECTRON" and 1 <= plan.profile.connectors <= 2
