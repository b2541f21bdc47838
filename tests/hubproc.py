"""Fixtures and helpers for tests that need a real hub (`motcua-hub serve`) on a real database.

Registered for the whole suite by `pytest_plugins = ["hubproc"]` in tests/conftest.py.

- `pg_cluster` (session): a real PostgreSQL cluster in a temp dir (Debian's binaries; initdb/pg_ctl
  as the `postgres` user when the tests run as root), on a free port, its socket in the temp dir,
  stopped and removed at the end. Binaries missing: the PostgreSQL tests FAIL when $CI is set, and
  are skipped with the reason otherwise.
- `hub_db_url`: a fresh, migrated hub database, parametrised over `sqlite` and `postgresql`.
  `pg_hub_url`: the same, PostgreSQL only. `new_hub_db(kind)` (fixture) makes more of them.
- `HubProcess(db_url, workdir)`: `motcua-hub serve` as a real subprocess on a free loopback port:
  `start()` (waits for /v1/health), `kill()` (SIGKILL), `restart()`, `stop()`, `log()`, `url`.
  The `hub` fixture is one started on `hub_db_url`; `hub_factory(db_url, **kw)` starts more.
- `hub_cli(db_url, *args)`, `add_counter(db_url, agency_code, slot)` → token,
  `add_processor(db_url, agency_code, name)` → token; event builders `intake_event(...)`, `event(...)`.
- `make_tls_files(dir)` → TlsFiles(cert, key, ca, other_ca): trustme certificates for 127.0.0.1 and
  localhost; `HubProcess(url, dir, certfile=…, keyfile=…, ca_file=…)` then serves HTTPS.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

AGENCY = "000.00.01.H22"
OTHER_AGENCY = "000.00.02.H22"
HUB_ENV = {"PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"}


# --- the hub's command line -------------------------------------------------------------------------
def hub_cli(db_url: str, *args: str, timeout: float = 120, check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `motcua-hub --db URL ARGS…` as a subprocess (text in/out)."""
    p = subprocess.run([sys.executable, "-m", "motcua_desktop.hub", "--db", db_url, *args], capture_output=True,
                       text=True, encoding="utf-8", env={**os.environ, **HUB_ENV}, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"motcua-hub {' '.join(args)} → {p.returncode}: {p.stderr.strip()}")
    return p


def add_counter(db_url: str, agency_code: str = AGENCY, slot: int = 1, name: str | None = None) -> str:
    """Register a counter with the real CLI; its token."""
    extra = ["--name", name] if name else []
    p = hub_cli(db_url, "add-counter", "--agency-code", agency_code, "--slot", str(slot), *extra, check=True)
    return p.stdout.strip()


def add_processor(db_url: str, agency_code: str = AGENCY, name: str = "Phòng Tư pháp") -> str:
    p = hub_cli(db_url, "add-processor", "--agency-code", agency_code, "--name", name, check=True)
    return p.stdout.strip()


# --- events to push -----------------------------------------------------------------------------------
_seq = itertools.count(1)


def dossier_code(slot: int = 1, n: int = 1, agency: str = AGENCY, day: str = "261203") -> str:
    return f"{agency}-{day}-{slot * 1000 + n:04d}"


def event(type: str, code: str, seq: int, payload: dict[str, Any], *, id: str | None = None,
          at: str = "2026-12-03T09:15:00", actor: str = "Nguyễn Thị Tiếp Nhận") -> dict[str, Any]:
    """A wire event (docs/sync-protocol.md)."""
    return {"schema_version": 1, "id": id or str(uuid.uuid4()), "type": type, "dossier_code": code, "seq": seq,
            "at": at, "recorded_at": at, "actor": actor, "payload": payload}


def intake_event(code: str, *, name: str = "Nguyễn Văn An", id_number: str = "001099012345",
                 phone: str = "0912345678", status: str = "received", id: str | None = None,
                 due_at: str | None = "2026-12-08T09:15") -> dict[str, Any]:
    received = status == "received"
    return event("intake", code, 1, {
        "status": status, "procedure_code": "HT-04", "procedure_version_id": 1,
        "procedure_snapshot": {"name_vi": "Đăng ký kết hôn", "documents": []},
        "applicant_kind": "individual", "applicant_name": name, "id_kind": "cccd", "id_number": id_number,
        "phone": phone, "email": None, "address": "Thôn 3, xã Hòa Bình", "delivery": "counter",
        "delivery_address": None, "channel": "direct", "first_contact_at": "2026-12-03T09:15",
        "received_at": "2026-12-03T09:15" if received else None, "due_at": due_at if received else None,
        "original_due_at": due_at if received else None, "provided": [{"number": 1, "form": "original", "count": 1}],
        "missing": [] if received else [2], "supplement_note": None, "refusal_reason": None,
        "fee_amount": 0, "fee_exempt_reason": None, "fee_receipt_no": None, "entered_late": False,
        "clerk": "Nguyễn Thị Tiếp Nhận"}, id=id)


