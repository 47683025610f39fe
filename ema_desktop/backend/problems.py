"""Errors of the backend client, and the one place that turns any failure into a sentence an
operator can act on (no tracebacks, no HTTP jargon)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field of a request: which, why, and the server's stable code."""

    field: str
    message: str
    code: str | None


class BackendError(Exception):
    """Anything that went wrong talking to ema-server; `str()` is a message for the operator."""


class ApiProblem(BackendError):
    """The server answered with application/problem+json (or another error status)."""

    def __init__(self, status: int, code: str, title: str, detail: str, errors: tuple[FieldProblem, ...] = (),
                 current: dict[str, Any] | None = None) -> None:
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors
        self.current = current  # the server's current record on 412 stale_version
        super().__init__(problem_message(self))

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiProblem:
        body: Any = None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return cls(response.status_code, f"http_{response.status_code}", response.reason_phrase or "Error", "")
        errors = tuple(
            FieldProblem(str(e.get("field", "")), str(e.get("message", "")), e.get("code"))
            for e in body.get("errors") or ()
            if isinstance(e, dict)
        )
        current = body.get("current") if isinstance(body.get("current"), dict) else None
        return cls(
            int(body.get("status") or response.status_code),
            str(body.get("code") or f"http_{response.status_code}"),
            str(body.get("title") or ""),
            str(body.get("detail") or ""),
            errors,
            current,
        )


class ServerUnreachable(BackendError):
    """No answer from the server: refused, timed out, name not found, TLS failure."""

    def __init__(self, server_url: str, reason: str) -> None:
        self.server_url = server_url
        self.reason = reason
        super().__init__(f"Cannot reach the server at {server_url} ({reason}). Check the address and your network.")


class SessionEnded(BackendError):
    """The sign-in is over (signed out, revoked, or the refresh token expired): sign in again."""

    def __init__(self, message: str = "Your session has ended. Sign in again.") -> None:
        super().__init__(message)


# Messages for codes whose server text is written for developers, or that need a next step.
_MESSAGES: dict[str, str] = {
    "invalid_credentials": "Wrong username, password or one-time code.",
    "totp_required": "Enter the six-digit code from your authenticator app.",
    "invalid_token": "Your session has ended. Sign in again.",
    "not_authenticated": "Your session has ended. Sign in again.",
    "permission_denied": "Your role does not allow this.",
    "stale_version": "Someone else changed this record in the meantime. It has been reloaded; check it and try again.",
    "precondition_required": "The record was not loaded before editing. Reload it and try again.",
    "too_many_attempts": "Too many failed sign-ins. Wait 15 minutes and try again.",
    "payload_too_large": "The file or text is too large.",
    "unavailable": "The server is busy or being maintained. Try again in a moment.",
}


def problem_message(problem: ApiProblem) -> str:
    """A sentence for the operator: the known explanation, else the server's detail, plus field errors."""
    text = _MESSAGES.get(problem.code)
    if text is None:
        if problem.code == "not_found":
            text = "It no longer exists, or it was never there."
        elif problem.status >= 500:
            text = f"The server failed to handle this ({problem.status}). Try again; if it persists, tell IT."
        else:
            text = problem.detail or problem.title or f"The server refused this ({problem.status})."
    if problem.errors:
        fields = "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in problem.errors)
        text = f"{text.rstrip('.')}: {fields}."
    return text


def describe(exc: BaseException) -> str:
    """Any exception as a message for the status bar or a dialog: never a traceback."""
    if isinstance(exc, BackendError):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return "The server took too long to answer. Try again."
    if isinstance(exc, OSError):
        return f"A system error stopped this: {exc.strerror or type(exc).__name__}."
    return f"Something went wrong ({type(exc).__name__}). Try again; if it persists, tell IT."
