"""Every key the counter window answers to, in one place: the F1 help reads it, and the desks' code
names its shortcuts from it (so the help cannot drift from what the keys do)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    keys: str  # as QKeySequence reads it ("F5", "Ctrl+T"); several keys separated by " / "
    does: str  # what it does, in Vietnamese


# Anywhere in the window.
WINDOW: tuple[Key, ...] = (
    Key("F1", "Xem phím tắt của màn hình đang mở"),
    Key("F2", "Tra cứu thủ tục"),
    Key("F3", "Tiếp nhận hồ sơ"),
    Key("F4", "Hồ sơ chờ bổ sung"),
    Key("F5", "Sổ hồ sơ: tìm mọi hồ sơ"),
    Key("F6", "Trả kết quả"),
    Key("F7", "Báo cáo"),
    Key("F9", "Thiết lập"),
    Key("F10", "Tài khoản cán bộ (quản trị viên)"),
    Key("F11", "Nhật ký thao tác"),
    Key("F12", "Đồng bộ với hub: sự kiện chưa gửi, bị từ chối, xung đột (lãnh đạo bộ phận)"),
)

REGISTER_TODAY = "Ctrl+T"
REGISTER_FIND = "Ctrl+F"
RETURNS_REFRESH = "Ctrl+R"

# Per desk (the Page key).
DESKS: dict[str, tuple[Key, ...]] = {
    "search": (
        Key("Gõ chữ", "Tìm thủ tục theo tên, viết tắt hoặc cách gọi thông thường (có dấu hay không)"),
        Key("↑ / ↓", "Chọn thủ tục trong danh sách"),
        Key("Enter", "Tiếp nhận hồ sơ theo thủ tục đã chọn"),
        Key("Esc", "Xóa ô tìm kiếm"),
        Key("Quét phiếu hẹn", "Mã hồ sơ trên phiếu: Enter mở hồ sơ ở bàn Trả kết quả"),
    ),
    "intake": (
        Key("Enter", "Tiếp tục sang bước sau"),
        Key("Tab / Shift+Tab", "Sang ô sau / ô trước"),
        Key("Alt+←", "Quay lại bước trước"),
        Key("Quét mã QR CCCD", "Điền họ tên, số CCCD, địa chỉ của người nộp"),
        Key("Alt+N / Alt+T", "Người nộp là cá nhân / tổ chức"),
        Key("Space", "Đánh dấu thành phần đã nộp (danh mục thành phần)"),
        Key("F8", "Đánh dấu đủ các thành phần bắt buộc"),
        Key("Alt+T / Alt+B / Alt+C", "Tiếp nhận / yêu cầu bổ sung / từ chối tiếp nhận"),
        Key("Ctrl+P", "In lại phiếu vừa cấp"),
        Key("Esc", "Hủy hồ sơ đang nhập (hỏi lại; mặc định là tiếp tục nhập)"),
    ),
    "pending": (
        Key("Gõ chữ", "Lọc theo tên, mã hồ sơ"),
        Key("↑ / ↓, Enter", "Chọn hồ sơ và nhận bổ sung"),
        Key("Quét mã", "Mở hồ sơ từ phiếu yêu cầu bổ sung"),
    ),
    "register": (
        Key(REGISTER_FIND, "Về ô tìm: mã hồ sơ (hoặc các số cuối), tên không dấu, số giấy tờ, điện thoại"),
        Key(REGISTER_TODAY, "Hồ sơ tiếp nhận hôm nay"),
        Key("↑ / ↓", "Chọn hồ sơ trong sổ (mở ngay bên phải)"),
        Key("Enter", "Trong ô tìm: sang danh sách; trên danh sách: bước tiếp theo của hồ sơ"),
        Key("PgUp / PgDown", "Trang trước / trang sau của sổ"),
        Key("Quét mã", "Mở hồ sơ từ phiếu của công dân"),
    ),
    "returns": (
        Key("Quét mã", "Mở hồ sơ từ phiếu hẹn — ở bất cứ đâu trên trang"),
        Key("Enter", "Bước tiếp theo: ghi nhận có kết quả / trả kết quả"),
        Key("↑ / ↓, Enter", "Mở hồ sơ trong danh sách"),
        Key(RETURNS_REFRESH, "Tải lại danh sách"),
    ),
    "reports": (
        Key("Tab", "Chọn kỳ báo cáo, lọc sổ theo dõi"),
    ),
    "settings": (
        Key("Ctrl+S", "Lưu thiết lập"),
    ),
    "sync": (
        Key("↑ / ↓", "Chọn sự kiện hoặc xung đột trong danh sách"),
        Key("Tab", "Sang nút: đồng bộ ngay, gửi lại, xuất danh sách, giữ trạng thái của quầy / của hub"),
    ),
}


def help_text(desk_key: str, desk_title: str) -> str:
    """The F1 text: the current desk's keys, then the window's."""
    lines = [f"Phím tắt — {desk_title}", ""]
    lines += [f"{k.keys}:  {k.does}" for k in DESKS.get(desk_key, ())]
    lines += ["", "Mọi màn hình:"]
    lines += [f"{k.keys}:  {k.does}" for k in WINDOW]
    return "\n".join(lines)