def forward_event(code: str, seq: int = 2, id: str | None = None) -> dict[str, Any]:
    return event("forward", code, seq, {"status": "in_progress", "to": "Công chức Tư pháp - Hộ tịch"}, id=id)


def result_ready_event(code: str, seq: int = 3, id: str | None = None) -> dict[str, Any]:
    return event("result_ready", code, seq, {"status": "result_ready", "due_at": "2026-12-08T09:15",
                                             "original_due_at": "2026-12-08T09:15", "late": False,
                                             "late_vs_original": False}, id=id)


def return_event(code: str, seq: int = 4, id: str | None = None) -> dict[str, Any]:
    return event("return", code, seq, {"status": "returned", "collector": {
        "kind": "applicant", "name": "Nguyễn Văn An", "id_kind": "cccd", "id_number": "001099012345", "note": None},
        "rating": 5, "clerk": "Nguyễn Thị Trả", "late": False}, id=id)


def sent_at() -> str:
    from datetime import datetime, timedelta, timezone
    return datetime.now(timezone(timedelta(hours=7))).replace(microsecond=0).isoformat()


# --- TLS -------------------------------------------------------------------------------------------
class TlsFiles(NamedTuple):
    cert: Path  # the hub's certificate chain (PEM)
    key: Path
    ca: Path  # the CA that signed it: what a counter's --ca-file names
    other_ca: Path  # a CA that did not: a counter trusting only this one must refuse the hub


def make_tls_files(folder: Path) -> TlsFiles:
    import trustme
    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    files = TlsFiles(folder / "hub.crt", folder / "hub.key", folder / "ca.pem", folder / "other-ca.pem")
    ca.cert_pem.write_to_path(str(files.ca))
    leaf.private_key_pem.write_to_path(str(files.key))
    files.cert.write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    trustme.CA().cert_pem.write_to_path(str(files.other_ca))
    return files


