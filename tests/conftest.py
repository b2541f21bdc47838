"""Shared fixtures: a real counter store in a temporary data dir, a settable clock, the CLI."""

from __future__ import annotations

import os

# Before anything imports Qt: no display on CI machines.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from motcua_desktop.services import setup
from motcua_desktop.services.context import Context

pytest_plugins = ["hubproc"]

# Property-based tests of the parsers of user input: bounded, so the whole set stays under a minute
# in CI. HYPOTHESIS_PROFILE=thorough for a longer hunt on a developer's machine.
hypothesis_settings.register_profile(
    "ci", max_examples=150, deadline=None, print_blob=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
hypothesis_settings.register_profile("thorough", parent=hypothesis_settings.get_profile("ci"), max_examples=5000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave without the interpreter's final garbage collection.

    PySide6 6.12 sometimes aborts there ("Fatal Python error: bool_dealloc: deallocating True or
    False", a reference-count bug in its wrappers) after every test has run and been reported, which
    turns a green run into exit status 134. Everything pytest writes is done by now (this hook runs
    last); the status is pytest's own.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)


class FakeClock:
    """A clock the test moves by hand: ctx.now() returns .now."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 9, 0))  # a Monday morning


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ctx(data_dir: Path, clock: FakeClock) -> Iterator[Context]:
    """An initialised counter (agency 000.00.01.H22, slot 1) with the sample catalogue loaded."""
    c = setup.open_demo(data_dir)
    c.clock = clock
    c.actor = "Nguyễn Thị Tiếp Nhận"
    yield c
    c.close()


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


# A developer's own sign-in must not leak into the tests' counters.
_ACCOUNT_VARIABLES = ("MOTCUA_USER", "MOTCUA_PASSWORD", "MOTCUA_NEW_PASSWORD")


@pytest.fixture
def run_cli(data_dir: Path):
    """Run `motcua` as a real subprocess on the test's data dir."""

    def run(*args: str, input: str | None = None, env: dict | None = None) -> CliResult:
        inherited = {k: v for k, v in os.environ.items() if k not in _ACCOUNT_VARIABLES}
        full_env = {**inherited, "MOTCUA_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8", **(env or {})}
        p = subprocess.run([sys.executable, "-m", "motcua_desktop.cli", *args], capture_output=True,
                           text=True, encoding="utf-8", input=input, env=full_env, timeout=120)
        return CliResult(p.returncode, p.stdout, p.stderr)

    return run
