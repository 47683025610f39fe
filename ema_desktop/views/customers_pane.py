"""The CUSTOMERS pane: find a customer by anything the caller says, as you type, and see their card —
contact data, contact persons, devices with their live status, and tickets.

Results and card sit side by side when the pane is wide, one above the other when it is docked
narrow. Typing searches 250 ms after the last key (the model drops answers a newer search
overtook); Enter searches at once and opens the first hit; Down moves into the results. A
selected result opens its card. Activating a device (double-click or Enter) asks the console to
show that station; activating a ticket asks it to open the ticket.

An operator allowed to change contact data edits a contact person with "Edit…" above the contacts
(or by activating the contact) in a dialog; a contact whose change the server does not have yet
carries a "not sent yet" marker until it does.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter, QPalette, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.records import CustomerDetail
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import (
    CUSTOMER_STATUS_COLOURS,
    CustomerDetailModel,
    CustomerSearchModel,
    IdRole,
    PendingRole,
    SecondaryTextRole,
    customer_kind_label,
    customer_status_label,
    customer_title,
    local_date_text,
    phone_text,
)
from ema_desktop.views import theme
from ema_desktop.views.contact_dialog import ContactDialog

SELECTED_SECONDARY = "#c6d8ec"
"""The person behind a company on a selected (accent-blue) row: readable, but second."""
SEARCH_DELAY_MS = 250
"""Debounce: search once the operator pauses typing, not on every key."""
SIDE_BY_SIDE_MIN_WIDTH = 1100
"""Below this width the card goes under the results instead of next to them."""
MAX_CONTACT_ROWS = 4
"""The contacts table grows up to this many rows, then scrolls."""
MIN_TEXT_BESIDE_MARKER = 110
"""Pixels of a cell's text the "not sent yet" chip leaves; a narrower cell gets a dot instead."""
PENDING_COLOUR = theme.WARNING
PENDING_BACKGROUND = "#fff4e0"
"""The "not sent yet" chip: amber like everything that waits for the operator's attention."""


def _table(model: QAbstractItemModel, parent: QWidget | None = None) -> QTableView:
    """A dense, read-only, row-selecting table as every list of this pane uses."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setStretchLastSection(True)
    view.setStyleSheet(
        f"QTableView {{ border: 1px solid {theme.BORDER}; border-radius: 3px; }}"
        f"QHeaderView::section {{ background: {theme.WINDOW}; color: {theme.MUTED}; border: none;"
        f" border-bottom: 1px solid {theme.BORDER}; padding: 4px 6px; font-weight: 600; }}"
    )
    return view


def _size_columns(view: QTableView, widths: dict[int, int], stretch: int | None = None) -> None:
    header = view.horizontalHeader()
    for column, width in widths.items():
        header.resizeSection(column, width)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.92)
    font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)
    label.setStyleSheet(f"color: {theme.MUTED}; padding-top: 4px;")
    return label


def _cell_without_text(delegate: QStyledItemDelegate, painter: QPainter, option: QStyleOptionViewItem,
                       index: QModelIndex | QPersistentModelIndex) -> tuple[QStyleOptionViewItem, str, QRect]:
    """Paint a cell's background, selection and focus but not its text; the style option, the text
    and the rectangle the text goes in, for a delegate that draws the text itself."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    text = opt.text
    opt.text = ""
    widget = opt.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).adjusted(3, 0, -3, 0)
    return opt, text, rect


