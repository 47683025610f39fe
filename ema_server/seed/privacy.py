"""Data-subject requests of the demo: every right in every state, with deadlines counted by
ema_server.domain.deadlines from the day each request arrived, and the history the privacy
rules (ema_server/privacy_requests.py) would have left.

Open requests are mostly within their month; a few are past it (overdue, which the console must
flag) and some were extended by two months with the reason and the notice to the subject
recorded. Numbers run ``P-<year>-00001`` upwards in the order requests were entered.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from ema_server.db.models import PrivacyRequest, PrivacyRequestEntry
from ema_server.db.models.privacy import PRIVACY_CHANNELS, PRIVACY_RIGHTS, PRIVACY_STATES
from ema_server.domain.deadlines import PRAGUE, privacy_due_at, privacy_extended_due_at
from ema_server.seed import czech, texts
from ema_server.seed.draws import Rows, new_uuid
from ema_server.seed.helpdesk import Staff
from ema_server.seed.plan import CustomerInfo, Planner

_STATE_WEIGHTS = (12, 10, 15, 13, 45, 5)
_CHANNEL_WEIGHTS = (45, 15, 10, 25, 5)
# (share overdue, normal age in days, overdue age in days) of open requests by state.
_OPEN_AGES = {
    "received": (0.1, (0, 6), (32, 45)),
    "identity_verification": (0.15, (1, 20), (32, 50)),
    "in_progress": (0.2, (3, 28), (32, 55)),
    "extended": (0.1, (35, 85), (95, 110)),
}


# The purposes a consent withdrawal or an objection names (fixed, so the random draws stay as they were).
_PURPOSES = {"consent_withdrawal": ["marketing_email", "marketing_push"], "objection": ["marketing_email"]}
_ANSWER_CHANNELS = ("email", "letter", "in_app", "phone")


def privacy_rows(rng: random.Random, planner: Planner, staff: Staff, now: datetime, count: int) -> Rows:
    drafts = []
    for index in range(count):
        if index < len(PRIVACY_RIGHTS) * len(PRIVACY_STATES):
            # The first requests walk through every right in every state.
            right = PRIVACY_RIGHTS[index % len(PRIVACY_RIGHTS)]
            state = PRIVACY_STATES[index // len(PRIVACY_RIGHTS)]
        else:
            right = rng.choice(PRIVACY_RIGHTS)
            state = rng.choices(PRIVACY_STATES, weights=_STATE_WEIGHTS)[0]
        if state in _OPEN_AGES:
            share, normal, late = _OPEN_AGES[state]
            low, high = late if rng.random() < share else normal
        else:
            low, high = (5, 400) if state == "completed" else (5, 300)
        received = now - timedelta(seconds=int(rng.uniform(low, high) * 86400) + 600)
        drafts.append((received, right, state))
    drafts.sort()
    rows: Rows = {PrivacyRequest: [], PrivacyRequestEntry: []}
    numbers: Counter[int] = Counter()
    guardians = [c for c in planner.customers if c.child_name][:50]
    for received, right, state in drafts:
        _request(rng, planner, staff, now, rows, numbers, guardians, received, right, state)
    return rows


def _request(rng: random.Random, planner: Planner, staff: Staff, now: datetime, rows: Rows, numbers: Counter[int],
             guardians: list[CustomerInfo], received: datetime, right: str, state: str) -> None:  # fmt: skip
    request_id = new_uuid(rng)
    created = min(now - timedelta(minutes=1), received + timedelta(minutes=rng.randint(5, 8 * 60)))
    year = created.astimezone(PRAGUE).year
    numbers[year] += 1
    relation = rng.choices(("subject", "app_user", "guardian", "representative"), weights=(80, 7, 5, 8))[0]
    customer = planner.customers[rng.randrange(len(planner.customers))] if rng.random() < 0.9 else None
    requester = email = phone = None
    if customer is None:
        stranger = czech.person(rng)
        subject_name, email, phone = stranger.full_name, stranger.email, stranger.phone
        relation = "subject"
    else:
        subject_name, email, phone = customer.name, customer.email, customer.phone
        if relation == "guardian":
            if guardians:
                customer = rng.choice(guardians)
                subject_name, requester = customer.child_name or "", customer.name
                email, phone = customer.email, customer.phone
            else:
                relation = "subject"
        elif relation == "representative":
            lawyer = czech.person(rng)
            title = "advokát" if lawyer.sex == "m" else "advokátka"
            requester = f"Mgr. {lawyer.full_name}, {title}"
        elif relation == "app_user":
            requester = czech.person(rng).full_name
    handlers = [*staff.privacy, staff.admin]
    handler = None if state == "received" and rng.random() < 0.6 else rng.choice(handlers)
    due = privacy_due_at(received).astimezone(UTC)
    record: dict[str, Any] = {
        "id": request_id, "number": f"P-{year}-{numbers[year]:05d}", "right": right,
        "customer_id": customer.id if customer else None, "subject_name": subject_name, "subject_email": email,
        "subject_phone": phone, "requester_name": requester, "requester_relation": relation,
        "channel": rng.choices(PRIVACY_CHANNELS, weights=_CHANNEL_WEIGHTS)[0],
        "original_text": rng.choice(texts.PRIVACY_TEXTS[right]), "received_at": received, "due_at": due,
        "extended_due_at": None, "extension_reason": None, "extension_notified_at": None, "state": state,
        "identity_check": None, "identity_check_detail": None, "identity_verified_by_id": None,
        "identity_verified_at": None, "outcome": None, "purposes": _PURPOSES.get(right), "authority_notice": False,
        "answer_sent_at": None, "answer_channel": None,
        "refusal_reason": None, "ticket_id": None, "handler_id": handler, "closed_at": None, "version": 1,
        "created_at": created,
    }  # fmt: skip
    entries: list[dict[str, Any]] = []

    def entry(at: datetime, kind: str, author: str | None, **values: Any) -> None:
        entries.append({"id": new_uuid(rng), "request_id": request_id, "at": at, "author_id": author, "kind": kind,
                        "field": None, "old_value": None, "new_value": None, "body": None, **values})  # fmt: skip

    author = handler or rng.choice(handlers)
    entry(created, "created", author, new_value="received")
    if state == "extended":
        # The subject heard of the extension within the first month, after the identity check.
        end = notified = max(created + timedelta(minutes=30), min(now, due - timedelta(days=rng.uniform(1, 8))))
    elif state in ("completed", "refused"):
        end = min(now, received + timedelta(days=rng.uniform(3, 28)))
    else:
        end = now
    moments = iter(sorted(created + (end - created) * rng.random() for _ in range(6)))
    if handler is not None:
        entry(next(moments), "change", author, field="handler_id", new_value=handler)
    current = "received"

    def move(to: str) -> datetime:
        nonlocal current
        at = next(moments)
        entry(at, "change", author, field="state", old_value=current, new_value=to)
        current = to
        return at

    if state == "received":
        pass
    elif state == "refused" and rng.random() < 0.5:
        move("identity_verification")
        record["refusal_reason"] = texts.REFUSALS[0]
    else:
        move("identity_verification")
        if state != "identity_verification":
            verified = move("in_progress")
            check, detail = rng.choice(texts.IDENTITY_CHECKS)
            record.update(identity_check=check, identity_check_detail=detail, identity_verified_by_id=author,
                          identity_verified_at=verified)  # fmt: skip
            if rng.random() < 0.5:
                entry(verified, "note", author, body=rng.choice(texts.PRIVACY_NOTES))
        if state == "refused":
            record["refusal_reason"] = texts.REFUSALS[1]
    if state == "extended":
        reason = rng.choice(texts.EXTENSION_REASONS)
        entry(notified, "change", author, field="state", old_value=current, new_value="extended")
        entry(notified, "note", author, body=reason)
        record.update(extended_due_at=privacy_extended_due_at(received, 2).astimezone(UTC), extension_reason=reason,
                      extension_notified_at=notified)  # fmt: skip
    elif state in ("completed", "refused"):
        outcome = texts.OUTCOMES[right] if state == "completed" else record["refusal_reason"]
        entry(end, "note", author, body=outcome)
        entry(end, "change", author, field="state", old_value=current, new_value=state)
        record.update(closed_at=end, outcome=outcome if state == "completed" else None, answer_sent_at=end,
                      answer_channel=record["channel"] if record["channel"] in _ANSWER_CHANNELS else "letter",
                      authority_notice=state == "refused")  # fmt: skip
    entries.sort(key=lambda e: e["at"])
    record["updated_at"] = max(e["at"] for e in entries)
    rows[PrivacyRequest].append(record)
    rows[PrivacyRequestEntry].extend(entries)
