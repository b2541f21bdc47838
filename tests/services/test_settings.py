"""Settings: validated all together, written all together, audited; print defaults per slip kind."""

from __future__ import annotations

import pytest

from motcua_desktop.domain.errors import UserError
from motcua_desktop.services import slips
from motcua_desktop.services.settings import SettingsInvalid, update_settings
from motcua_desktop.store import settings_repo


def test_update_writes_changed_values_and_audits(ctx) -> None:
    changed = update_settings(ctx, {"clerk_name": "  Lê   Thu Hà ", "office_hours": "07:00-11:00, 13:00-16:30",
                                    "counter_slot": "1"})
    assert changed == {"clerk_name": "Lê Thu Hà", "office_hours": "07:00-11:00,13:00-16:30"}
    assert settings_repo.get(ctx.store, "clerk_name") == "Lê Thu Hà"
    [audit] = ctx.store.query("SELECT * FROM audit_log WHERE action = 'settings.update'")
    assert "Lê Thu Hà" in audit["detail"]


def test_one_bad_value_saves_nothing_and_names_every_problem(ctx) -> None:
    before = settings_repo.get_all(ctx.store)
    with pytest.raises(SettingsInvalid) as info:
        update_settings(ctx, {"clerk_name": "Lê Thu Hà", "agency_code": "H22", "counter_slot": "12"})
    assert set(info.value.problems) == {"agency_code", "counter_slot"}
    assert "QCVN 102:2016" in info.value.message_vi
    assert settings_repo.get_all(ctx.store) == before


def test_print_defaults_choose_paper_and_printer_per_kind(ctx) -> None:
    update_settings(ctx, {"default_paper": "a4",
                          "print_defaults": {"receipt": {"printer": "Máy in quầy 1", "paper": "80mm"},
                                             "supplement": {"printer": "", "paper": "a5"}}})
    assert slips.default_paper(ctx, "receipt") == "80mm"
    assert slips.default_paper(ctx, "supplement") == "a5"
    assert slips.default_paper(ctx, "refusal") == "a4"
    assert slips.default_printer(ctx, "receipt") == "Máy in quầy 1"
    assert slips.default_printer(ctx, "supplement") is None


@pytest.mark.parametrize("bad", [
    {"receipt": {"paper": "a3"}},
    {"control": {"paper": "80mm"}},
    {"poster": {"paper": "a4"}},
    "not json",
])
def test_bad_print_defaults_are_refused(ctx, bad) -> None:
    with pytest.raises(UserError):
        update_settings(ctx, {"print_defaults": bad})
    assert settings_repo.get(ctx.store, "print_defaults") == {}


def test_issued_slip_uses_the_kinds_paper(ctx) -> None:
    from motcua_desktop.domain.applicant import Applicant
    from motcua_desktop.services import intake

    update_settings(ctx, {"print_defaults": {"receipt": {"paper": "80mm"}}})
    view = intake.receive(ctx, "HT-04", Applicant(name="Phạm Thị Lan", id_number="001190012345"), "all")
    slip = slips.issue_slip(ctx, view.code, "receipt")
    assert slip.paper == "80mm"
    assert slips.issue_slip(ctx, view.code, "control").paper == "a4"


def test_a_roll_counter_still_prints_the_control_slip_on_a4(ctx) -> None:
    update_settings(ctx, {"default_paper": "80mm"})
    assert slips.default_paper(ctx, "receipt") == "80mm"
    assert slips.default_paper(ctx, "control") == "a4"  # the control slip has no roll layout


def test_outbox_waiting_counts_events_not_yet_sent(ctx) -> None:
    from motcua_desktop.domain.applicant import Applicant
    from motcua_desktop.services import intake
    from motcua_desktop.services.settings import outbox_waiting

    assert outbox_waiting(ctx) == 0
    intake.receive(ctx, "HT-04", Applicant(name="Phạm Thị Lan", id_number="001190012345"), "all")
    assert outbox_waiting(ctx) == 1
    update_settings(ctx, {"clerk_name": "Lê Thu Hà"})  # settings are local: nothing queued for the hub
    assert outbox_waiting(ctx) == 1
