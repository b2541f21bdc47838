"""The `motcua` command fed arbitrary text in every argument a clerk types: exit 0 or 2 (a value or a
clear one-line mistake), never a traceback and never 1 (1 is for the environment). Run in-process on
a real counter so the bounded examples (tests/conftest.py 'ci' profile) stay fast."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from motcua_desktop.cli import main
from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.services import intake

TRICKY = "0123456789０１２²①٢,，; -:.T+/allnoneßı\u00a0\n"
TEXT = st.one_of(st.text(max_size=40), st.text(alphabet=TRICKY, max_size=20))


@pytest.fixture
def motcua(ctx, capsys):
    waiting = intake.receive(ctx, "HT-04", Applicant(name="Trần Thị Bích", id_number="001190012345"), "1").code

    def run(*argv: str) -> int:
        try:
            status = main(["--data-dir", str(ctx.data_dir), *argv])
        except SystemExit as stop:  # argparse's own usage errors
            status = int(stop.code or 0)
        out = capsys.readouterr()
        assert "Traceback" not in out.err
        assert status in (0, 2), (argv, status, out.err)
        return status

    run.waiting = waiting  # type: ignore[attr-defined]
    return run


@settings(max_examples=100)  # each example is a whole command on a real store
@given(TEXT)
def test_receive_provided(motcua, text: str) -> None:
    motcua("receive", "--procedure", "HT-04", "--name", "Lê Văn Bình", "--id-number", "001099012345",
           f"--provided={text}", "--json")


@settings(max_examples=100)  # each example is a whole command on a real store
@given(TEXT)
def test_supplement_provided(motcua, text: str) -> None:
    motcua("supplement", motcua.waiting, f"--provided={text}", "--json")


@settings(max_examples=100)  # each example is a whole command on a real store
@given(TEXT, TEXT, TEXT)
def test_receive_applicant_fields(motcua, id_number: str, phone: str, email: str) -> None:
    motcua("receive", "--procedure", "HT-04", "--name", "Lê Văn Bình", f"--id-number={id_number}",
           f"--phone={phone}", f"--email={email}", "--json")


@settings(max_examples=100)  # each example is a whole command on a real store
@given(TEXT, TEXT)
def test_queue_period(motcua, start: str, end: str) -> None:
    motcua("queue", f"--from={start}", f"--to={end}", "--json")


@settings(max_examples=100)  # each example is a whole command on a real store
@given(TEXT)
@example("--")  # argparse hands '--received=--' over as an empty list, not through the option's type
def test_times_and_dates(motcua, text: str) -> None:
    motcua("due-date", "HT-04", f"--received={text}", "--json")
    motcua("calendar", "add-day-off", f"{text}", "--note", "x") if text and not text.startswith("-") else None


@settings(max_examples=100)  # each example is a whole command on a real store
@given(TEXT)
def test_codes_typed_or_scanned(motcua, text: str) -> None:
    if not text.startswith("-"):
        motcua("dossier", "show", text, "--json")
        motcua("catalog", "show", text, "--json")


@settings(max_examples=100)  # each example is a whole command on a real store
@given(st.sampled_from(["clerk_name", "office_hours", "counter_slot", "agency_code", "default_paper",
                        "print_defaults", "place_name", "contact_phone"]), TEXT)
def test_settings_values(motcua, key: str, text: str) -> None:
    motcua("settings", f"{key}={text}", "--json")
