"""Access and portability packages API: build one for a request, list a request's packages, and
download one (the ZIP, unsealed on the way out).

Every endpoint needs Permission.HANDLE_PRIVACY. Building reads the subject's data outside the write
transaction (ema_server/privacy/package.py explains why) and then stores the sealed package under
`idempotent`, re-checking the request under the ordering lock. Building, listing and every download
are recorded in the audit trail with the subject's customer id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.context import Caller, database, idempotent, requires
from ema_server.api.problems import Conflict, NotFound, Problem
from ema_server.api.schemas import Output
from ema_server.api.tickets import Body, UtcDateTime, plausible_id
from ema_server.attachments import content_disposition
from ema_server.db.events import publish
from ema_server.db.models import AccessPackage, PrivacyRequest, utcnow
from ema_server.domain.permissions import Permission
from ema_server.privacy import package as packages
from ema_server.privacy import sealing
from ema_server.privacy_requests import request_for_update

router = APIRouter(tags=["privacy"])

HandlePrivacy = Depends(requires(Permission.HANDLE_PRIVACY))


class PackageIn(Body):
    kind: Literal["access", "portability"]


class AccessPackageOut(Output):
    id: str
    request_id: str
    kind: str
    created_at: UtcDateTime
    created_by_id: str | None
    expires_at: UtcDateTime
    """The content is deleted then; a download afterwards answers 410 `package_expired`."""
    expired_at: UtcDateTime | None
    size: int
    """Bytes of the ZIP."""
    sha256: str
    """Of the ZIP, so the subject can check the file they received."""
    categories: dict[str, int]
    """Records per category."""
    downloads: int
    expired: bool


class AccessPackageList(Output):
    items: list[AccessPackageOut]
    """Newest first."""


class PackageRefusedProblem(Conflict):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.title = code, "No package can be built for this request now"


class PackageExpiredProblem(Problem):
    status, code, title = 410, "package_expired", "The package expired and its content was deleted"


class PackageUnreadable(Conflict):
    code, title = "package_unreadable", "This server cannot open the package"


def _out(package: AccessPackage, now: datetime) -> AccessPackageOut:
    values = {name: getattr(package, name) for name in AccessPackageOut.model_fields if hasattr(package, name)}
    values["expired"] = packages.is_expired(package, now)
    return AccessPackageOut.model_validate(values)


async def _request_or_404(session: AsyncSession, request_id: str, *, for_update: bool = False) -> PrivacyRequest:
    request = None
    if plausible_id(request_id):
        request = await (request_for_update(session, request_id) if for_update
                         else session.get(PrivacyRequest, request_id))
    if request is None:
        raise NotFound("No privacy request with this id.")
    return request


def _check(request: PrivacyRequest, kind: str | None = None) -> None:
    try:
        packages.check_buildable(request, kind)
    except packages.PackageRefused as exc:
        raise PackageRefusedProblem(exc.code, str(exc)) from None


@router.post("/privacy-requests/{request_id}/packages", status_code=201, response_model=AccessPackageOut,
             responses={409: {"description": "identity_not_verified, no_subject, request_closed or wrong_right"}})
async def create_package(request_id: str, body: PackageIn, caller: Caller = HandlePrivacy) -> Response:
    session = caller.session
    request = await _request_or_404(session, request_id)
    _check(request, body.kind)
    # End the sign-in check's transaction before the long read: on SQLite it holds the write lock.
    await session.commit()
    now = utcnow()
    async with database(caller.request).read_sessions() as reader:
        snapshot = await reader.get(PrivacyRequest, request.id)
        if snapshot is None:
            raise NotFound("No privacy request with this id.")
        try:
            gathered = await packages.gather_package(reader, snapshot, body.kind, now)
        except packages.PackageRefused as exc:
            raise PackageRefusedProblem(exc.code, str(exc)) from None

    async def produce() -> tuple[int, Any, dict[str, str]]:
        # Checked again under the ordering lock: the request may have closed while the package was read.
        current = await _request_or_404(session, request_id, for_update=True)
        _check(current)
        package = await packages.store_package(session, current, gathered, caller.operator.id, now)
        publish(session, "privacy_request.updated",
                {"id": current.id, "number": current.number, "version": current.version, "state": current.state,
                 "right": current.right, "handler_id": current.handler_id}, scope="privacy")
        await caller.audit("privacy_package.create", "privacy_package", package.id,
                           {"request_id": current.id, "kind": package.kind, "size": package.size,
                            "categories": package.categories}, subject_id=package.customer_id)
        return 201, _out(package, now).model_dump(mode="json"), {}

    return await idempotent(caller, produce)


@router.get("/privacy-requests/{request_id}/packages", response_model=AccessPackageList)
async def list_packages(request_id: str, caller: Caller = HandlePrivacy) -> AccessPackageList:
    session = caller.session
    request = await _request_or_404(session, request_id)
    rows = (await session.execute(
        select(AccessPackage).where(AccessPackage.request_id == request.id)
        .order_by(AccessPackage.created_at.desc(), AccessPackage.id)
    )).scalars().all()
    now = utcnow()
    out = AccessPackageList(items=[_out(p, now) for p in rows])
    await caller.audit("privacy_package.list", "privacy_request", request.id, {"ids": [p.id for p in rows]},
                       subject_id=request.customer_id)
    await session.commit()
    return out


@router.get(
    "/privacy-packages/{package_id}/content",
    responses={200: {"description": "The package as a ZIP.", "content": {"application/zip": {}}},
               410: {"description": "package_expired"}},
)
async def download_package(package_id: str, caller: Caller = HandlePrivacy) -> Response:
    session = caller.session
    package = await session.get(AccessPackage, package_id) if plausible_id(package_id) else None
    if package is None:
        raise NotFound("No package with this id.")
    request = await session.get(PrivacyRequest, package.request_id)
    try:
        content = await packages.read_package(session, package, utcnow())
    except packages.PackageExpired:
        raise PackageExpiredProblem(
            f"The package expired at {package.expires_at.isoformat()} and its content was deleted; build a new one."
        ) from None
    except sealing.SealingError as exc:
        raise PackageUnreadable(str(exc)) from None
    await caller.audit("privacy_package.download", "privacy_package", package.id,
                       {"request_id": package.request_id, "downloads": package.downloads},
                       subject_id=package.customer_id)
    await session.commit()
    filename = f"{request.number if request else 'package'}-{package.kind}.zip"
    return Response(content, media_type="application/zip", headers={
        "Content-Disposition": content_disposition(filename),
        "ETag": f'"{package.sha256}"',
        "Cache-Control": "no-store",
    })
