"""The counter's hub client: the HTTP half of docs/sync-protocol.md, and nothing else.

It speaks to one hub over httpx with timeouts, retries a failed request with exponential backoff and
jitter (bounded: a few attempts, a capped pause), verifies TLS certificates (a CA file becomes an
`ssl.SSLContext`), and turns what the hub answers into plain values. It knows no store and no
window: `services/sync.py` decides what to send and what the answers mean for the outbox.
"""

from __future__ import annotations

import random
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..domain.errors import KnownError, UserError

PROTOCOL = 1
DEFAULT_TIMEOUT_S = 15.0
DEFAULT_ATTEMPTS = 4
RESULTS = frozenset({"accepted", "duplicate", "rejected"})


class HubUnreachable(KnownError):
    """No answer from the hub (down, no network, timeouts, 5xx) after the bounded retries."""


class TokenRefused(KnownError):
    """401/403 for the token itself: missing, unknown, revoked, or of the wrong kind."""


class HubAnswerError(KnownError):
    """The hub answered something this protocol version does not expect."""


class CertificateRefused(HubUnreachable):
    """The hub's TLS certificate did not verify: not retried (it will not get better by waiting)."""


@dataclass(frozen=True)
class PushAnswer:
    """The hub's answer to one batch: one result per event (in order), or the ids it refused (403),
    or too_large (413: send smaller batches)."""

    results: list[dict[str, Any]] = field(default_factory=list)
    hub_time: str | None = None
    forbidden_ids: list[str] = field(default_factory=list)
    forbidden_detail: str | None = None
    too_large: bool = False


@dataclass(frozen=True)
class ChangesPage:
    changes: list[dict[str, Any]]
    next_cursor: str | None
    more: bool
    hub_time: str | None


def check_url(url: str) -> str:
    """An http(s) base URL without query or fragment, as stored by `motcua hub set`."""
    text = (url or "").strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise UserError(f"Địa chỉ hub '{url}' không hợp lệ (dạng https://may-chu:8765).",
                        f"hub URL {url!r} is not http(s)://host[:port]")
    try:
        parts.port
    except ValueError:
        raise UserError(f"Cổng trong địa chỉ hub '{url}' không hợp lệ.", f"bad port in hub URL {url!r}") from None
    return text


def ssl_context(ca_file: str | None) -> ssl.SSLContext:
    """Certificates are always verified; a CA file replaces the default trust store (httpx 0.28+ wants
    an SSLContext, not a path)."""
    if ca_file:
        try:
            return ssl.create_default_context(cafile=ca_file)
        except (OSError, ssl.SSLError) as e:
            raise KnownError(f"Không đọc được tệp CA {ca_file}: {e}.", f"cannot load CA file {ca_file}: {e}") from None
    return ssl.create_default_context()


def skew_seconds(hub_time: str | None, local: datetime) -> float | None:
    """Hub clock minus ours, in seconds (None when the hub's time is missing or unreadable)."""
    if not hub_time:
        return None
    try:
        theirs = datetime.fromisoformat(hub_time)
    except ValueError:
        return None
    if theirs.tzinfo is None or local.tzinfo is None:
        return None
    return (theirs - local).total_seconds()


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and "detail" in body:
        return str(body["detail"])[:500]
    return str(body)[:200]