class _NameDelegate(QStyledItemDelegate):
    """The Name column: the company in full, the person behind it muted after it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        secondary = index.data(SecondaryTextRole)
        if not secondary:
            super().paint(painter, option, index)
            return
        opt, primary, rect = _cell_without_text(self, painter, option, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        metrics = opt.fontMetrics
        align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.save()
        palette: QPalette = opt.palette
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        shown = metrics.elidedText(primary, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, align, shown)
        used = metrics.horizontalAdvance(shown) + metrics.horizontalAdvance("  ")
        if shown == primary and used < rect.width() - 20:
            rest = rect.adjusted(used, 0, 0, 0)
            painter.setPen(QColor(SELECTED_SECONDARY) if selected
                           else palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(rest, align, metrics.elidedText(secondary, Qt.TextElideMode.ElideRight, rest.width()))
        painter.restore()


class PendingMarkerDelegate(QStyledItemDelegate):
    """A cell with the "not sent yet" chip at its right end when the row's record waits in the
    outbox (the model's PendingRole holds the chip's text); otherwise an ordinary cell."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        marker = index.data(PendingRole)
        if not marker:
            super().paint(painter, option, index)
            return
        opt, text, rect = _cell_without_text(self, painter, option, index)
        chip_font = QFont(opt.font)
        chip_font.setPointSizeF(opt.font.pointSizeF() * 0.85)
        chip_font.setWeight(QFont.Weight.DemiBold)
        painter.save()
        painter.setFont(chip_font)
        chip_metrics = painter.fontMetrics()
        chip_width = chip_metrics.horizontalAdvance(marker) + 12
        chip_height = min(rect.height() - 4, chip_metrics.height() + 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(PENDING_COLOUR))
        painter.setBrush(QColor(PENDING_BACKGROUND))
        wanted = min(opt.fontMetrics.horizontalAdvance(text), MIN_TEXT_BESIDE_MARKER)
        if rect.width() - chip_width - 6 < wanted:
            # A narrow column keeps the text readable: an amber dot stands for the chip (the
            # tooltip says what it means).
            chip_width = chip_height = min(rect.height() - 8, 10)
            chip = QRect(rect.right() - chip_width, rect.center().y() - chip_height // 2, chip_width, chip_height)
            painter.setBrush(QColor(PENDING_COLOUR))
            painter.drawEllipse(chip)
        else:
            chip = QRect(rect.right() - chip_width, rect.center().y() - chip_height // 2 + 1, chip_width,
                         chip_height)
            painter.drawRoundedRect(chip.adjusted(0, 0, -1, -1), chip_height / 2, chip_height / 2)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, marker)
        painter.restore()
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        room = rect.adjusted(0, 0, -(chip_width + 6), 0)
        painter.drawText(room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, room.width()))
        painter.restore()