# --- PostgreSQL -------------------------------------------------------------------------------------
def pg_bindir() -> Path | None:
    """Debian's /usr/lib/postgresql/<major>/bin (highest major), else initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name)
                   if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """A throw-away PostgreSQL cluster: its data, log and socket in one temp dir."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # initdb refuses to run as root
        self._names = itertools.count(1)
        self.template: str | None = None

    def _run(self, *cmd: str) -> None:
        full = list(cmd)
        if self.as_postgres:
            runuser = shutil.which("runuser")
            full = [runuser, "-u", "postgres", "--", *cmd] if runuser else ["su", "postgres", "-c", " ".join(
                _quote(c) for c in cmd)]
        p = subprocess.run(full, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError(f"{Path(cmd[0]).name} failed ({p.returncode}): {p.stderr.strip()[-500:]}")

    def start(self) -> None:
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                "-c shared_buffers=64MB")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "pg.log"),
                  "-o", opts, "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        except Exception:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def _admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, migrated: bool = True) -> str:
        """A fresh database (from a migrated template: cheap); its URL."""
        name = f"hub_{os.getpid()}_{next(self._names)}"
        if migrated:
            if self.template is None:
                self.template = "hub_template"
                self._admin(f"CREATE DATABASE {self.template}")
                _migrate(self.url(self.template))
            self._admin(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        else:
            self._admin(f"CREATE DATABASE {name}")
        return self.url(name)


def _quote(s: str) -> str:
    import shlex
    return shlex.quote(s)


def _migrate(url: str) -> None:
    from motcua_desktop.hub.db import make_engine, migrate
    engine = make_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = pg_bindir()
    if bindir is None:
        message = "PostgreSQL binaries not found (apt-get install postgresql): the hub's PostgreSQL tests need them"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    cluster = PgCluster(bindir)
    try:
        cluster.start()
    except Exception as e:
        cluster.stop()
        if os.environ.get("CI"):
            pytest.fail(f"could not start PostgreSQL: {e}")
        pytest.skip(f"could not start PostgreSQL: {e}")
    yield cluster
    cluster.stop()


@pytest.fixture
def new_hub_db(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., str]:
    """new_hub_db('sqlite'|'postgresql', migrated=True) → the URL of a fresh hub database."""
    made = itertools.count(1)

    def make(kind: str, migrated: bool = True) -> str:
        if kind == "postgresql":
            cluster: PgCluster = request.getfixturevalue("pg_cluster")
            return cluster.create_database(migrated)
        url = f"sqlite:///{tmp_path / f'hub{next(made)}.sqlite3'}"
        if migrated:
            _migrate(url)
        return url

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db_url(request: pytest.FixtureRequest, new_hub_db: Callable[..., str]) -> str:
    """A fresh, migrated hub database: once on SQLite, once on PostgreSQL."""
    return new_hub_db(request.param)


@pytest.fixture
def pg_hub_url(new_hub_db: Callable[..., str]) -> str:
    return new_hub_db("postgresql")


# --- the hub as a process -----------------------------------------------------------------------------
class HubProcess:
    """`motcua-hub serve` as a real subprocess on a free loopback port."""

    def __init__(self, db_url: str, workdir: Path, *, certfile: Path | None = None, keyfile: Path | None = None,
                 ca_file: Path | None = None, args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
        self.db_url = db_url
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.certfile, self.keyfile, self.ca_file = certfile, keyfile, ca_file
        self.args = args
        self.env = env or {}
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.workdir / f"hub-{self.port}.log"
        self.starts = 0
        self._signalled = False

    @property
    def url(self) -> str:
        return f"{'https' if self.certfile else 'http'}://127.0.0.1:{self.port}"

    def ssl_context(self) -> ssl.SSLContext | bool:
        if not self.certfile:
            return True
        ctx = ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else ssl.create_default_context()
        if not self.ca_file:
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        return ctx

    def start(self, timeout: float = 30) -> HubProcess:
        for attempt in range(3):
            cmd = [sys.executable, "-m", "motcua_desktop.hub", "--db", self.db_url, "serve", "--host", "127.0.0.1",
                   "--port", str(self.port), *self.args]
            if self.certfile and self.keyfile:
                cmd += ["--certfile", str(self.certfile), "--keyfile", str(self.keyfile)]
            log = open(self.log_path, "ab")
            # Its own process group: kill() reaches the workers of `--workers N` too.
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                         env={**os.environ, **HUB_ENV, **self.env})
            log.close()
            self._signalled = False
            self.starts += 1
            if self._wait_healthy(timeout):
                return self
            code = self.proc.poll()
            self.kill()  # alive but not answering: not left behind
            if code is not None and "address already in use" in self.log().lower() and self.starts == 1:
                self.port = free_port()  # somebody took the port between free_port() and bind
                self.log_path = self.workdir / f"hub-{self.port}.log"
                continue
            break
        raise RuntimeError(f"the hub did not start; its log:\n{self.log()[-3000:]}")

    def _wait_healthy(self, timeout: float) -> bool:
        import httpx
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                r = httpx.get(f"{self.url}/v1/health", timeout=2, verify=self.ssl_context())
                if r.status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        return False

    def kill(self) -> None:
        """SIGKILL: no shutdown, whatever it was doing."""
        if self.proc is not None and not self._signalled:
            self._signalled = True
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # the group this HubProcess started, by its id
            except ProcessLookupError:
                pass
        self._reap()

    def restart(self, timeout: float = 30) -> HubProcess:
        self.kill()
        return self.start(timeout)

    def stop(self) -> None:
        if self.proc is not None and not self._signalled and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._signalled = True
        self._reap()

    def _reap(self) -> None:
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                pass

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def add_counter(self, agency_code: str = AGENCY, slot: int = 1, name: str | None = None) -> str:
        return add_counter(self.db_url, agency_code, slot, name)

    def add_processor(self, agency_code: str = AGENCY, name: str = "Phòng Tư pháp") -> str:
        return add_processor(self.db_url, agency_code, name)

    def client(self, token: str | None = None, **kw: Any) -> Any:
        """An httpx.Client on this hub (bearer token if given)."""
        import httpx
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, verify=self.ssl_context(),
                            timeout=kw.pop("timeout", 30), **kw)

    def __enter__(self) -> HubProcess:
        return self.start() if not self.running else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def hub_factory(tmp_path: Path) -> Iterator[Callable[..., HubProcess]]:
    """hub_factory(db_url, start=True, **HubProcess kwargs) → a HubProcess, stopped at the end of the test."""
    made: list[HubProcess] = []

    def make(db_url: str, start: bool = True, **kw: Any) -> HubProcess:
        h = HubProcess(db_url, tmp_path / f"hub{len(made) + 1}", **kw)
        made.append(h)
        return h.start() if start else h

    yield make
    for h in made:
        h.stop()


@pytest.fixture
def hub(hub_db_url: str, hub_factory: Callable[..., HubProcess]) -> HubProcess:
    """A running hub on a fresh database (SQLite and PostgreSQL)."""
    return hub_factory(hub_db_url)
