"""The window's log (`logs/motcua-gui.log`): private, and no identity or phone number in it."""

from __future__ import annotations

import logging
import os
import stat

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui import app
from motcua_desktop.services import intake

ID = "001099012345"
PHONE = "0912345678"


def _boom(ctx, text: str) -> None:
    raise ValueError(f"a bug that quotes its input: {text}")  # a traceback with the number in it


def test_the_gui_log_is_private_and_masks_numbers_of_refused_and_accepted_operations(qtbot, window, ctx, dialogs):
    root = logging.getLogger()
    before = list(root.handlers)
    old_umask = os.umask(0o022)
    try:
        app._setup_logging(ctx.data_dir)
        added = [h for h in root.handlers if h not in before]
        bad = Applicant(name="Nguyễn Văn An", id_number=ID[:-1], phone=PHONE)
        good = Applicant(name="Nguyễn Văn An", id_number=ID, phone=PHONE)
        for fn, *args in ((intake.receive, "HT-04", bad, "all"), (intake.receive, "HT-04", good, "all"),
                          (_boom, f"{ID} {PHONE}")):
            with qtbot.waitSignal(window.ops.finished, timeout=10_000):
                window.ops.run(fn, *args, parent=window, doing="tiếp nhận")
        assert [e.title for e in dialogs.errors()] == ["Không thực hiện được", "Lỗi chương trình"]
        for h in added:
            h.flush()
    finally:
        os.umask(old_umask)
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)
            h.close()
    log = ctx.data_dir / "logs" / "motcua-gui.log"
    body = log.read_text(encoding="utf-8")
    assert "applicant details invalid" in body and "ValueError" in body  # both were logged...
    assert ID[:-1] not in body and ID not in body and PHONE not in body  # ...masked
    assert "0010*****34" in body
    assert stat.S_IMODE(log.stat().st_mode) == 0o600 and stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    # What the bug dialog shows (the in-memory tail) is masked the same way.
    assert ID not in dialogs.errors()[-1].details.split("--- nhật ký ---")[1]