class HubClient:
    def __init__(self, url: str, token: str, *, ca_file: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
                 attempts: int = DEFAULT_ATTEMPTS, backoff_s: float = 0.25, max_backoff_s: float = 4.0,
                 sleep: Callable[[float], None] = time.sleep, jitter: Callable[[], float] = random.random,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = check_url(url)
        self.attempts = max(1, attempts)
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._sleep = sleep
        self._jitter = jitter
        verify: ssl.SSLContext | bool = ssl_context(ca_file) if self.url.startswith("https:") else True
        self._http = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)), verify=verify, transport=transport,
            follow_redirects=False, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pause(self, attempt: int) -> float:
        """Exponential backoff with jitter, capped: attempt 0 → 50–100 % of backoff_s, then doubling."""
        base: float = min(self.max_backoff_s, self.backoff_s * 2.0 ** attempt)
        return base * (0.5 + self._jitter() / 2)

    def _request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None) -> httpx.Response:
        last = ""
        for attempt in range(self.attempts):
            if attempt:
                self._sleep(self.pause(attempt - 1))
            try:
                response = self._http.request(method, path, json=json, params=params)
            except httpx.ConnectError as e:
                if "CERTIFICATE_VERIFY_FAILED" in str(e) or isinstance(e.__cause__, ssl.SSLCertVerificationError):
                    raise CertificateRefused(
                        f"Chứng chỉ TLS của hub {self.url} không được tin cậy (kiểm tra tệp CA).",
                        f"hub unreachable: TLS certificate of {self.url} not trusted ({e})") from None
                last = f"cannot connect ({e})"
            except httpx.TimeoutException:
                last = "timed out"
            except httpx.TransportError as e:
                last = f"{type(e).__name__}: {e}"
            else:
                if response.status_code < 500:
                    return response
                last = f"HTTP {response.status_code}"
        raise HubUnreachable(f"Không kết nối được hub {self.url} ({last}); dữ liệu vẫn được giữ ở quầy.",
                             f"hub unreachable: {self.url} ({last}, {self.attempts} attempts)")

    def _refused(self, response: httpx.Response) -> TokenRefused:
        return TokenRefused(f"Hub từ chối mã truy cập của quầy (HTTP {response.status_code}): {_detail(response)}.",
                            f"token refused by the hub (HTTP {response.status_code}: {_detail(response)})")

    def _unexpected(self, response: httpx.Response, what: str) -> HubAnswerError:
        return HubAnswerError(f"Hub trả lời không đúng giao thức ({what}, HTTP {response.status_code}).",
                              f"unexpected hub answer to {what}: HTTP {response.status_code} {_detail(response)}")

    def health(self) -> dict[str, Any]:
        response = self._request("GET", "/v1/health")
        if response.status_code != 200:
            raise self._unexpected(response, "health")
        body = response.json()
        if not isinstance(body, dict):
            raise self._unexpected(response, "health")
        return body

    def push(self, events: Sequence[dict[str, Any]], *, sent_at: str) -> PushAnswer:
        response = self._request("POST", "/v1/events", json={"sent_at": sent_at, "events": list(events)})
        if response.status_code == 401:
            raise self._refused(response)
        if response.status_code == 403:
            try:
                body = response.json()
            except ValueError:
                body = None
            ids = body.get("event_ids") if isinstance(body, dict) else None
            if isinstance(ids, list) and ids:
                return PushAnswer(forbidden_ids=[str(i) for i in ids], forbidden_detail=_detail(response))
            raise self._refused(response)
        if response.status_code == 413:
            return PushAnswer(too_large=True)
        if response.status_code != 200:
            raise self._unexpected(response, "push")
        try:
            body = response.json()
        except ValueError:
            raise self._unexpected(response, "push") from None
        results = body.get("results") if isinstance(body, dict) else None
        sent_ids = [e["id"] for e in events]
        if (not isinstance(results, list) or len(results) != len(sent_ids)
                or any(not isinstance(r, dict) or r.get("id") != i or r.get("result") not in RESULTS
                       for r, i in zip(results, sent_ids))):
            # Without one known result per event nothing may leave the outbox.
            raise self._unexpected(response, "push (results do not match the batch)")
        return PushAnswer(results=results, hub_time=body.get("hub_time"))

    def changes(self, after: str | None, limit: int) -> ChangesPage:
        params: dict[str, Any] = {"limit": limit}
        if after is not None:
            params["after"] = after
        response = self._request("GET", "/v1/changes", params=params)
        if response.status_code in (401, 403):
            raise self._refused(response)
        if response.status_code != 200:
            raise self._unexpected(response, "changes")
        try:
            body = response.json()
        except ValueError:
            raise self._unexpected(response, "changes") from None
        changes = body.get("changes") if isinstance(body, dict) else None
        if not isinstance(changes, list) or any(
                not isinstance(c, dict) or "cursor" not in c or "event" not in c for c in changes):
            raise self._unexpected(response, "changes")
        next_cursor = body.get("next_cursor")
        return ChangesPage(changes=changes, next_cursor=None if next_cursor is None else str(next_cursor),
                           more=bool(body.get("more")), hub_time=body.get("hub_time"))

    def published(self, kind: str, after: int) -> dict[str, Any] | None:
        """`GET /v1/catalog|calendar?after=N`: the newest published version when newer than N (its
        `version`, `source`, `sha256`, `content`…), else None. A hub without the endpoint: None."""
        response = self._request("GET", f"/v1/{kind}", params={"after": after})
        if response.status_code in (401, 403):
            raise self._refused(response)
        if response.status_code == 404:
            return None  # an older hub that publishes nothing
        if response.status_code != 200:
            raise self._unexpected(response, kind)
        try:
            body = response.json()
        except ValueError:
            raise self._unexpected(response, kind) from None
        pub = body.get("publication") if isinstance(body, dict) else None
        if pub is None:
            return None
        if (not isinstance(pub, dict) or not isinstance(pub.get("version"), int) or pub["version"] <= after
                or "content" not in pub):
            raise self._unexpected(response, kind)
        return pub
