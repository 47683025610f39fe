"""Snapshot mode (`--demo --snapshot DIR`): wait until every pane shows real data, then save one
PNG per pane — the pictures in the README, and a way to look at the console without a screen."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from ema_desktop.workspace import Workspace

log = logging.getLogger(__name__)

FILES = {
    "customers": "customers.png",
    "device-map": "device-map.png",
    "telemetry": "telemetry.png",
    "tickets": "tickets.png",
    "privacy": "privacy.png",
    "audit": "audit.png",
    "retention": "retention.png",
}
SETTLE_SECONDS = 0.4
WINDOW_SIZE = (1600, 960)
SHORT_WINDOW = timedelta(minutes=15)
HISTORY_WINDOW = timedelta(hours=6)
CANDIDATE_SECONDS = 15.0
MAX_CANDIDATES = 60
HISTORY_POINTS = 100


class SnapshotTimeout(Exception):
    """Some pane never showed data in time; the message names them."""


async def _wait_for(condition: Callable[[], bool], deadline: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    while not condition():
        if loop.time() > deadline:
            raise SnapshotTimeout(f"no data in time: {what}")
        await asyncio.sleep(0.1)


def _pane_ready(workspace: Workspace) -> dict[str, Callable[[], bool]]:
    ready: dict[str, Callable[[], bool]] = {}
    if workspace.customers_pane is not None:
        ready["customers"] = workspace.customers_pane.has_data
    if workspace.map_view is not None:
        ready["device-map"] = workspace.map_view.has_data
    if workspace.telemetry_pane is not None:
        ready["telemetry"] = workspace.telemetry_pane.has_data
    if workspace.tickets_pane is not None:
        ready["tickets"] = workspace.tickets_pane.has_data
    if workspace.privacy_pane is not None:
        ready["privacy"] = workspace.privacy_pane.has_data
    if workspace.audit_pane is not None:
        ready["audit"] = workspace.audit_pane.has_data
    if workspace.retention_pane is not None:
        ready["retention"] = workspace.retention_pane.has_data
    return ready


def _watch_live(workspace: Workspace) -> tuple[list[str], list[str]]:
    """Stations seen streaming telemetry, and those of them delivering power, in the order seen.

    The seeded statuses of stations the simulator does not run may say Charging too, but only live
    ones have a chart worth showing.
    """
    live: list[str] = []
    charging: list[str] = []

    def on_telemetry(device_id: str, series: object) -> None:
        if device_id not in workspace.devices or not isinstance(series, list):
            return
        if device_id not in live:
            live.append(device_id)
        if device_id in charging:
            return
        for entry in series:
            if isinstance(entry, dict) and entry.get("measurand") == "power" and any(
                isinstance(p, list) and len(p) == 2 and p[1] > 1.0 for p in entry.get("points", ())
            ):
                charging.append(device_id)
                return

    workspace.data.telemetry_received.connect(on_telemetry)
    return live, charging


async def _station_with_history(workspace: Workspace, candidates: list[str]) -> str:
    """Of the candidates, the one whose recent hours show the most charging (power above 1 kW).

    The demo data has a week of telemetry for some simulated stations: the picture of one of those
    shows hours of sessions continuing live; a station with only live minutes gets a short window.
    """
    telemetry = workspace.telemetry
    await telemetry.set_window(HISTORY_WINDOW)
    best, best_score = candidates[0], -1
    for device_id in dict.fromkeys(candidates):
        await telemetry.show_station(device_id, device_id)
        score = sum(int((line.values > 1.0).sum()) for line in telemetry.series("power"))
        if telemetry.point_count() >= HISTORY_POINTS and score > best_score:
            best, best_score = device_id, score
    if best_score < 0:
        await telemetry.set_window(SHORT_WINDOW)
    return best


async def _show_request_at_work(workspace: Workspace, deadline: float) -> None:
    """Select the most urgent erasure request being worked on (else any in progress), so the picture
    shows a request's steps and its work, not an empty detail."""
    assert workspace.privacy_pane is not None
    model = workspace.privacy
    requests = [model.request_at(row) for row in range(model.rowCount())]
    at_work = [r for r in requests if r.state in ("in_progress", "extended")]
    chosen = next((r for r in at_work if r.right == "erasure"), at_work[0] if at_work else None)
    if chosen is None or not workspace.privacy_pane.select_request(chosen.id):
        return
    workflow = workspace.privacy_pane.workflow
    await asyncio.sleep(SETTLE_SECONDS)
    await _wait_for(lambda: not workflow.busy, deadline, "the selected privacy request")


async def take_snapshots(workspace: Workspace, directory: Path, time_limit: float) -> list[Path]:
    """Put each pane in a state worth showing, wait for its data, save the PNGs; the paths saved."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + time_limit
    workspace.window.resize(*WINDOW_SIZE)
    await loop.run_in_executor(None, lambda: directory.mkdir(parents=True, exist_ok=True))
    ready = _pane_ready(workspace)
    if workspace.audit_pane is not None:
        workspace.audit_pane.start_loading()  # it loads when first shown, and it is tabbed behind
    if workspace.retention_pane is not None:
        workspace.retention_pane.start_loading()  # the same: listing the holds is recorded

    live, charging = _watch_live(workspace)
    if workspace.map_view is not None:
        await _wait_for(workspace.map_view.has_data, deadline, "device map")
        await _wait_for(lambda: bool(charging), deadline, "a station charging live")
        await asyncio.sleep(CANDIDATE_SECONDS)  # a few more stations start: prefer one with history
        connected = [d for d in workspace.devices
                     if (pin := workspace.stations.pin(d)) is not None and pin.status != "Offline"]
        station = await _station_with_history(workspace, [*charging, *live, *connected][:MAX_CANDIDATES])
        workspace.show_station(station)
        device = workspace.devices[station]
        if workspace.customers_pane is not None:
            await workspace.customers_pane.show_customer(device.customer_id)
    if workspace.tickets_pane is not None:
        await _wait_for(workspace.tickets_pane.has_data, deadline, "tickets")
        queue = workspace.ticket_queue
        if queue.rowCount() > 0:
            workspace.tickets_pane.select_ticket(queue.ticket_at(0).id)

    for key, is_ready in ready.items():
        await _wait_for(is_ready, deadline, key)
    if workspace.privacy_pane is not None:
        await _show_request_at_work(workspace, deadline)
    if workspace.telemetry_pane is not None:
        # A few live updates on top of the history, so the picture shows the stream, not a stale load.
        await _wait_for(lambda: workspace.telemetry.point_count() > 10, deadline, "telemetry points")

    saved: list[Path] = []
    window = workspace.window
    for key in ready:
        window.show_only(key)
        window.raise_pane(key)
        await asyncio.sleep(SETTLE_SECONDS)  # let the layout settle and the panes repaint at their new size
        if key == "device-map" and workspace.map_view is not None:
            workspace.map_view.fit_country()  # the whole fleet, the selected station ringed
            await asyncio.sleep(SETTLE_SECONDS)
        path = directory / FILES[key]
        image = window.grab().toImage()  # painting belongs to the GUI thread, writing the file does not
        if not await loop.run_in_executor(None, image.save, str(path)):
            raise OSError(f"could not write {path}")
        log.info("saved %s", path.name)
        saved.append(path)
    window.reset_layout()
    return saved