class _CustomerCard(QWidget):
    """The open customer: header with status chip, contact block, contacts, devices and tickets."""

    def __init__(self, detail: CustomerDetailModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail = detail
        self._languages = {"cs": self.tr("Czech"), "en": self.tr("English"), "sk": self.tr("Slovak"),
                           "de": self.tr("German"), "pl": self.tr("Polish")}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)

        # Header: name, status chip, loading note; a muted line of identifiers below.
        top = QHBoxLayout()
        top.setSpacing(10)
        self.name = QLabel()
        self.name.setObjectName("customer-name")
        name_font = self.name.font()
        name_font.setPointSizeF(name_font.pointSizeF() * 1.45)
        name_font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(name_font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status_chip = QLabel()
        self.status_chip.setObjectName("customer-status")
        self.loading_note = QLabel(self.tr("Updating…"))
        self.loading_note.setStyleSheet(f"color: {theme.MUTED};")
        self.loading_note.hide()
        # Shown to privacy officers only (no one else receives such a customer): why the data is frozen.
        self.restriction_chip = QLabel()
        self.restriction_chip.setObjectName("customer-restriction")
        self.restriction_chip.setStyleSheet(
            f"color: {theme.DANGER}; border: 1px solid {theme.DANGER}; border-radius: 9px; padding: 1px 9px;"
            f" font-weight: 600; background: {theme.BASE};")
        self.restriction_chip.hide()
        top.addWidget(self.name, 1)
        top.addWidget(self.loading_note)
        top.addWidget(self.restriction_chip)
        top.addWidget(self.status_chip)
        # Privacy officers and administrators: who read or changed this customer's data.
        self.audit_button = QPushButton(self.tr("Audit trail…"))
        self.audit_button.setObjectName("customer-audit-trail")
        self.audit_button.setToolTip(self.tr("Who read or changed this customer's data"))
        self.audit_button.hide()
        top.addWidget(self.audit_button)
        layout.addLayout(top)
        self.identifiers = QLabel()
        self.identifiers.setStyleSheet(f"color: {theme.MUTED};")
        self.identifiers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.identifiers)
        self.error = QLabel()
        self.error.setObjectName("customer-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.DANGER};")
        self.error.hide()
        layout.addWidget(self.error)

        # Contact block: two columns of caption and value across the card.
        block = QFrame()
        block.setObjectName("contact-block")
        block.setStyleSheet(f"QFrame#contact-block {{ background: {theme.BASE}; border: 1px solid {theme.BORDER};"
                            " border-radius: 3px; }")
        grid = QGridLayout(block)
        grid.setContentsMargins(10, 7, 10, 7)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.fields: dict[str, QLabel] = {}
        captions = [("email", self.tr("E-mail")), ("phone", self.tr("Phone")),
                    ("billing", self.tr("Billing address")), ("language", self.tr("Language")),
                    ("since", self.tr("Customer since"))]
        for position, (key, caption) in enumerate(captions):
            row, column = divmod(position, 2)
            caption_label = QLabel(caption)
            caption_label.setStyleSheet(f"color: {theme.MUTED};")
            value = QLabel()
            value.setObjectName(f"customer-{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(caption_label, row, column * 2)
            grid.addWidget(value, row, column * 2 + 1)
            self.fields[key] = value
        grid.setColumnStretch(1, 3)  # e-mail and address are the long ones
        grid.setColumnStretch(3, 2)
        layout.addWidget(block)

        # Contact persons: rarely more than a few, so the table is as tall as its rows.
        contacts_top = QHBoxLayout()
        contacts_top.setContentsMargins(0, 0, 0, 0)
        self.contacts_title = _section_title("")
        self.edit_contact_button = QPushButton(self.tr("Edit…"))
        self.edit_contact_button.setObjectName("edit-contact")
        self.edit_contact_button.setToolTip(self.tr("Change the selected contact person's name, role, e-mail or phone"))
        self.edit_contact_button.setVisible(detail.may_edit_contacts)
        self.edit_contact_button.setEnabled(False)
        contacts_top.addWidget(self.contacts_title, 1, Qt.AlignmentFlag.AlignBottom)
        contacts_top.addWidget(self.edit_contact_button)
        self.contacts_view = _table(detail.contacts)
        self.contacts_view.setObjectName("customer-contacts")
        self.contacts_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.contacts_view.setItemDelegateForColumn(detail.contacts.NAME, PendingMarkerDelegate(self.contacts_view))
        _size_columns(self.contacts_view, {0: 250, 1: 90, 3: 140}, stretch=2)
        layout.addLayout(contacts_top)
        layout.addWidget(self.contacts_view)
        self.no_contacts = QLabel(self.tr("No contact persons besides the customer."))
        self.no_contacts.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.no_contacts)

        # Devices above tickets, the operator decides how to share the height.
        split = self._lists = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        self._shown_id: str | None = None
        self._pending_share: tuple[int, int] | None = None  # row counts to share the height by, once laid out
        devices_box = QWidget()
        devices_layout = QVBoxLayout(devices_box)
        devices_layout.setContentsMargins(0, 0, 0, 0)
        devices_layout.setSpacing(2)
        self.devices_title = _section_title("")
        self.devices_view = _table(detail.devices)
        self.devices_view.setObjectName("customer-devices")
        _size_columns(self.devices_view, {0: 185, 1: 114, 2: 160, 3: 108, 4: 124})
        devices_layout.addWidget(self.devices_title)
        devices_layout.addWidget(self.devices_view, 1)
        tickets_box = QWidget()
        tickets_layout = QVBoxLayout(tickets_box)
        tickets_layout.setContentsMargins(0, 0, 0, 0)
        tickets_layout.setSpacing(2)
        self.tickets_title = _section_title("")
        self.tickets_view = _table(detail.tickets)
        self.tickets_view.setObjectName("customer-tickets")
        # Number, state, priority and due date fit their contents; the title takes what is left.
        _size_columns(self.tickets_view, {}, stretch=1)
        for column in (0, 2, 3, 4):
            self.tickets_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        tickets_layout.addWidget(self.tickets_title)
        tickets_layout.addWidget(self.tickets_view, 1)
        split.addWidget(devices_box)
        split.addWidget(tickets_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)

    def show_customer(self, customer: CustomerDetail, open_tickets: int) -> None:
        if customer.id != self._shown_id:
            self._shown_id = customer.id
            self._pending_share = (len(customer.devices), len(customer.tickets))
            self._share_height()
        self.name.setText(customer_title(customer))
        self.name.setToolTip(customer_title(customer))
        colour = CUSTOMER_STATUS_COLOURS.get(customer.status, theme.MUTED)
        self.status_chip.setText(customer_status_label(customer.status))
        self.status_chip.setStyleSheet(
            f"color: {colour}; border: 1px solid {colour}; border-radius: 9px; padding: 1px 9px;"
            f" font-weight: 600; background: {theme.BASE};")
        if customer.erased_at is not None:
            self.restriction_chip.setText(self.tr("Erased — kept for legal reasons"))
            self.restriction_chip.setToolTip(self.tr(
                "An erasure on {date} left only what the law obliges keeping; it is restricted.").format(
                date=local_date_text(customer.erased_at)))
        elif customer.restricted_at is not None:
            self.restriction_chip.setText(self.tr("Restricted (Art. 18)"))
            self.restriction_chip.setToolTip(self.tr(
                "Processing restricted since {date}: only storage. Hotline and technicians do not see this "
                "customer.").format(date=local_date_text(customer.restricted_at)))
        self.restriction_chip.setVisible(customer.erased_at is not None or customer.restricted_at is not None)
        parts = [customer.customer_number, customer_kind_label(customer.kind)]
        if customer.company_name:
            parts.append(customer.name)
        if customer.ico:
            parts.append(self.tr("IČO {ico}").format(ico=customer.ico))
        if customer.dic:
            parts.append(self.tr("DIČ {dic}").format(dic=customer.dic))
        if customer.region:
            parts.append(customer.region)
        self.identifiers.setText("  ·  ".join(parts))
        self.fields["email"].setText(customer.email or "—")
        self.fields["phone"].setText(phone_text(customer.phone) or "—")
        street = customer.billing_street or ""
        town = " ".join(p for p in (customer.billing_postal_code, customer.billing_city) if p)
        self.fields["billing"].setText(", ".join(p for p in (street, town) if p) or "—")
        self.fields["language"].setText(self._languages.get(customer.language, customer.language))
        self.fields["since"].setText(local_date_text(customer.created_at))
        for value in self.fields.values():
            value.setToolTip(value.text())
        self.contacts_title.setText(self.tr("Contacts · {n}").format(n=len(customer.contacts)))
        self.contacts_view.setVisible(bool(customer.contacts))
        self.no_contacts.setVisible(not customer.contacts)
        self.edit_contact_button.setVisible(self._detail.may_edit_contacts and bool(customer.contacts))
        rows = min(len(customer.contacts), MAX_CONTACT_ROWS)
        self.contacts_view.setFixedHeight(self.contacts_view.horizontalHeader().sizeHint().height()
                                          + rows * self.contacts_view.verticalHeader().defaultSectionSize() + 4)
        self.devices_title.setText(self.tr("Devices · {n}").format(n=len(customer.devices)))
        self.tickets_title.setText(self.tr("Tickets · {open} open of {n}").format(open=open_tickets,
                                                                                    n=len(customer.tickets)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._share_height()

    def _share_height(self) -> None:
        """Give devices and tickets the height their rows need; when both need more than there
        is, neither gets less than a third. The operator's own split holds until another
        customer is opened."""
        if self._pending_share is None or not self.isVisible():
            return  # a hidden card has no height to share yet: done when it shows
        layout = self.layout()
        if layout is not None:
            layout.activate()
        total = sum(self._lists.sizes())
        if total <= 0:
            return
        devices, tickets = self._pending_share
        self._pending_share = None
        row = self.devices_view.verticalHeader().defaultSectionSize()
        chrome = (self.devices_view.horizontalHeader().sizeHint().height() + self.devices_title.sizeHint().height()
                  + self.devices_view.horizontalScrollBar().sizeHint().height() + 12)
        wanted = [chrome + max(devices, 2) * row, chrome + max(tickets, 2) * row]
        first = wanted[0] if sum(wanted) <= total else max(min(wanted[0], total - total // 3), total // 3)
        self._lists.setSizes([first, total - first])


class CustomersPane(QWidget):
    """Search field and results, and the open customer's card.

    Signals:
        station_requested(str): the operator activated a device of the open customer (its id).
        ticket_requested(str): the operator activated a ticket of the open customer (its id).
        audit_trail_requested(str, str): the operator asked who read or changed the open customer's
            data (customer id, the customer's name as shown).
    """

    station_requested = Signal(str)
    ticket_requested = Signal(str)
    audit_trail_requested = Signal(str, str)

    def __init__(self, search: CustomerSearchModel, detail: CustomerDetailModel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._detail = detail
        self._open_first = False  # Enter was pressed: open the first hit once the search answers
        self._search_error = ""
        self._tasks = OwnedTasks(self)

        self._debounce = QTimer(self)
        self._debounce.setObjectName("customer-search-debounce")
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)

        # --- results
        results = QWidget()
        results_layout = QVBoxLayout(results)
        results_layout.setContentsMargins(10, 10, 6, 8)
        results_layout.setSpacing(6)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("customer-search")
        self.search_edit.setPlaceholderText(self.tr("Name, phone, e-mail, customer no., IČO, serial or OCPP id"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumHeight(self.search_edit.sizeHint().height() + 6)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        # Down moves into the results. A shortcut rather than an event filter: a Python filter
        # on a child is called while the pane is being destroyed, and that crashes PySide.
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search_edit)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._on_search_edit_down_pressed)
        self.summary = QLabel()
        self.summary.setObjectName("customer-search-summary")
        self.summary.setStyleSheet(f"color: {theme.MUTED};")
        self.summary.setWordWrap(True)
        self.results_view = _table(search)
        self.results_view.setObjectName("customer-results")
        self.results_view.setItemDelegateForColumn(CustomerSearchModel.NAME, _NameDelegate(self.results_view))
        _size_columns(self.results_view, {0: 112, 1: 200, 2: 86, 3: 112, 4: 132, 5: 200})
        self.results_view.selectionModel().currentRowChanged.connect(self._on_results_current_row_changed)
        results_layout.addWidget(self.search_edit)
        results_layout.addWidget(self.summary)
        results_layout.addWidget(self.results_view, 1)

        # --- card (or a hint while none is open)
        self._stack = QStackedWidget()
        self._hint = QLabel(self.tr("Select a customer to see their contacts, devices and tickets."))
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setWordWrap(True)
        self._hint.setStyleSheet(f"color: {theme.MUTED};")
        self.card = _CustomerCard(detail)
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self.card)
        self.card.devices_view.activated.connect(self._on_devices_view_activated)
        self.card.tickets_view.activated.connect(self._on_tickets_view_activated)
        self.card.contacts_view.activated.connect(self._on_contacts_view_activated)
        self.card.contacts_view.selectionModel().currentRowChanged.connect(self._on_contacts_current_row_changed)
        self.card.edit_contact_button.clicked.connect(self._on_edit_contact_button_clicked)
        self.card.audit_button.clicked.connect(self._on_audit_button_clicked)
        self.contact_dialog: ContactDialog | None = None
        """The open "Edit contact person" dialog, if any."""
        self._contact_id: str | None = None  # the selected contact person, kept across reloads

        self._split = QSplitter(Qt.Orientation.Horizontal)
        self._split.setChildrenCollapsible(False)
        self._split.addWidget(results)
        self._split.addWidget(self._stack)
        self._split.setStretchFactor(0, 1)
        self._split.setStretchFactor(1, 1)
        self._split_arranged = False  # the first layout shares the space; after that the operator decides
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._split)

        search.loading_changed.connect(self._on_search_loading_changed)
        search.failed.connect(self._on_search_failed)
        search.searched.connect(self._on_search_searched)
        detail.changed.connect(self._on_detail_changed)
        detail.failed.connect(self._on_detail_failed)
        detail.loading_changed.connect(self._on_detail_loading_changed)
        self._update_summary()
        self._on_detail_changed()
        if not search.answered:
            # The first customers as soon as the loop runs (a timer of the pane: it dies with it).
            self._first_search = QTimer(self)
            self._first_search.setSingleShot(True)
            self._first_search.timeout.connect(self._on_debounce_timeout)
            self._first_search.start(0)

    # --- what the console asks -----------------------------------------------------------------

    def has_data(self) -> bool:
        """Results are shown and, if a customer is open, their card is loaded."""
        return self._search.answered and self._detail.loaded

    def offer_audit_trail(self, offered: bool) -> None:
        """Show "Audit trail…" on the card (for operators who may read the audit trail)."""
        self.card.audit_button.setVisible(offered)

    def _on_audit_button_clicked(self) -> None:
        customer = self._detail.customer
        if customer is not None:
            self.audit_trail_requested.emit(customer.id, customer_title(customer))

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    async def show_customer(self, customer_id: str) -> None:
        """Open a customer's card (global search, a ticket's link), selecting them if listed."""
        await self._detail.open(customer_id)
        self._select_open_customer()

    def select_contact(self, contact_id: str) -> bool:
        """Select a contact person of the open customer (False when they have none by this id)."""
        row = self._detail.contacts.row_of(contact_id)
        if row is None:
            return False
        self.card.contacts_view.setCurrentIndex(self._detail.contacts.index(row, 0))
        return True

    def edit_contact(self, contact_id: str | None = None) -> ContactDialog | None:
        """Open the "Edit contact person" dialog for a contact (default: the selected one); None
        when the operator may not change contacts or there is no such contact."""
        if self.contact_dialog is not None:
            self.contact_dialog.raise_()
            self.contact_dialog.activateWindow()
            return self.contact_dialog
        wanted = contact_id or self._contact_id
        editor = None if wanted is None else self._detail.contact_editor(wanted)
        if editor is None:
            return None
        dialog = ContactDialog(editor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._on_contact_dialog_finished)
        self.contact_dialog = dialog
        dialog.open()
        return dialog

    # --- searching -----------------------------------------------------------------------------

    def _start(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        self._tasks.start(coroutine)

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        self._start(self._search.search(self.search_edit.text().strip()))

    def _on_search_edit_return_pressed(self) -> None:
        query = self.search_edit.text().strip()
        if self._debounce.isActive() or self._search.loading or query != self._search.query:
            self._debounce.stop()
            self._open_first = True
            self._start(self._search.search(query))
        else:
            self._open_first_result()

    def _on_search_edit_down_pressed(self) -> None:
        if self._search.rowCount() > 0:
            self.results_view.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.results_view.currentIndex().isValid():
                self.results_view.setCurrentIndex(self._search.index(0, 0))

    def _open_first_result(self) -> None:
        if self._search.rowCount() > 0:
            self.results_view.setCurrentIndex(self._search.index(0, 0))

    def _on_search_loading_changed(self, _loading: bool) -> None:
        self._update_summary()

    def _on_search_failed(self, message: str) -> None:
        self._search_error = message
        self._open_first = False
        self._update_summary()

    def _on_search_searched(self, _query: str, _total: int) -> None:
        self._search_error = ""
        self._update_summary()
        self._select_open_customer()
        if self._open_first:
            self._open_first = False
            self._open_first_result()

    def _update_summary(self) -> None:
        search = self._search
        if self._search_error:
            text = self.tr("Search failed: {message}").format(message=self._search_error)
            self.summary.setStyleSheet(f"color: {theme.DANGER};")
        else:
            self.summary.setStyleSheet(f"color: {theme.MUTED};")
            shown = search.rowCount()
            if not search.answered:
                text = self.tr("Searching…")
            elif not search.query:
                text = self.tr("{total} customers, first {shown} by name").format(total=search.total, shown=shown) \
                    if search.total > shown else self.tr("{total} customers").format(total=search.total)
            elif search.total == 0:
                text = self.tr("No customer found for “{query}”").format(query=search.query)
            elif search.total > shown:
                text = self.tr("{total} found for “{query}”, showing the first {shown}").format(
                    total=search.total, query=search.query, shown=shown)
            else:
                text = self.tr("{total} found for “{query}”").format(total=search.total, query=search.query)
            if search.loading and search.answered:
                text += self.tr("  ·  searching…")
        self.summary.setText(text)

    # --- the card ------------------------------------------------------------------------------

    def _on_results_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        customer_id = str(current.data(IdRole))
        if customer_id != self._detail.customer_id:
            self._start(self._detail.open(customer_id))

    def _select_open_customer(self) -> None:
        """Keep the open customer's result row selected (after a new search, or an outside open)."""
        customer_id = self._detail.customer_id
        row = None if customer_id is None else self._search.row_of(customer_id)
        if row is None:
            self.results_view.clearSelection()
            return
        index = self._search.index(row, 0)
        if self.results_view.currentIndex().row() != row:
            self.results_view.setCurrentIndex(index)
        self.results_view.scrollTo(index)

    def _on_detail_changed(self) -> None:
        customer = self._detail.customer
        if customer is None:
            if self._detail.customer_id is None:
                self._stack.setCurrentWidget(self._hint)
            return
        self.card.error.hide()
        self.card.show_customer(customer, self._detail.tickets.open_count())
        self._stack.setCurrentWidget(self.card)
        # A reload resets the contacts table: the operator's contact stays selected.
        if self._contact_id is not None and not self.select_contact(self._contact_id):
            self._contact_id = None
        self.card.edit_contact_button.setEnabled(self._contact_id is not None)

    def _on_detail_failed(self, message: str) -> None:
        self.card.error.setText(self.tr("Could not load the customer: {message}").format(message=message))
        self.card.error.show()
        if self._detail.customer is None:
            self._hint.setText(self.tr("Could not load the customer: {message}").format(message=message))
            self._stack.setCurrentWidget(self._hint)

    def _on_detail_loading_changed(self, loading: bool) -> None:
        self.card.loading_note.setVisible(loading and self._detail.customer is not None)
        if loading and self._detail.customer is None:
            self._hint.setText(self.tr("Loading the customer…"))
            self._stack.setCurrentWidget(self._hint)
        elif not loading and self._detail.customer is None and self._detail.customer_id is None:
            self._hint.setText(self.tr("Select a customer to see their contacts, devices and tickets."))

    def _on_contacts_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._contact_id = str(current.data(IdRole))
            self.card.edit_contact_button.setEnabled(True)

    def _on_contacts_view_activated(self, index: QModelIndex) -> None:
        if index.isValid() and self._detail.may_edit_contacts:
            self.edit_contact(str(index.data(IdRole)))

    def _on_edit_contact_button_clicked(self) -> None:
        self.edit_contact()

    def _on_contact_dialog_finished(self, _result: int) -> None:
        self.contact_dialog = None

    def _on_devices_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.station_requested.emit(str(index.data(IdRole)))

    def _on_tickets_view_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ticket_requested.emit(str(index.data(IdRole)))

    # --- layout --------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= SIDE_BY_SIDE_MIN_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self._split.orientation() != orientation or not self._split_arranged:
            self._split.setOrientation(orientation)
            extent = event.size().width() if wide else event.size().height()
            self._split.setSizes([int(extent * 0.49), extent - int(extent * 0.49)] if wide
                                 else [int(extent * 0.4), extent - int(extent * 0.4)])
            self._split_arranged = True
        super().resizeEvent(event)
