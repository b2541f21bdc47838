"""What the window (and `motcua outbox --export`) shows of the sync: the status bar's summary, whether
one dossier has reached the hub, the ledger exported as CSV / xlsx. Reads only."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import KnownError, UserError
from ..store import sync_repo
from . import outputs
from . import sync as sync_service
from .context import Context

LEDGER_KINDS = (".csv", ".xlsx")


@dataclass(frozen=True)
class SyncStatus:
    configured: bool  # a hub URL and token are set
    hub_url: str | None
    waiting: int  # events still to send (pending, including those queued behind a rejected one)
    rejected: int  # events the hub refused: a supervisor's attention
    conflicts: int  # open conflicts: a supervisor's attention
    last_attempt_at: str | None
    last_success_at: str | None
    last_error: str | None
    skew_warning: bool

    @property
    def online(self) -> bool:
        """The last contact with the hub succeeded."""
        return self.configured and self.last_attempt_at is not None and self.last_error is None

    @property
    def attention(self) -> int:
        return self.rejected + self.conflicts

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "online": self.online}


def is_configured(ctx: Context) -> bool:
    """A hub URL and this counter's token are set (`motcua hub set`)."""
    st = sync_repo.state(ctx.store)
    return bool(st.get("hub_url") and st.get("token"))


def status_summary(ctx: Context) -> SyncStatus:
    st = sync_repo.state(ctx.store)
    counts = sync_repo.counts(ctx.store)
    shown = sync_service.show_hub(ctx)
    return SyncStatus(configured=bool(st.get("hub_url") and st.get("token")), hub_url=st.get("hub_url"),
                      waiting=counts["pending"], rejected=counts["rejected"],
                      conflicts=sync_repo.open_conflict_count(ctx.store), last_attempt_at=st.get("last_attempt_at"),
                      last_success_at=st.get("last_success_at"), last_error=st.get("last_error"),
                      skew_warning=bool(shown["skew_warning"]))


def in_force_text(v: dict[str, Any]) -> str:
    """Which catalogue / calendar is in force and where it came from (`services.sync.in_force`)."""
    if v["source"] == "hub":
        return f"{v['label']} (từ hub, áp dụng {v['applied_at']})"
    if v["source"] == "local":
        hub = f"; bản mới nhất từ hub: v{v['hub_version']}" if v["hub_version"] else ""
        return f"nhập tại quầy ({v['label']}, {v['applied_at']}){hub}"
    return "chưa có"


@dataclass(frozen=True)
class DossierSync:
    state: str  # "on_hub" | "waiting" | "rejected" | "conflict" | "no_hub"
    text: str  # the dossier panel's line

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def dossier_sync_state(ctx: Context, code: str) -> DossierSync:
    """Whether this dossier's events have all reached the hub (the dossier panel's line)."""
    st = sync_repo.state(ctx.store)
    n = sync_repo.dossier_state(ctx.store, code)
    if n["conflicts"]:
        return DossierSync("conflict", "Xung đột với hub: chờ lãnh đạo bộ phận xử lý (màn hình Đồng bộ, F12)")
    if n["rejected"]:
        return DossierSync("rejected", "Hub từ chối một sự kiện của hồ sơ: chờ lãnh đạo bộ phận xử lý (F12)")
    if not (st.get("hub_url") and st.get("token")):
        return DossierSync("no_hub", "Chưa gửi lên hub: quầy chưa được nối với hub")
    if n["pending"]:
        return DossierSync("waiting", f"Chờ gửi lên hub ({n['pending']} sự kiện)")
    return DossierSync("on_hub", "Đã lên hub")


def export_ledger(ctx: Context, path: str | Path, *, force: bool = False) -> Path:
    """The outbox and the open conflicts as .csv (UTF-8 with BOM) or .xlsx, under the one rule for
    user-named files (services/outputs.py)."""
    from ..slips import sync_ledger

    suffix = Path(path).suffix.lower()
    if suffix not in LEDGER_KINDS:
        raise UserError(f"Tệp xuất phải có đuôi .csv hoặc .xlsx, không phải '{Path(path).name}'.",
                        f"the export file must end in .csv or .xlsx, not {Path(path).name!r}")
    target = outputs.check_output(path, ctx.data_dir, force=force)
    rows = sync_ledger.ledger_rows(sync_service.outbox(ctx, limit=1_000_000), sync_service.conflicts(ctx))
    content = sync_ledger.csv_bytes(rows) if suffix == ".csv" else sync_ledger.xlsx_bytes(rows)
    try:
        outputs.write_output(target, content)
    except KnownError as error:  # a place that cannot be written is the user's to fix, as for reports
        raise UserError(error.message_vi, error.message_en) from error
    return target.path
