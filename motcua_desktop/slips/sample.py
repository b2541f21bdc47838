"""A realistic example slip, for previews, the benchmark and trying layouts out."""

from __future__ import annotations

from datetime import datetime

from .model import Agency, Applicant, Component, SlipData


def sample_data(components: int | None = None) -> SlipData:
    comps: tuple[Component, ...] = (
        Component("Tờ khai đăng ký khai sinh (theo mẫu)", originals=1, copies=0),
        Component("Giấy chứng sinh do cơ sở y tế cấp", originals=1, copies=0, provided=False,
                  needs="Nộp bản chính; nếu không có thì nộp văn bản của người làm chứng xác nhận về việc sinh"),
        Component("Giấy chứng nhận kết hôn của cha, mẹ", originals=0, copies=1),
        Component("Văn bản ủy quyền có chứng thực (nếu người đi đăng ký không phải cha, mẹ)", originals=1,
                  copies=1, provided=False, needs="Văn bản ủy quyền phải được chứng thực theo quy định"),
    )
    if components is not None:
        comps = tuple(Component(f"Giấy tờ số {i}: bản kê khai thông tin đất đai, tài sản gắn liền với đất "
                                f"của hộ gia đình, cá nhân", originals=1, copies=(i % 3)) for i in range(1, components + 1))
    return SlipData(
        code="000.00.01.H22-261123-1001",
        agency=Agency(name="UBND xã Mẫu", parent="UBND tỉnh Hà Tĩnh", place="Xã Mẫu",
                      phone="0239 3855 123", code="000.00.01.H22"),
        applicant=Applicant(name="Nguyễn Thị Ánh Tuyết", address="Thôn Đông Hòa, xã Mẫu, tỉnh Hà Tĩnh",
                            phone="0912 345 678", email="anhtuyet@example.vn", id_number="042190001234"),
        procedure_name="Đăng ký khai sinh",
        procedure_code="1.001193",
        components=comps,
        received_at=datetime(2026, 11, 23, 9, 5),
        due_at=datetime(2026, 11, 25, 9, 5),
        processing_time="2 ngày làm việc",
        fee_amount=8000,
        fee_receipt_no="0001234",
        book_volume="01",
        book_number="125",
        clerk_name="Trần Văn Bình",
        supplement_note="Hồ sơ còn thiếu giấy tờ theo quy định",
        refusal_reason="Thủ tục không thuộc thẩm quyền giải quyết của UBND xã",
        apology_reason="Cần xác minh thêm thông tin với cơ quan đăng ký hộ tịch nơi cư trú trước đây",
        original_due_at=datetime(2026, 11, 25, 9, 5),
        new_due_at=datetime(2026, 11, 27, 14, 0),
        processing_agency="Công chức Tư pháp - Hộ tịch",
    )
