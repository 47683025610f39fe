"""Errors a client can act on: one exception per problem, rendered as RFC 9457
`application/problem+json` with a stable `code` and per-field `errors`."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("ema_server.api")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://ema.sectron.cz/problems/"


class Problem(Exception):
    status = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.code.replace("_", "-"),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            "errors": self.errors,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


class InvalidInput(Problem):
    status, code, title = 422, "invalid_input", "The request has invalid fields"


class FieldInvalid(InvalidInput):
    """One field failed a domain rule (IČO checksum, phone format …)."""

    def __init__(self, field: str, message: str, code: str = "invalid_input") -> None:
        super().__init__(f"{field}: {message}", errors=[{"field": field, "message": message}])
        self.code = code


class MalformedBody(Problem):
    status, code, title = 400, "malformed_body", "The request body is not valid JSON"


class NotAuthenticated(Problem):
    status, code, title = 401, "not_authenticated", "Sign-in required"

    def __init__(self, detail: str | None = None, **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.headers.setdefault("WWW-Authenticate", 'Bearer realm="ema"')


class InvalidCredentials(NotAuthenticated):
    code, title = "invalid_credentials", "Wrong username, password or one-time code"


class TotpRequired(NotAuthenticated):
    code, title = "totp_required", "A one-time code from the authenticator app is required"


class InvalidToken(NotAuthenticated):
    code, title = "invalid_token", "The token is invalid, expired or revoked"


class SessionRevoked(InvalidToken):
    """The sign-in was ended on the server (reused refresh token, account disabled, revoked):
    unlike an expired token, a console should not keep the operator's local data for it."""

    code, title = "session_revoked", "The session was ended on the server"


class RefreshTokenReused(InvalidToken):
    """A refresh token came back after it was used: the session is ended as a precaution (a copy may
    have been stolen). Not a revocation of the device: a console killed between the server's
    rotation and keeping the new token sends the old one too, and must not lose its local data."""

    code, title = "refresh_token_reused", "The refresh token was already used"


class PermissionDenied(Problem):
    status, code, title = 403, "permission_denied", "Your role does not allow this"


class NotFound(Problem):
    status, code, title = 404, "not_found", "Not found"


class Conflict(Problem):
    status, code, title = 409, "conflict", "Conflicts with the current state"


class StaleVersion(Problem):
    status, code, title = 412, "stale_version", "Someone else changed this record first"


class PreconditionRequired(Problem):
    status, code, title = 428, "precondition_required", "Send If-Match with the version you edited"


class PayloadTooLarge(Problem):
    status, code, title = 413, "payload_too_large", "The request body is too large"


class UnsupportedMediaType(Problem):
    status, code, title = 415, "unsupported_media_type", "This type of content is not accepted"


class TooManyAttempts(Problem):
    status, code, title = 429, "too_many_attempts", "Too many failed sign-ins; try again later"


class IdempotencyKeyReused(Problem):
    status, code, title = 422, "idempotency_key_reused", "This Idempotency-Key was used for a different request"


class Unavailable(Problem):
    status, code, title = 503, "unavailable", "The service is temporarily unavailable"


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        headers=problem.headers,
        media_type=PROBLEM_JSON,
    )


_HTTP_CODES = {
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    413: ("payload_too_large", "The request body is too large"),
    415: ("unsupported_media_type", "This type of content is not accepted"),
}


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:] if len(parts) > 1 else parts
    return ".".join(parts)


class ProblemFieldError(BaseModel):
    field: str
    message: str
    code: str | None = None


class ProblemOut(BaseModel):
    """RFC 9457 problem details, as every error is answered; some problems add members (`current`
    with a 412, `allowed` with an invalid transition …)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str
    title: str
    status: int
    detail: str
    code: str
    """Stable snake_case, e.g. `invalid_input`, `invalid_ico`, `stale_version`."""
    errors: list[ProblemFieldError]
    instance: str | None = None


def _document_problems(app: FastAPI) -> None:
    """Describe error answers in OpenAPI as they are sent: FastAPI would document every 422 as its
    own `{"detail": [...]}` body, which a client generated from the schema would fail to read."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        problem = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(problem.pop("$defs", {}))
        components["Problem"] = problem
        content = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                if "422" in responses:
                    responses["422"] = {"description": "Invalid input", "content": content}
                responses.setdefault("default", {"description": "Any other error", "content": content})
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_problem_handlers(app: FastAPI) -> None:
    _document_problems(app)

    @app.exception_handler(Problem)
    async def _on_problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            if err.get("type") == "json_invalid":
                return problem_response(MalformedBody(str(err.get("msg", ""))), request)
            message = str(err.get("msg", "invalid"))
            if err.get("type") == "extra_forbidden":
                message = "unknown field"
            errors.append({"field": _field_path(err.get("loc", ())), "message": message})
        fields = ", ".join(e["field"] for e in errors) or "body"
        return problem_response(InvalidInput(f"Invalid fields: {fields}", errors=errors), request)

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "Request failed"))
        problem = Problem(str(exc.detail) if exc.detail else title, headers=dict(exc.headers or {}))
        problem.status, problem.code, problem.title = exc.status_code, code, title
        return problem_response(problem, request)

    @app.exception_handler(Exception)
    async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Only the type: messages of database errors can carry personal data.
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        problem = Problem("The server failed to handle the request; nothing was changed.")
        problem.status, problem.code, problem.title = 500, "internal_error", "Internal error"
        return problem_response(problem, request)
