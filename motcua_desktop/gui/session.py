"""Who works at the counter: the first run, signing in (at start and at the lock screen), passwords.

Every question goes through the dialog service's `ask_form`, so tests script each step; a refusal
(wrong password, a locked account, a mismatch) comes back on the same form, in red, with what was typed
kept (passwords never). Nothing here touches the store: the services check and write.
"""

from __future__ import annotations

from typing import Any

import logging
from dataclasses import dataclass
from pathlib import Path

from ..domain.accounts import Role, check_password, parse_full_name, parse_username
from ..errors import MotcuaError, UserError
from ..services import accounts, setup, sync
from ..services.context import Context, open_context
from .dialogs import Dialogs, FormField
from .qt import QWidget

log = logging.getLogger("motcua.gui.session")

LOGIN_TITLE = "Đăng nhập"
UNLOCK_TITLE = "Mở khóa quầy"
CHANGE_TITLE = "Đổi mật khẩu"
FIRST_RUN_TITLE = "Khởi tạo quầy"

LOGIN_FIELDS = (FormField("username", "Tên đăng nhập:"), FormField("password", "Mật khẩu:", "password"))
MISMATCH = "Hai lần nhập mật khẩu mới không giống nhau."


def sign_in(ctx: Context, dialogs: Dialogs, parent: QWidget | None = None, *, title: str = LOGIN_TITLE,
            message: str = "", username: str = "", cancel: str = "Thoát") -> bool:
    """Ask for a user name and password until one signs in (True; `ctx.user` is that account) or the
    clerk cancels (False). A forced password change (after a reset) comes straight after."""
    error = ""
    while True:
        answer = dialogs.ask_form(parent, title, LOGIN_FIELDS, message=message, error=error,
                                  values={"username": username}, ok="Đăng nhập", cancel=cancel)
        if answer is None:
            return False
        username, password = answer.get("username", ""), answer.get("password", "")
        try:
            user = accounts.sign_in(ctx, username, password)
            must_change = accounts.get_account(ctx, user.username).must_change
        except UserError as exc:  # wrong password, locked: said on the form, nothing else happens
            error = exc.message_vi
            continue
        except MotcuaError as exc:  # the disk, a locked file: the clerk is told
            dialogs.show_error(parent, exc, doing="đăng nhập")
            return False
        log.info("signed in as %s (%s)", user.username, user.role.value)
        if not must_change or change_password(ctx, dialogs, parent, old=password, forced=True):
            return True
        accounts.sign_out(ctx)
        error = "Cần đổi mật khẩu trước khi làm việc."


def change_password(ctx: Context, dialogs: Dialogs, parent: QWidget | None = None, *, old: str | None = None,
                    forced: bool = False) -> bool:
    """The signed-in user's own password (the old one asked unless just typed at sign-in)."""
    fields = ([] if old is not None else [FormField("old", "Mật khẩu hiện tại:", "password")]) + [
        FormField("new", "Mật khẩu mới:", "password"), FormField("again", "Nhập lại mật khẩu mới:", "password")]
    message = ("Mật khẩu của tài khoản vừa được đặt lại: hãy chọn mật khẩu mới của riêng mình."
               if forced else "")
    error = ""
    while True:
        answer = dialogs.ask_form(parent, CHANGE_TITLE, fields, message=message, error=error, ok="Đổi mật khẩu")
        if answer is None:
            return False
        if answer.get("new", "") != answer.get("again", ""):
            error = MISMATCH
            continue
        try:
            accounts.change_password(ctx, old if old is not None else answer.get("old", ""), answer.get("new", ""))
        except UserError as exc:
            error = exc.message_vi
            continue
        except MotcuaError as exc:
            dialogs.show_error(parent, exc, doing="đổi mật khẩu")
            return False
        return True


