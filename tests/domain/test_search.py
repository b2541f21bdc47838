"""Folding and ranking: what a clerk types finds what a clerk means."""

from __future__ import annotations

import pytest

from motcua_desktop.domain.search import synonym_aliases, aliases_for, match_expression
from motcua_desktop.domain.text import clean, fold, nfc
from motcua_desktop.services import catalog


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("Quyền sử dụng đất", "quyen su dung dat"),
        ("Nguyễn Thị Ánh Tuyết", "nguyen thi anh tuyet"),
        ("Hộ kinh doanh", "ho kinh doanh"),
    ],
)
def test_fold_removes_marks_and_folds_d_bar(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_treats_decomposed_input_like_composed() -> None:
    decomposed = "Đăng ký".encode().decode()  # typed by some IMEs as base letter + combining marks
    import unicodedata

    nfd = unicodedata.normalize("NFD", decomposed)
    assert nfd != decomposed
    assert fold(nfd) == fold(decomposed) == "dang ky"
    assert nfc(nfd) == decomposed


def test_clean_drops_control_characters_and_squeezes_spaces() -> None:
    assert clean("  Nguyễn\tVăn\x00  A\r\n") == "Nguyễn Văn A"


def test_match_expression_quotes_every_word() -> None:
    assert match_expression('"NEAR( AND * -x') == '"near"* "and"* "x"*'
    assert match_expression("  ***  ") is None
    assert match_expression("😀😀") is None


def test_aliases_come_from_the_abbreviation_data() -> None:
    abbreviations = {"GPXD": "giấy phép xây dựng", "QSDĐ": "quyền sử dụng đất"}
    assert aliases_for("Cấp giấy phép xây dựng nhà ở riêng lẻ", abbreviations) == ["gpxd"]
    assert aliases_for("Cấp đổi Giấy chứng nhận quyền sử dụng đất", abbreviations) == ["qsdd"]
    assert aliases_for("Đăng ký khai sinh", abbreviations) == []


def names(ctx, query: str) -> list[str]:
    return [hit.name for hit in catalog.search(ctx, query)]


@pytest.mark.parametrize(
    "query, first",
    [
        ("dang ky khai sinh", "Đăng ký khai sinh"),
        ("Đăng ký khai sinh", "Đăng ký khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "Đăng ký kết hôn (trong nước)"),
        ("dang ky ket hon", "Đăng ký kết hôn (trong nước)"),
        ("khai tu", "Đăng ký khai tử"),
        ("HT-03", "Đăng ký khai tử"),
        ("ht03", "Đăng ký khai tử"),
        ("1.001193", "Đăng ký khai sinh"),
        ("tinh trang hon nhan", "Cấp Giấy xác nhận tình trạng hôn nhân"),
    ],
)
def test_best_match_first(ctx, query: str, first: str) -> None:
    assert names(ctx, query)[0] == first


@pytest.mark.parametrize(
    "abbreviation, expected",
    [
        ("GPXD", "Cấp giấy phép xây dựng nhà ở riêng lẻ"),
        ("gpxd", "Cấp giấy phép xây dựng nhà ở riêng lẻ"),
        ("HKD", "Đăng ký thành lập hộ kinh doanh"),
        ("QSDĐ", "Cấp đổi, cấp lại Giấy chứng nhận quyền sử dụng đất"),
        ("qsdd", "Cấp đổi, cấp lại Giấy chứng nhận quyền sử dụng đất"),
        ("GCN", "Cấp đổi, cấp lại Giấy chứng nhận quyền sử dụng đất"),
        ("xac nhan TTHN", "Cấp Giấy xác nhận tình trạng hôn nhân"),
    ],
)
def test_clerk_abbreviations(ctx, abbreviation: str, expected: str) -> None:
    assert expected in names(ctx, abbreviation)


def test_field_is_searched(ctx) -> None:
    found = names(ctx, "bao tro xa hoi")
    assert found and all(
        hit.field == "Bảo trợ xã hội" or "xã hội" in hit.name for hit in catalog.search(ctx, "bao tro xa hoi")
    )


def test_prefix_as_you_type(ctx) -> None:
    assert set(names(ctx, "dang ky kh")[:2]) == {"Đăng ký khai sinh", "Đăng ký khai tử"}
    assert names(ctx, "dang ky khai s")[0] == "Đăng ký khai sinh"
    assert names(ctx, "chung th")[0].startswith("Chứng thực")


def test_every_word_must_match(ctx) -> None:
    assert names(ctx, "khai sinh xay dung") == []


@pytest.mark.parametrize(
    "query",
    [
        '"', "'", '""', "*", "-", "-khai", "AND", "OR", "NOT", "NEAR(", "NEAR(dang ky)", "(", ")", "()",
        "dang AND", "khai*", "^dang", "{name}: x", "name:khai", "a" * 10_000, "khai sinh " * 2_000,
        "😀", "khai 😀 sinh", "\x00\x01\x1b[2J", "' OR 1=1 --", "%", "_", "\\", "ｄａｎｇ",
    ],
)
def test_hostile_queries_never_error(ctx, query: str) -> None:
    hits = catalog.search(ctx, query)
    assert isinstance(hits, list)


def test_hostile_query_with_real_words_still_finds(ctx) -> None:
    assert names(ctx, '"khai sinh" (dang*')[0].startswith("Đăng ký")
    assert "Đăng ký khai sinh" in names(ctx, "khai 😀 sinh")


@pytest.fixture
def province(ctx, tmp_path):
    """The sample catalogue plus 600 generated procedures: one letter then matches most of it."""
    import json

    from motcua_desktop.paths import sample_catalogue

    template = json.loads(sample_catalogue().read_text(encoding="utf-8"))["procedures"][0]
    generated = [{**template, "id": f"P-{i:04d}", "name_vi": f"{verb} giấy tờ số {i}", "national_code": None}
                 for i in range(600) for verb in ["Đăng ký" if i % 2 else "Điều chỉnh"]]
    path = tmp_path / "province.json"
    path.write_text(json.dumps({"procedures": generated}, ensure_ascii=False), encoding="utf-8")
    catalog.import_catalogue(ctx, path)
    return ctx


def test_broad_prefix_lists_names_starting_with_it_in_dictionary_order(province) -> None:
    hits = names(province, "d")
    assert len(hits) == 50
    folded = [fold(n) for n in hits]
    assert all(f.startswith("d") for f in folded)
    # Dictionary order puts an exact name before its longer variants ('… số 1' before '… số 10').
    assert folded == sorted(folded)
    assert hits.index("Đăng ký giấy tờ số 1") < hits.index("Đăng ký giấy tờ số 11")
    assert names(province, "dang ky khai sinh")[0] == "Đăng ký khai sinh"  # specific queries: ranked


def test_broad_query_without_name_prefixes_still_fills_the_page(province) -> None:
    hits = names(province, "g")  # 'giấy' is inside every generated name, at the start of none
    assert len(hits) == 50
    assert any(not fold(n).startswith("g") for n in hits)
    # A word of the name, or of what people call it (the synonyms in resources/abbreviations.json).
    said = {n: " ".join(synonym_aliases(n, catalog.synonyms())) for n in hits}
    assert all(any(w.startswith("g") for w in (fold(n) + " " + said[n]).split()) for n in hits)
