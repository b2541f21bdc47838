"""The HTTP API (docs/sync-protocol.md, version 1): FastAPI over `store`.

`create_app(db_url)` builds one; `factory()` builds it from the environment (MOTCUA_HUB_DB,
MOTCUA_HUB_MAX_BODY, MOTCUA_HUB_MAX_BATCH) for uvicorn's workers. Nothing is kept between requests
but the engine's connection pool.
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import publish, store
from .db import ENV_DB, default_url, make_engine

PROTOCOL = 1
DEFAULT_MAX_BODY = 2 * 1024 * 1024
DEFAULT_MAX_BATCH = 500
MAX_PULL = 1000

log = logging.getLogger("motcua_hub")


class BodyLimit:
    """Refuse a request body over `max_body` bytes with 413, however it comes (Content-Length or
    chunked): the body is counted as it arrives, never trusted from a header. What is over the limit
    is read and dropped (up to `drain` bytes) so the client gets to read the answer."""

    def __init__(self, app: ASGIApp, max_body: int, drain: int = 64 * 1024 * 1024) -> None:
        self.app = app
        self.max_body = max_body
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
        if declared is not None and declared > self.drain:
            await self._too_large(send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size <= self.max_body:
                chunks.append(body)
            elif size > self.drain:
                break
            if not message.get("more_body", False):
                break
        if size > self.max_body:
            await self._too_large(send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps({"detail": f"request body over {self.max_body} bytes", "reason": "body_too_large"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def _error(e: store.HubError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
    return JSONResponse({"detail": e.detail, "reason": e.code, **e.extra}, status_code=e.status, headers=headers)


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise store.BadInput("bad_json", "the request body is not a JSON document (UTF-8)") from None


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def create_app(db_url: str, *, max_body: int = DEFAULT_MAX_BODY, max_batch: int = DEFAULT_MAX_BATCH,
               engine: Engine | None = None) -> ASGIApp:
    eng = engine if engine is not None else make_engine(db_url)
    api = FastAPI(title="motcua-hub", version=str(PROTOCOL), docs_url=None, redoc_url=None, openapi_url=None)
    api.state.engine = eng

    @api.exception_handler(store.HubError)
    async def hub_error(_request: Request, e: store.HubError) -> JSONResponse:
        return _error(e)

    @api.exception_handler(DBAPIError)
    async def db_down(_request: Request, e: DBAPIError) -> JSONResponse:
        # The class only: a driver's message may quote a row.
        log.error("database error %s", type(e.orig).__name__ if e.orig is not None else type(e).__name__)
        return JSONResponse({"detail": "the hub's database is not available; try again", "reason": "db_unavailable"},
                            status_code=503)

    @api.exception_handler(RequestValidationError)
    async def invalid(_request: Request, e: RequestValidationError) -> JSONResponse:
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse({"detail": f"{where}: {first.get('msg', 'invalid')}", "reason": "bad_field"},
                            status_code=422)

    async def client_of(request: Request, kind: store.ClientKind) -> store.Client:
        client = await run_in_threadpool(store.authenticate, eng, _bearer(request))
        if client.kind != kind:
            raise store.Forbidden("wrong_token_kind", f"this needs a {kind} token, not a {client.kind} token")
        return client

    @api.get("/v1/health")
    async def health() -> JSONResponse:
        def ping() -> None:
            with eng.connect() as conn:
                conn.execute(text("SELECT 1"))
        try:
            await run_in_threadpool(ping)
        except Exception:
            log.warning("health: database unreachable")
            return JSONResponse({"status": "db_unavailable", "protocol": PROTOCOL, "hub_time": store.hub_time()},
                                status_code=503)
        return JSONResponse({"status": "ok", "protocol": PROTOCOL, "hub_time": store.hub_time()})

    @api.post("/v1/events")
    async def push(request: Request) -> JSONResponse:
        client = await client_of(request, "counter")
        sent_at, batch = store.validate_push(await _json_body(request), max_batch)
        results = await run_in_threadpool(store.push, eng, client, sent_at, batch)
        return JSONResponse({"hub_time": store.hub_time(), "results": results})

    @api.get("/v1/changes")
    async def changes(request: Request) -> JSONResponse:
        client = await client_of(request, "counter")
        unknown = sorted(set(request.query_params) - {"after", "limit"})
        if unknown:
            raise store.BadInput("unknown_field", f"unknown parameter(s) {', '.join(unknown)[:200]}")
        after = store.parse_cursor(request.query_params.get("after"))
        limit_text = request.query_params.get("limit", "500")
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_PULL:
            raise store.BadInput("bad_field", f"limit: 1-{MAX_PULL}")
        out = await run_in_threadpool(store.pull, eng, client, after, int(limit_text))
        await run_in_threadpool(store.touch, eng, client)
        return JSONResponse({"hub_time": store.hub_time(), **out})

    async def published(request: Request, kind: publish.Kind) -> JSONResponse:
        await client_of(request, "counter")
        unknown = sorted(set(request.query_params) - {"after"})
        if unknown:
            raise store.BadInput("unknown_field", f"unknown parameter(s) {', '.join(unknown)[:200]}")
        after_text = request.query_params.get("after", "0") or "0"
        if not after_text.isdigit() or len(after_text) > 9:
            raise store.BadInput("bad_field", "after: a version number (0 or more)")
        out = await run_in_threadpool(publish.latest, eng, kind, int(after_text))
        return JSONResponse({"hub_time": store.hub_time(), "kind": kind, **out})

    @api.get("/v1/catalog")
    async def catalog(request: Request) -> JSONResponse:
        return await published(request, "catalog")

    @api.get("/v1/calendar")
    async def calendar(request: Request) -> JSONResponse:
        return await published(request, "calendar")

    @api.post("/v1/dossiers/{code}/status")
    async def set_status(code: str, request: Request) -> JSONResponse:
        client = await client_of(request, "processor")
        body = await _json_body(request)
        if not isinstance(body, dict):
            raise store.BadInput("bad_envelope", "expected an object {\"status\": …}")
        unknown = sorted(set(body) - {"status", "due_at", "reason", "by"})
        if unknown:
            raise store.BadInput("unknown_field", f"unknown field(s) {', '.join(map(str, unknown))[:200]}")
        if "status" not in body:
            raise store.BadInput("missing_field", "status is required")
        status = body["status"]
        for key in ("reason", "by"):
            if body.get(key) is not None and not isinstance(body[key], str):
                raise store.BadInput("bad_field", f"{key}: expected text")
        if not isinstance(status, str):
            raise store.BadInput("bad_field", "status: expected text")
        ev = await run_in_threadpool(lambda: store.set_status(
            eng, code, status, due_at=store.check_due(body.get("due_at")), reason=body.get("reason"),
            by=body.get("by"), processor=client))
        return JSONResponse({"event": ev.to_wire()})

    return BodyLimit(api, max_body)


def _configure_logging() -> None:
    # `serve --workers N` starts fresh processes: the CLI's logging set-up does not reach them.
    logger = logging.getLogger("motcua_hub")
    logger.setLevel(os.environ.get("MOTCUA_HUB_LOG_LEVEL", "INFO").upper())
    if not logging.getLogger().handlers and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def factory() -> ASGIApp:
    """For `uvicorn --factory` and `motcua-hub serve --workers N`: configuration from the environment."""
    _configure_logging()
    return create_app(os.environ.get(ENV_DB) or default_url(),
                      max_body=int(os.environ.get("MOTCUA_HUB_MAX_BODY", DEFAULT_MAX_BODY)),
                      max_batch=int(os.environ.get("MOTCUA_HUB_MAX_BATCH", DEFAULT_MAX_BATCH)))