# --- first run -----------------------------------------------------------------------------------------
FIRST_RUN_FIELDS = (
    FormField("agency_code", "Mã đơn vị (QCVN 102:2016):", hint="ví dụ 000.00.01.H22"),
    FormField("agency_name", "Tên đơn vị:", hint="ví dụ UBND XÃ HÒA BÌNH"),
    FormField("place_name", "Địa danh in trên phiếu:", hint="ví dụ Hòa Bình"),
    FormField("counter_slot", "Số hiệu quầy (0–9):", hint="ví dụ 1"),
    FormField("hub_url", "Địa chỉ hub của tỉnh (nếu có):",
              hint="ví dụ https://hub.tinh.gov.vn:8765; để trống nếu chưa có"),
    FormField("hub_token", "Mã truy cập của quầy (do tỉnh cấp):", "password", hint="cùng với địa chỉ hub"),
    FormField("admin_user", "Tên đăng nhập quản trị viên:", hint="ví dụ quantri"),
    FormField("admin_name", "Họ tên quản trị viên:"),
    FormField("password", "Mật khẩu:", "password", hint="ít nhất 8 ký tự"),
    FormField("again", "Nhập lại mật khẩu:", "password"),
)
FIRST_RUN_TEXT = ("Quầy chưa được khởi tạo. Nhập thông tin của đơn vị — mã, tên và địa danh được in trên "
                  "phiếu tiếp nhận, hãy nhập đúng — và tài khoản quản trị viên đầu tiên.")


@dataclass(frozen=True)
class FirstRun:
    """What the first-run form gave, every value checked."""
    agency_code: str
    agency_name: str
    place_name: str
    counter_slot: int
    hub_url: str
    hub_token: str
    admin_user: str
    admin_name: str
    password: str


def check_first_run(answer: dict[str, str]) -> FirstRun:
    """The form's values through the domain's parsers; UserError names the first wrong one."""
    def required(key: str, what: str) -> str:
        value = (answer.get(key) or "").strip()
        if not value:
            raise UserError(f"Chưa nhập {what}.", f"{key} is required")
        return value

    values = setup.init_values(agency_code=required("agency_code", "mã đơn vị"),
                               agency_name=required("agency_name", "tên đơn vị"),
                               counter_slot=required("counter_slot", "số hiệu quầy"),
                               place_name=required("place_name", "địa danh in trên phiếu"))
    hub, token = (answer.get("hub_url") or "").strip(), (answer.get("hub_token") or "").strip()
    if hub or token:  # both or neither: an address without the counter's token syncs nothing
        if not hub:
            raise UserError("Có mã truy cập nhưng chưa nhập địa chỉ hub.", "a hub token without a hub URL")
        if not token:
            raise UserError("Chưa nhập mã truy cập của quầy (do tỉnh cấp cùng địa chỉ hub).",
                            "a hub URL without the counter's token")
        hub, token = sync.check_hub(hub, token)
    user = parse_username(required("admin_user", "tên đăng nhập của quản trị viên"))
    name = parse_full_name(required("admin_name", "họ tên của quản trị viên"))
    password = answer.get("password") or ""
    check_password(password, user)
    if password != answer.get("again"):
        raise UserError(MISMATCH, "the two passwords differ")
    return FirstRun(values["agency_code"], values["agency_name"], values["place_name"], values["counter_slot"],
                    hub, token, user, name, password)


def first_run(data_dir: Path, dialogs: Dialogs, parent: QWidget | None = None) -> Context | None:
    """Walk an administrator through setting up a new counter; the context, signed in as that
    administrator, or None when cancelled (then nothing was created)."""
    error: str = ""
    values: dict[str, Any] = {}
    while True:
        answer = dialogs.ask_form(parent, FIRST_RUN_TITLE, FIRST_RUN_FIELDS, message=FIRST_RUN_TEXT, error=error,
                                  values=values, ok="Khởi tạo quầy", cancel="Thoát")
        if answer is None:
            return None
        values = {k: v for k, v in answer.items() if k not in ("password", "again")}
        try:
            return _create_counter(data_dir, check_first_run(answer))
        except UserError as exc:  # every value is checked before anything is written
            error = exc.message_vi


def _create_counter(data_dir: Path, c: FirstRun) -> Context:
    ctx = open_context(data_dir, create=True)
    try:
        if not accounts.has_accounts(ctx):
            # The administrator first, so that the set-up itself is audited under a real name.
            accounts.add_user(ctx, c.admin_user, c.admin_name, Role.ADMINISTRATOR, c.password)
        accounts.sign_in(ctx, c.admin_user, c.password)
        setup.init(ctx, agency_code=c.agency_code, agency_name=c.agency_name, counter_slot=c.counter_slot,
                   place_name=c.place_name)
        if c.hub_url:
            sync.set_hub(ctx, c.hub_url, c.hub_token)
    except BaseException:
        ctx.close()
        raise
    log.info("counter %s set up in %s by %s", c.agency_code, data_dir, c.admin_user)
    return ctx
