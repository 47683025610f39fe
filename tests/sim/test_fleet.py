"""The fleet: many stations at once, reconnecting, refusals, clean stops, and the ema-sim command."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import signal
import sys
from pathlib import Path

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from ema_sim import Fleet, StationSpec, demo_password, demo_stations
from ema_sim.cli import main
from tests.sim.conftest import fast_options, running
from tests.sim.csms import Csms

ONE_SIX = StationSpec("CZ-SEC-00001", demo_password("CZ-SEC-00001"), "1.6")
TWO_O_ONE = StationSpec("CZ-SEC-00002", demo_password("CZ-SEC-00002"), "2.0.1")


async def test_mixed_fleet_speaks_each_stations_version(csms: Csms) -> None:
    specs = demo_stations(12, ocpp="mixed", seed=5)
    assert {s.ocpp_version for s in specs} == {"1.6", "2.0.1"}
    async with running(csms, specs) as fleet:
        stats = fleet.stats()
        assert (stats.stations, stats.connected, stats.booted, stats.refused) == (12, 12, 12, 0)
        assert stats.summary().startswith("12/12 connected, 12 booted")
    for spec in specs:
        record = csms.stations[spec.identity]
        assert record.subprotocols == [f"ocpp{spec.ocpp_version}"]
        assert record.count("BootNotification") == 1


async def test_stations_reconnect_after_the_server_restarts(csms: Csms) -> None:
    async with running(csms, [ONE_SIX, TWO_O_ONE]):
        start = await csms.call(ONE_SIX.identity, call16.RemoteStartTransaction(id_tag="04AB", connector_id=1))
        assert start.status == "Accepted"
        token = {"id_token": "04CD", "type": "ISO14443"}
        request = await csms.call(
            TWO_O_ONE.identity, call201.RequestStartTransaction(id_token=token, remote_start_id=3)
        )
        assert request.status == "Accepted"
        await csms.wait_for(ONE_SIX.identity, lambda r: r.of("StartTransaction") and r.count("MeterValues") > 2)
        await csms.wait_for(TWO_O_ONE.identity, lambda r: len(r.of("TransactionEvent")) > 2)

        await csms.stop()  # closes every connection (1001) and waits for them to go
        await csms.start()
        old = await csms.wait_for(ONE_SIX.identity, lambda r: r.of("StopTransaction"))
        new = await csms.wait_for(
            TWO_O_ONE.identity,
            lambda r: [e for e in r.of("TransactionEvent") if e["eventType"] == "Ended"],
        )

    assert old.connections == 2 and old.count("BootNotification") == 2
    stop = old.of("StopTransaction")[0]
    assert stop["transactionId"] == 1001 and stop["reason"] == "Other"
    assert old.actions().index("StopTransaction") > old.actions().index("BootNotification", 1)
    ended = next(e for e in new.of("TransactionEvent") if e["eventType"] == "Ended")
    assert ended["offline"] is True and ended["transactionInfo"]["stoppedReason"] == "Other"
    assert new.connections == 2


async def test_refused_credentials_are_logged_once_and_retried(csms: Csms, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="ema_sim")
    csms.passwords[ONE_SIX.identity] = "not-the-stations-password"
    async with running(csms, [ONE_SIX], register=False) as fleet:
        await csms.wait_for(ONE_SIX.identity, lambda r: r.refused >= 3)
        assert fleet.stats().refused == 1 and fleet.stats().connected == 0
        csms.passwords[ONE_SIX.identity] = ONE_SIX.password
        async with asyncio.timeout(20):
            await fleet.wait_booted()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert ONE_SIX.identity in warnings[0].getMessage() and "401" in warnings[0].getMessage()
    secret = base64.b64encode(f"{ONE_SIX.identity}:{ONE_SIX.password}".encode()).decode()
    assert "Authorization" in caplog.text  # the handshake is logged at DEBUG, its credentials are not
    assert ONE_SIX.password not in caplog.text and secret not in caplog.text


async def test_a_fleet_stops_cleanly_while_it_cannot_connect(csms: Csms) -> None:
    await csms.stop()
    fleet = Fleet([ONE_SIX, TWO_O_ONE], fast_options(csms))
    await fleet.start()
    await asyncio.sleep(0.3)  # let the stations fail and back off (not an assertion)
    assert fleet.stats().connected == 0
    await fleet.stop()
    # The autouse fixture checks that no task is left.


async def test_wait_booted_counts_stations_booted_now(csms: Csms) -> None:
    specs = demo_stations(3)
    csms.passwords.update({s.identity: s.password for s in specs[:2]})
    fleet = Fleet(specs, fast_options(csms))
    async with fleet:
        async with asyncio.timeout(20):
            await fleet.wait_booted(2)
        assert fleet.stats().booted == 2
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.5):
                await fleet.wait_booted()


async def test_the_command_runs_demo_stations_until_interrupted(csms: Csms) -> None:
    env = os.environ | {"EMA_DEMO_PASSWORD": "another-demo-secret"}
    identities = ["CZ-SEC-00005", "CZ-SEC-00006", "CZ-SEC-00007"]
    csms.passwords.update({i: demo_password(i, "another-demo-secret") for i in identities})
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-X", "faulthandler", "-m", "ema_sim", "--server", csms.url, "--stations", "3", "--first", "5",
        "--ocpp", "mixed", "--seed", "1", "--meter-interval", "0.2", "--heartbeat-interval", "0.3",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        for identity in identities:
            await csms.wait_for(identity, lambda r: r.count("Heartbeat") >= 1, within=30)
        process.send_signal(signal.SIGINT)
        try:
            async with asyncio.timeout(60):
                stdout, stderr = await process.communicate()
        except TimeoutError:
            process.send_signal(signal.SIGABRT)  # -X faulthandler prints where it is stuck
            _, stderr = await process.communicate()
            raise AssertionError(f"ema-sim did not stop on SIGINT:\n{stderr.decode()[-5000:]}") from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    text = stderr.decode()
    assert "starting 3 stations" in text and "stopping: 3/3 connected" in text and text.rstrip().endswith("stopped")
    assert stdout == b""
    assert all(demo_password(i, "another-demo-secret") not in text for i in identities)
    for identity in identities:
        assert csms.stations[identity].disconnects == 1


def test_the_command_refuses_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as missing:
        main(["--stations-file", str(tmp_path / "missing.csv")])
    assert missing.value.code == 2
    listed = tmp_path / "stations.csv"
    listed.write_text("identity,password\nST-1,secret-st-1\n")
    with pytest.raises(SystemExit) as too_many:
        main(["--stations-file", str(listed), "--stations", "2"])
    assert too_many.value.code == 2
    with pytest.raises(SystemExit):
        main(["--server", "http://example.org/ocpp"])
    errors = capsys.readouterr().err
    assert "the file lists only 1 stations" in errors and "ws://" in errors
    assert "secret-st-1" not in errors
