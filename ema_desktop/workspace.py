"""One signed-in session of the console: the data-access layer, the panes' models, the panes and
the main window, wired together — selection in one pane moves the others, live events reach
the models, and the first data is loaded in parallel as soon as the window opens."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import Device
from ema_desktop.data.access import HANDLE_PRIVACY, VIEW_CUSTOMERS, WORK_TICKETS, DataAccess
from ema_desktop.data.local_data import LocalData
from ema_desktop.local_work import LocalWork
from ema_desktop.models.audit import VIEW_AUDIT, AuditTrailModel
from ema_desktop.models.customers import CustomerDetailModel, CustomerSearchModel
from ema_desktop.models.global_search import GlobalSearchModel
from ema_desktop.models.privacy import PrivacyRequestModel, TicketOrigin
from ema_desktop.models.retention import VIEW_RETENTION, RetentionModel
from ema_desktop.models.stations import StationMapModel, StationPin
from ema_desktop.models.telemetry import StationTelemetry
from ema_desktop.models.tickets import TicketEditor, TicketQueueModel
from ema_desktop.tasks import BackgroundTasks, cancel_console_tasks
from ema_desktop.views.audit_pane import AuditPane
from ema_desktop.views.customers_pane import CustomersPane
from ema_desktop.views.device_map import DeviceMapView
from ema_desktop.views.main_window import MainWindow, Pane
from ema_desktop.views.privacy_pane import PrivacyPane
from ema_desktop.views.retention_pane import RetentionPane
from ema_desktop.views.telemetry_pane import TelemetryPane
from ema_desktop.views.tickets_pane import TicketsPane

log = logging.getLogger(__name__)


def _pin(device: Device) -> StationPin:
    assert device.latitude is not None and device.longitude is not None
    return StationPin(
        device_id=device.id, label=device.label, customer_name=None, kind=device.kind, latitude=device.latitude,
        longitude=device.longitude, status=device.status, error_code=device.error_code, region=device.region,
    )


class Workspace(QObject):
    """Everything the operator works with while signed in.

    Signals:
        finished(str): the workspace ended: "closed" (window closed), "sign_out" (operator signed out)
            or "session_ended" (the server ended the session).
    """

    finished = Signal(str)

    def __init__(self, client: BackendClient, local: LocalData | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.local = local
        self.data = DataAccess(client, local, self)
        operator = self.data.operator
        self.tasks = BackgroundTasks(self._on_task_failed)
        self.devices: dict[str, Device] = {}

        self.stations = StationMapModel(self)
        self.telemetry = StationTelemetry(self.data, self)
        self.customer_search = CustomerSearchModel(self.data, self)
        self.customer_detail = CustomerDetailModel(self.data, self)
        self.ticket_queue = TicketQueueModel(self.data, self)
        self.ticket_editor = TicketEditor(self.data, self)
        self.privacy = PrivacyRequestModel(self.data, self)
        self.global_search = GlobalSearchModel(self.data, self)
        self.audit = AuditTrailModel(self.data, self)
        self.retention = RetentionModel(self.data, self)

        panes: list[Pane] = []
        self.customers_pane: CustomersPane | None = None
        self.map_view: DeviceMapView | None = None
        self.telemetry_pane: TelemetryPane | None = None
        self.tickets_pane: TicketsPane | None = None
        self.privacy_pane: PrivacyPane | None = None
        self.audit_pane: AuditPane | None = None
        self.retention_pane: RetentionPane | None = None
        if self.data.may(VIEW_CUSTOMERS):
            self.customers_pane = CustomersPane(self.customer_search, self.customer_detail)
            self.map_view = DeviceMapView(self.stations)
            self.telemetry_pane = TelemetryPane(self.telemetry)
            panes.append(Pane("customers", self.tr("Customers"), self.customers_pane))
        if self.data.may(WORK_TICKETS):
            self.tickets_pane = TicketsPane(self.ticket_queue, self.ticket_editor)
            panes.append(Pane("tickets", self.tr("Tickets"), self.tickets_pane))
        if self.data.may(HANDLE_PRIVACY):
            self.privacy_pane = PrivacyPane(self.privacy)
            panes.append(Pane("privacy", self.tr("Privacy requests"), self.privacy_pane))
        if self.data.may(VIEW_AUDIT):
            self.audit_pane = AuditPane(self.audit)
            panes.append(Pane("audit", self.tr("Audit"), self.audit_pane))
        if self.data.may(VIEW_RETENTION):
            self.retention_pane = RetentionPane(self.retention)
            panes.append(Pane("retention", self.tr("Retention"), self.retention_pane))
        if self.map_view is not None and self.telemetry_pane is not None:
            panes.append(Pane("device-map", self.tr("Device map"), self.map_view))
            panes.append(Pane("telemetry", self.tr("Live telemetry"), self.telemetry_pane))

        server = urlsplit(client.server_url).netloc or client.server_url
        self.window = MainWindow(panes, self.global_search, operator.display_name, operator.roles, server)
        self._ending: str | None = None
        self.local_work: LocalWork | None = None
        self._wire()

    # ------------------------------------------------------------------ wiring
    def _wire(self) -> None:
        data, window = self.data, self.window
        data.connection_changed.connect(window.connection.set_state)
        data.station_status_changed.connect(self._on_data_station_status_changed)
        data.telemetry_received.connect(self.telemetry.add_live)
        data.device_changed.connect(self._on_data_device_changed)
        data.resync_needed.connect(self._on_data_resync_needed)
        for model in (self.telemetry, self.customer_search, self.customer_detail, self.ticket_queue,
                      self.ticket_editor, self.privacy, self.global_search):
            model.failed.connect(self._on_task_failed)
        window.customer_chosen.connect(self._on_customer_requested)
        window.station_chosen.connect(self._on_station_requested)
        window.sign_out_requested.connect(self._on_window_sign_out_requested)
        window.closed.connect(self._on_window_closed)
        if self.map_view is not None:
            self.map_view.station_selected.connect(self._on_map_station_selected)
        if self.customers_pane is not None:
            self.customers_pane.station_requested.connect(self._on_station_requested)
            self.customers_pane.ticket_requested.connect(self._on_ticket_requested)
        if self.tickets_pane is not None:
            self.tickets_pane.customer_requested.connect(self._on_customer_requested)
            self.tickets_pane.station_requested.connect(self._on_station_requested)
        if self.privacy_pane is not None:
            self.privacy_pane.customer_requested.connect(self._on_customer_requested)
            if self.tickets_pane is not None:
                # A complaint that also asks "all data you hold about me": a request linked to the ticket.
                self.tickets_pane.set_privacy_intake(self._start_privacy_request)
        if self.customers_pane is not None and self.audit_pane is not None:
            self.customers_pane.offer_audit_trail(True)
            self.customers_pane.audit_trail_requested.connect(self.show_audit_trail)
        window.sync_requested.connect(self._on_window_sync_requested)
        local = self.local
        if local is not None:
            status = window.sync_status
            local.sync_progress.connect(status.show_progress)
            local.sync_finished.connect(self._on_local_sync_finished)
            local.outbox_changed.connect(status.show_outbox)
            local.reachability_changed.connect(self._on_local_reachability_changed)
            local.write_refused.connect(self._on_local_write_refused)
            status.cancel_requested.connect(local.cancel_pull)
            window.connection.set_data_as_of(local.synced_at)
            self.local_work = LocalWork(local, self.data, window, self)
            self.local_work.failed.connect(self._on_task_failed)
            status.outbox_requested.connect(self.local_work.review_outbox)
            window.field_preparation_requested.connect(self.local_work.open_field_preparation)

    def _on_window_sync_requested(self) -> None:
        if self.local is not None:
            self.local.start_pull()
            self.local.request_send()
        self.data.reconnect_now()

    def _on_local_sync_finished(self, caught_up: bool) -> None:
        assert self.local is not None
        self.window.sync_status.hide_progress()
        self.window.connection.set_data_as_of(self.local.synced_at)

    def _on_local_reachability_changed(self, reachable: bool) -> None:
        # Said at once, not after the live stream's retries run out.
        self.window.connection.set_reachable(reachable)
        if reachable:
            self.data.reconnect_now()

    def _on_local_write_refused(self, entry: object) -> None:
        summary = getattr(entry, "summary", "")
        reason = getattr(entry, "last_error", "") or ""
        self.window.show_message(self.tr("The server refused a change ({summary}): {reason}").format(
            summary=summary, reason=reason))

    def _on_task_failed(self, message: str) -> None:
        if self._ending is None or self._ending == "session_ended":
            self.window.show_message(message)

    def _on_data_station_status_changed(self, device_id: str, status: str, error_code: str) -> None:
        self.stations.update_status(device_id, status, error_code or None)

    def _on_data_device_changed(self, device_id: str) -> None:
        self.tasks.spawn(self._reload_device(device_id), "device reload")

    async def _reload_device(self, device_id: str) -> None:
        device = await self.data.device(device_id)
        if device.latitude is not None and device.longitude is not None:
            self.devices[device.id] = device
            self.stations.upsert(_pin(device))

    def _on_data_resync_needed(self) -> None:
        self.tasks.spawn(self.load_stations(), "stations")
        if self.tickets_pane is not None:
            self.tasks.spawn(self.ticket_queue.reload(), "tickets")
        if self.privacy_pane is not None:
            self.tasks.spawn(self.privacy.reload(), "privacy requests")

    def _on_map_station_selected(self, device_id: str) -> None:
        self.tasks.spawn(self.telemetry.show_station(device_id, self._station_title(device_id)), "telemetry")

    def _on_station_requested(self, device_id: str) -> None:
        self.show_station(device_id)

    def _on_customer_requested(self, customer_id: str) -> None:
        if self.customers_pane is None:
            return
        self.window.raise_pane("customers")
        self.tasks.spawn(self.customers_pane.show_customer(customer_id), "customer")

    def _on_ticket_requested(self, ticket_id: str) -> None:
        if self.tickets_pane is None:
            return
        self.window.raise_pane("tickets")
        self.tickets_pane.select_ticket(ticket_id)

    def _start_privacy_request(self, origin: TicketOrigin) -> object:
        """"Start privacy request…" on a ticket: the privacy pane comes forward with its intake dialog."""
        assert self.privacy_pane is not None
        self.window.raise_pane("privacy")
        return self.privacy_pane.new_request(origin)

    def show_audit_trail(self, customer_id: str, label: str) -> None:
        """Show the audit trail of one customer's data ("Show audit trail for this customer")."""
        if self.audit_pane is None:
            return
        self.window.raise_pane("audit")
        self.audit_pane.show_subject(customer_id, label)

    def _on_window_sign_out_requested(self) -> None:
        self._end("sign_out")

    def _on_window_closed(self) -> None:
        self._end("closed")

    def session_ended(self) -> None:
        """The server no longer accepts the session (called by the console)."""
        self._end("session_ended")

    def _end(self, how: str) -> None:
        if self._ending is None:
            self._ending = how
            self.finished.emit(how)

    # ------------------------------------------------------------------ actions
    def _station_title(self, device_id: str) -> str:
        device = self.devices.get(device_id)
        if device is None:
            return device_id
        return f"{device.label} · {device.vendor} {device.model}"

    def show_station(self, device_id: str) -> None:
        """Select a station on the map and stream its telemetry."""
        if self.map_view is None:
            return
        self.window.raise_pane("device-map")
        self.window.raise_pane("telemetry")
        self.map_view.select_station(device_id)
        self.tasks.spawn(self.telemetry.show_station(device_id, self._station_title(device_id)), "telemetry")

    async def load_stations(self) -> None:
        devices = await self.data.stations()
        self.devices = {d.id: d for d in devices}
        self.stations.set_stations([_pin(d) for d in devices])

    async def open(self) -> None:
        """Show the window and load every pane's first data in parallel; then go live."""
        if not self.window.restore_layout():
            self.window.reset_layout()
        self.window.show()
        self.data.start_live()
        if self.local is not None:
            self.local.start_pull()
        # The customers and privacy panes start their own first load, and the tickets pane its own
        # when shown: only what no pane starts is loaded here.
        loads = []
        if self.map_view is not None:
            loads += [self.map_view.load_basemap(), self.load_stations()]
        if self.tickets_pane is not None and not (self.ticket_queue.is_loaded or self.ticket_queue.is_loading):
            loads.append(self.ticket_queue.reload())
        results = await asyncio.gather(*loads, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                if isinstance(result, asyncio.CancelledError):
                    raise result
                self._on_task_failed(describe(result))

    async def close(self) -> None:
        """Stop live updates and background work; close the window if still open."""
        self._end("closed")  # from here on, failures of cancelled work are not news to the operator
        await self.data.stop_live()
        await self.tasks.cancel_all()
        for model in (self.ticket_queue, self.ticket_editor):
            model.close()
        await cancel_console_tasks()
        if self.window.isVisible():
            self.window.close()
        self.window.deleteLater()
        self.deleteLater()
