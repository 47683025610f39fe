"""`ema-desktop --demo`: the private server and simulated fleet start, are usable, and never outlive
the console — not when it stops them, not when a child fails, not when the console is killed."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import textwrap
from pathlib import Path

import httpx
import pytest

from ema_desktop.demo import DEMO_USERNAME, DemoEnvironment, DemoError
from tests.desktop.waiting import until

pytestmark = pytest.mark.slow

DEMO_IDENTITIES = [f"CZ-SEC-{n:05d}" for n in range(1, 31)]


def _gone(pid: int) -> bool:
    """The process has ended (a zombie waiting for its new parent to reap it counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:
        pass
    else:
        return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _python_without_seeding(tmp_path: Path) -> str:
    """A stand-in for python that skips `ema-server seed` (the server then starts on an empty
    database): for tests about processes, not about data, it saves the seconds seeding takes."""
    script = tmp_path / "python-without-seeding"
    script.write_text(textwrap.dedent(f"""\
        #!/bin/sh
        case " $* " in *" seed "*) exit 0;; esac
        exec {sys.executable} "$@"
    """))
    script.chmod(0o755)
    return str(script)


async def _connected_stations(client: httpx.AsyncClient, device_ids: dict[str, str], seen: set[str]) -> set[str]:
    """Identities whose status history shows the station connecting in this demo."""
    for identity, device_id in device_ids.items():
        if identity in seen:
            continue
        history = (await client.get(f"/api/v1/devices/{device_id}/status-history", params={"limit": 50})).json()
        if any(item["connector_no"] == 0 and (item["info"] or "").startswith("connected (OCPP")
               for item in history["items"]):
            seen.add(identity)
    return seen


async def test_demo_signs_in_and_connects_thirty_stations_then_leaves_nothing_behind() -> None:
    progress: list[str] = []
    demo = DemoEnvironment(stations=30, speed=10.0, on_progress=progress.append)
    try:
        session = await demo.start()
        assert demo.running
        pids = demo.child_pids
        assert len(pids) == 2
        workdir = session.database_path.parent
        assert session.database_path.is_file()
        assert session.username == DEMO_USERNAME
        assert progress[0] == "Seeding demo data…"
        assert any(message.startswith("Demo data seeded in ") for message in progress)

        async with httpx.AsyncClient(base_url=session.server_url, timeout=10.0) as client:
            login = await client.post("/api/v1/auth/login",
                                      json={"username": session.username, "password": session.password})
            assert login.status_code == 200, login.text
            client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
            me = await client.get("/api/v1/auth/me")
            assert me.status_code == 200

            page = (await client.get("/api/v1/devices", params={"q": "CZ-SEC", "limit": 500})).json()
            device_ids = {d["ocpp_identity"]: d["id"] for d in page["items"] if d["ocpp_identity"] in DEMO_IDENTITIES}
            assert len(device_ids) == 30

            connected: set[str] = set()

            async def all_connected() -> bool:
                await _connected_stations(client, device_ids, connected)
                return len(connected) == 30

            loop = asyncio.get_running_loop()
            deadline = loop.time() + 60
            while not await all_connected():
                assert loop.time() < deadline, f"only {len(connected)} of 30 stations connected within 60 s"
                await asyncio.sleep(0.5)
    finally:
        await demo.stop()

    assert not demo.running
    assert demo.child_pids == ()
    assert all(_gone(pid) for pid in pids)
    assert not workdir.exists()
    await demo.stop()  # a second stop does nothing


async def test_killing_the_console_takes_the_server_and_the_stations_with_it(tmp_path: Path) -> None:
    console = textwrap.dedent(f"""\
        import asyncio, json
        from pathlib import Path
        from ema_desktop.demo import DemoEnvironment

        async def main() -> None:
            demo = DemoEnvironment(stations=3, python={_python_without_seeding(tmp_path)!r},
                                   workdir=Path({str(tmp_path / "demo")!r}))
            await demo.start()
            print(json.dumps(demo.child_pids), flush=True)
            await asyncio.Event().wait()

        asyncio.run(main())
    """)
    with (tmp_path / "console.err").open("wb") as errors:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", console, stdout=asyncio.subprocess.PIPE, stderr=errors,
        )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line, (tmp_path / "console.err").read_text()
        pids = json.loads(line)
        assert len(pids) == 2
        assert not any(_gone(pid) for pid in pids)
    finally:
        process.kill()
        await process.wait()

    await until(lambda: all(_gone(pid) for pid in pids), timeout=5, what="the server and simulator to end")


async def test_a_program_that_cannot_run_is_explained_and_nothing_is_left(tmp_path: Path) -> None:
    demo = DemoEnvironment(stations=1, python=str(tmp_path / "no-such-python"))

    with pytest.raises(DemoError, match=r"could not start seeding the demo data.*No such file"):
        await demo.start()

    assert demo.child_pids == ()
    assert not demo.running


async def test_a_missing_module_fails_seeding_with_its_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "python-without-ema"
    script.write_text(f"#!/bin/sh\nshift 2\nexec {sys.executable} -m ema_no_such_module \"$@\"\n")
    script.chmod(0o755)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # where the demo makes its temporary folder
    demo = DemoEnvironment(stations=1, python=str(script))

    with pytest.raises(DemoError) as failure:
        await demo.start()

    message = str(failure.value)
    assert "seeding the demo data (ema-server seed) exited with status 1" in message
    assert "No module named ema_no_such_module" in message
    assert demo.child_pids == ()
    assert not any(temp.iterdir()), "the temporary folder is removed"


async def test_a_simulator_that_fails_stops_the_server_it_joined(tmp_path: Path) -> None:
    progress: list[str] = []
    demo = DemoEnvironment(stations=2, speed=-1.0, python=_python_without_seeding(tmp_path),
                           workdir=tmp_path / "demo", on_progress=progress.append)

    with pytest.raises(DemoError) as failure:
        await demo.start()

    message = str(failure.value)
    assert "the simulated stations (ema-sim) exited with status 2" in message
    assert "must be a positive number" in message
    assert "Starting the demo server…" in progress  # the server had started
    assert demo.child_pids == ()
    assert not demo.running


async def test_stop_now_kills_every_child_without_waiting(tmp_path: Path) -> None:
    demo = DemoEnvironment(stations=1, python=_python_without_seeding(tmp_path), workdir=tmp_path / "demo")
    await demo.start()
    pids = demo.child_pids

    demo.stop_now()

    await until(lambda: all(_gone(pid) for pid in pids), timeout=5, what="the children to end")
    assert not demo.running
    await demo.stop()  # reaps them; nothing left to signal
    assert demo.child_pids == ()
