"""Catalogue import: every problem reported with where it is; a bad file changes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from motcua_desktop.paths import sample_catalogue
from motcua_desktop.services import catalog
from motcua_desktop.services.catalog import CatalogueInvalid
from motcua_desktop.errors import UserError
from motcua_desktop.store import catalog_repo


def sample() -> dict:
    return json.loads(sample_catalogue().read_text(encoding="utf-8"))


def write(tmp_path: Path, data, name: str = "cat.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def snapshot(ctx) -> list:
    return [
        ctx.store.query("SELECT * FROM procedures ORDER BY code"),
        ctx.store.query("SELECT id, code, version, content_hash FROM procedure_versions ORDER BY id"),
        ctx.store.query("SELECT rowid, * FROM procedure_fts ORDER BY rowid"),
    ]


def test_sample_catalogue_is_loaded_by_demo(ctx) -> None:
    assert catalog_repo.count(ctx.store) == 40
    version_id, proc = catalog.procedure(ctx, "HT-01")
    assert proc.name == "Đăng ký khai sinh"
    assert proc.processing_time.unit == "same_day" and proc.processing_time.same_day_cutoff == "15:00"
    assert [d.originals for d in proc.documents] == [1, 1]
    assert proc.national_code == "1.001193" and proc.national_code_status == "confirmed"


def test_reimporting_the_same_file_changes_nothing(ctx) -> None:
    before = snapshot(ctx)
    report = catalog.import_catalogue(ctx, sample_catalogue())
    assert (report.counts.added, report.counts.updated, report.counts.unchanged) == (0, 0, 40)
    assert snapshot(ctx) == before


def test_changed_procedure_gets_a_new_version_and_the_old_stays(ctx, tmp_path: Path) -> None:
    old_id, old = catalog.procedure(ctx, "HT-04")
    data = sample()
    hit = next(p for p in data["procedures"] if p["id"] == "HT-04")
    hit["processing_time"]["value"] = 5
    report = catalog.import_catalogue(ctx, write(tmp_path, data))
    assert (report.counts.added, report.counts.updated) == (0, 1)
    new_id, new = catalog.procedure(ctx, "HT-04")
    assert new_id != old_id and new.processing_time.value == 5
    assert catalog_repo.get_version(ctx.store, old_id).processing_time.value == 3
    assert [v["version"] for v in catalog_repo.versions_of(ctx.store, "HT-04")] == [1, 2]


def test_text_is_stored_nfc(ctx, tmp_path: Path) -> None:
    import unicodedata

    data = sample()
    data["procedures"][0]["name_vi"] = unicodedata.normalize("NFD", "Đăng ký khai sinh mới")
    catalog.import_catalogue(ctx, write(tmp_path, data))
    _, proc = catalog.procedure(ctx, data["procedures"][0]["id"])
    assert proc.name == "Đăng ký khai sinh mới" and unicodedata.is_normalized("NFC", proc.name)


def break_it(mutate) -> dict:
    data = sample()
    mutate(data)
    return data


BAD_FILES = {
    "not json": ("{procedures: [", "JSON sai cú pháp"),
    "not utf8": (b"\xff\xfe\x00garbage", "UTF-8"),
    "no list": ({"procedures": {}}, '"procedures"'),
    "empty list": ({"procedures": []}, "trống"),
    "missing name": (break_it(lambda d: d["procedures"][3].pop("name_vi")), "HT-04: name_vi"),
    "bad unit": (break_it(lambda d: d["procedures"][5]["processing_time"].update(unit="weeks")),
                 "HT-06: processing_time.unit"),
    "negative value": (break_it(lambda d: d["procedures"][5]["processing_time"].update(value=-3)),
                       "HT-06: processing_time.value"),
    "bad cutoff": (break_it(lambda d: d["procedures"][0]["processing_time"].update(same_day_cutoff="25:99")),
                   "HT-01: processing_time.same_day_cutoff"),
    "duplicate id": (break_it(lambda d: d["procedures"][1].update(id="HT-01")), "HT-01: id"),
    "bad id": (break_it(lambda d: d["procedures"][1].update(id="HT 02!")), "procedures[1]: id"),
    "no documents": (break_it(lambda d: d["procedures"][2].update(documents=[])), "HT-03: documents"),
    "bad count": (break_it(lambda d: d["procedures"][2]["documents"][0].update(copies="two")),
                  "HT-03: documents[1].copies"),
    "bad required": (break_it(lambda d: d["procedures"][2]["documents"][1].update(required="yes")),
                     "HT-03: documents[2].required"),
    "bad fee": (break_it(lambda d: d["procedures"][2]["fee"].update(amount_vnd=-1)), "HT-03: fee.amount_vnd"),
    "bad status": (break_it(lambda d: d["procedures"][2].update(national_code_status="maybe")),
                   "HT-03: national_code_status"),
    "record not object": (break_it(lambda d: d["procedures"].append("oops")), "procedures[40]"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_and_nothing_changes(ctx, tmp_path: Path, kind: str) -> None:
    content, where = BAD_FILES[kind]
    # A valid change rides along: it must not be applied either (all-or-nothing).
    if isinstance(content, dict) and content.get("procedures"):
        content = copy.deepcopy(content)
        content["procedures"][10]["name_vi"] = "Tên đã sửa"
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        write(tmp_path, content, "bad.json")
    before = snapshot(ctx)
    with pytest.raises(CatalogueInvalid) as info:
        catalog.import_catalogue(ctx, path)
    assert where in info.value.message_vi
    assert snapshot(ctx) == before


def test_every_problem_is_listed_at_once(ctx, tmp_path: Path) -> None:
    data = sample()
    data["procedures"][0].pop("name_vi")
    data["procedures"][7]["processing_time"]["unit"] = "moons"
    data["procedures"][20]["documents"][0]["originals"] = -2
    with pytest.raises(CatalogueInvalid) as info:
        catalog.import_catalogue(ctx, write(tmp_path, data))
    wheres = [p.where for p in info.value.problems]
    assert wheres == ["HT-01: name_vi", "HT-08: processing_time.unit", "CT-07: documents[1].originals"]


def test_missing_file_is_a_user_error(ctx, tmp_path: Path) -> None:
    with pytest.raises(UserError) as info:
        catalog.import_catalogue(ctx, tmp_path / "nope.json")
    assert "Không tìm thấy tệp" in info.value.message_vi


def test_dry_run_reports_without_writing(ctx, tmp_path: Path) -> None:
    data = sample()
    data["procedures"][0]["name_vi"] = "Đăng ký khai sinh (sửa)"
    data["procedures"].append({**copy.deepcopy(data["procedures"][1]), "id": "HT-99"})
    before = snapshot(ctx)
    report = catalog.import_catalogue(ctx, write(tmp_path, data), dry_run=True)
    assert (report.counts.added, report.counts.updated, report.counts.unchanged) == (1, 1, 39)
    assert snapshot(ctx) == before


def test_unknown_processing_time_is_kept_as_unknown(ctx) -> None:
    _, proc = catalog.procedure(ctx, "DD-04")
    assert proc.processing_time.value is None
    assert proc.processing_time.label() == "Chưa xác định"
    assert not proc.processing_time.confirmed


def test_search_knows_what_people_say_instead_of_the_official_name(ctx):
    """'sổ hồng bị mất' is the re-issue of a land-use certificate (synonyms are data, beside abbreviations)."""
    from motcua_desktop.services import catalog as catalog_service

    assert catalog_service.synonyms()["sổ hồng"] == "giấy chứng nhận quyền sử dụng đất"
    for query in ("so hong bi mat", "sổ đỏ", "so do lam lai", "giay doc than"):
        hits = catalog_service.search(ctx, query)
        assert hits, query
    assert catalog_service.search(ctx, "so hong bi mat")[0].code == "DD-03"
    assert catalog_service.search(ctx, "giay doc than")[0].code == "HT-04"


def test_the_shipped_catalogue_carries_no_editorial_marks():
    """'(M)' placeholders (36 of them) reached the screen and the supplement slip."""
    from motcua_desktop.paths import sample_catalogue

    assert "(M)" not in sample_catalogue().read_text(encoding="utf-8")
