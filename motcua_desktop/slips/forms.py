"""Every title and label printed on the slips, in one place.

The form set is law, and the law changes (Thông tư 01/2018/TT-VPCP, then 03/2025/TT-VPCP): wording,
numbering suffixes and signature titles live here as data so a new form set is an edit of this file,
not of the layout code. Texts are exactly as printed (titles in upper case, as on the official forms).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
DESK = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
DESK_SENTENCE = "Bộ phận tiếp nhận và trả kết quả"  # the same unit inside a sentence
NUMBER = "Số:"
CODE = "Mã hồ sơ:"
SIGN_HINT = "(Ký và ghi rõ họ tên)"
SIGN_HINT_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"
UNKNOWN_DUE = "Chưa xác định (thủ tục chưa quy định thời hạn giải quyết)"
BLANK_MOMENT = "… giờ … phút, ngày … tháng … năm ……"
BLANK_DATE = "…… tháng …… năm ……"
DEFAULT_CLERK = "cán bộ tiếp nhận"  # inside a sentence, when the counter has no clerk name set
PAGE = "Trang {page}/{pages}"
HONORIFIC = "Ông/Bà"
# An organisation applies through its representative: named as such, and its number is a tax code.
ORGANISATION = "Tổ chức"
TAX_CODE = "Mã số thuế:"
# How a slip's running text addresses the applicant: "{you}" in the texts below.
YOU_PERSON = HONORIFIC
YOU_ORGANISATION = "Quý cơ quan, tổ chức"


def you(organisation: bool) -> str:
    return YOU_ORGANISATION if organisation else YOU_PERSON

# The 80 mm ticket's lines common to every kind (each kind's own are its labels' "ticket_*").
TICKET = {
    "procedure": "Thủ tục:",
    "clerk": "Cán bộ tiếp nhận:",
    "phone": "Điện thoại hỗ trợ:",
}

CHANNEL = {"direct": "Trực tiếp", "post": "Qua dịch vụ bưu chính công ích", "online": "Trực tuyến"}
DELIVERY = {
    "counter": "Bộ phận tiếp nhận và trả kết quả",
    "post": "Qua dịch vụ bưu chính công ích",
}


@dataclass(frozen=True)
class Form:
    kind: str
    title: str  # as printed
    name: str  # proper-case name for menus and logs
    number_suffix: str  # "Số: 1001/TNHS"
    labels: dict[str, str] = field(default_factory=dict)
    copies: tuple[str, ...] = ("",)  # one page set per copy (liên); "" = no copy note


RECEIPT = Form(
    kind="receipt",
    title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    number_suffix="TNHS",
    copies=("Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả", "Liên 2: Giao người nộp hồ sơ"),
    labels={
        "received_from": "{unit} tiếp nhận hồ sơ của:",
        "applicant": "Ông/Bà:",
        "id_number": "Số giấy tờ tùy thân:",
        "address": "Địa chỉ:",
        "phone": "Số điện thoại:",
        "email": "Email:",
        "request": "Nội dung yêu cầu giải quyết:",
        "procedure_code": "Mã thủ tục:",
        "channel": "Hình thức nộp:",
        "components": "1. Thành phần hồ sơ nộp gồm:",
        "col_no": "TT",
        "col_name": "Tên loại giấy tờ",
        "col_form": "Hình thức (bản chính, bản sao)",
        "col_count": "Số lượng",
        "sets": "2. Số lượng hồ sơ: {sets:02d} bộ",
        "processing_time": "3. Thời gian giải quyết hồ sơ theo quy định:",
        "received_at": "4. Thời gian nhận hồ sơ:",
        "due_at": "5. Thời gian trả kết quả giải quyết hồ sơ:",
        "delivery": "6. Đăng ký nhận kết quả tại:",
        "delivery_post": "Qua dịch vụ bưu chính công ích, địa chỉ: {address}",
        "fee": "7. Phí, lệ phí:",
        "fee_amount": "{amount} đồng",
        "fee_receipt": "Biên lai số: {receipt}",
        "fee_exempt": "Miễn phí, lệ phí",
        "fee_none": "Không thu",
        "book": "Vào Sổ theo dõi hồ sơ, Quyển số: {volume} Số thứ tự: {number}",
        "sign_left": "NGƯỜI NỘP HỒ SƠ",
        "sign_right": "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "ticket_title": "GIẤY HẸN TRẢ KẾT QUẢ",
        "ticket_due": "Hẹn trả kết quả:",
        "ticket_received": "Nhận hồ sơ:",
        "ticket_fee": "Phí, lệ phí:",
        "ticket_delivery": "Nhận kết quả:",
        "ticket_bring": "Khi đến nhận kết quả, xin mang theo phiếu này.",
    },
)

SUPPLEMENT = Form(
    kind="supplement",
    title="PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    name="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    number_suffix="PYCBS",
    labels={
        "received_from": "{unit} tiếp nhận hồ sơ của:",
        "applicant": "Ông/Bà:",
        "address": "Địa chỉ:",
        "phone": "Số điện thoại:",
        "email": "Email:",
        "request": "Nội dung yêu cầu giải quyết:",
        "procedure_code": "Mã thủ tục:",
        "intro": "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:",
        "needs": "Nội dung cần bổ sung, hoàn thiện:",
        "reason": "Lý do:",
        "help": "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, {you} liên hệ với {clerk} "
                "theo số điện thoại {phone} để được hướng dẫn.",
        "help_no_phone": "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, {you} liên hệ với {clerk} "
                         "tại {unit} để được hướng dẫn.",
        "once": "Hồ sơ được hướng dẫn một lần, đầy đủ; {you} bổ sung các nội dung trên rồi nộp lại hồ sơ.",
        "guided_at": "Thời gian hướng dẫn:",
        "sign_left": "NGƯỜI NỘP HỒ SƠ",
        "sign_right": "NGƯỜI HƯỚNG DẪN",
    },
)

REFUSAL = Form(
    kind="refusal",
    title="PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    name="Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    number_suffix="PTC",
    labels={
        "received_from": "{unit} tiếp nhận hồ sơ của:",
        "applicant": "Ông/Bà:",
        "address": "Địa chỉ:",
        "phone": "Số điện thoại:",
        "email": "Email:",
        "request": "Nội dung yêu cầu giải quyết:",
        "procedure_code": "Mã thủ tục:",
        "intro": "Sau khi xem xét, đối chiếu thành phần hồ sơ, {unit} từ chối tiếp nhận, giải quyết hồ sơ "
                 "này với lý do cụ thể như sau:",
        "inform": "Xin thông báo cho {you} được biết và thực hiện.",
        "ticket_reason": "Lý do từ chối:",
        "sign_left": "NGƯỜI NỘP HỒ SƠ",
        "sign_right": "NGƯỜI TIẾP NHẬN HỒ SƠ",
    },
)

APOLOGY = Form(
    kind="apology",
    title="PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    name="Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    number_suffix="PXL",
    labels={
        "to": "Kính gửi:",
        "received": "Ngày {received}, {agency} tiếp nhận, giải quyết hồ sơ của {you} đề nghị giải quyết "
                    "thủ tục: {procedure}.",
        "code": "Mã hồ sơ:",
        "original_due": "Thời gian hẹn trả kết quả giải quyết hồ sơ:",
        "late": "Tuy nhiên đến nay, {agency} chưa trả kết quả giải quyết hồ sơ cho {you} đúng hẹn, lý do:",
        "sorry": "Sự chậm trễ này đã gây phiền hà, tốn kém chi phí, công sức của {you}. {agency} xin lỗi "
                 "{you} và xin hẹn lại thời gian trả kết quả:",
        "thanks": "Xin trân trọng cảm ơn sự hợp tác của {you}.",
        "sign_right": "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        "ticket_new_due": "Hẹn lại trả kết quả:",
        "ticket_original_due": "Hẹn trả ban đầu:",
        "ticket_reason": "Lý do chậm:",
    },
)

CONTROL = Form(
    kind="control",
    title="PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    name="Phiếu kiểm soát quá trình giải quyết hồ sơ",
    number_suffix="PKS",
    labels={
        "applicant": "Người nộp hồ sơ:",
        "request": "Nội dung yêu cầu giải quyết:",
        "procedure_code": "Mã thủ tục:",
        "received_at": "Thời gian nhận hồ sơ:",
        "due_at": "Thời gian hẹn trả kết quả:",
        "processing_agency": "Cơ quan (bộ phận) giải quyết hồ sơ:",
        "coordinating": "Cơ quan phối hợp giải quyết hồ sơ:",
        "col_step": "TÊN CƠ QUAN",
        "col_at": "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "col_result": "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)",
        "col_note": "GHI CHÚ",
        "giver": "Người giao",
        "taker": "Người nhận",
        "not_set": "……………………",
        # The hand-overs as they happened (services/slips.py fills them in from the dossier's events).
        "step": "1. Giao: {giver}\n2. Nhận: {taker}",
        "citizen": "Người nộp hồ sơ",
        "early": "Trước hạn",
        "on_time": "Đúng hạn",
        "late": "Quá hạn",
        "apologised": "Đã xin lỗi, hẹn lại {date}",
        "apologised_undated": "Đã xin lỗi, hẹn lại",
    },
)

FORMS: dict[str, Form] = {f.kind: f for f in (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, CONTROL)}

# The hand-overs of a dossier that has not started its journey: printed blank, filled in by hand.
DEFAULT_CONTROL_STEPS = (
    "1. Giao: Bộ phận tiếp nhận và trả kết quả\n2. Nhận: {processing}",
    "1. Giao: {processing}\n2. Nhận: {coordinating}",
    "1. Giao: {processing}\n2. Nhận: Bộ phận tiếp nhận và trả kết quả",
    "1. Giao: Bộ phận tiếp nhận và trả kết quả\n2. Nhận: Người nộp hồ sơ",
)
DEFAULT_PROCESSING_AGENCY = "Công chức chuyên môn"
DEFAULT_COORDINATING_AGENCY = "Cơ quan phối hợp (nếu có)"


def form(kind: str) -> Form:
    return FORMS[kind]
