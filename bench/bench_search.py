"""Search latency over a generated province-size catalogue (6,000 procedures), beside its floor: the
bare FTS5 MATCH query that `catalog.search` wraps (same store, same queries, same prefixes, LIMIT 50),
so the ratio says what the ranking, the broad-query check and the result objects cost."""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from motcua_desktop.domain.search import match_expression
from motcua_desktop.paths import sample_catalogue
from motcua_desktop.services import catalog, setup

ACTIONS = ["Đăng ký", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Xác nhận",
           "Chứng thực", "Thẩm định", "Phê duyệt", "Công nhận", "Hỗ trợ", "Giải quyết", "Thông báo"]
OBJECTS = ["giấy phép xây dựng", "hộ kinh doanh", "quyền sử dụng đất", "khai sinh", "kết hôn", "khai tử",
           "giấy chứng nhận", "chế độ trợ cấp", "bảo trợ xã hội", "người có công", "thường trú", "tạm trú",
           "hợp đồng", "di chúc", "giấy phép kinh doanh", "nhà ở riêng lẻ", "tình trạng hôn nhân",
           "sổ hộ nghèo", "học bổng", "giấy phép khai thác", "đăng ký đầu tư", "lễ hội", "câu lạc bộ"]
QUALIFIERS = ["", "có yếu tố nước ngoài", "cho cá nhân", "cho tổ chức", "lần đầu", "trong nước",
              "tại cấp xã", "đối với hộ gia đình", "theo yêu cầu", "trường hợp bị mất, hỏng"]
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Kinh doanh", "Bảo trợ xã hội", "Người có công",
          "Cư trú", "Giáo dục", "Văn hóa", "Y tế", "Nông nghiệp", "Tài nguyên môi trường", "Tư pháp"]
QUERIES = ["dang ky khai sinh", "gpxd", "QSDĐ", "hkd", "cap lai giay", "ket hon", "chung thuc hop dong",
           "tro cap", "dang", "c", "xac nhan tinh trang hon nhan", "nha o rieng le", "HT-01", "1.001193",
           '" NEAR( * AND', "thuong tru cho ca nhan", "giay phep kinh doanh cho to chuc", "ho ngheo",
           "di chuc", "nguoi co cong"]


def generate(n: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    base = json.loads(sample_catalogue().read_text(encoding="utf-8"))["procedures"]
    procedures = []
    for i in range(n):
        template = base[i % len(base)]
        name = " ".join(x for x in (rnd.choice(ACTIONS), rnd.choice(OBJECTS), rnd.choice(QUALIFIERS)) if x)
        procedures.append({**template, "id": f"P-{i:05d}", "name_vi": f"{name} ({i})",
                           "field_vi": rnd.choice(FIELDS), "national_code": f"1.{i:06d}"})
    return {"procedures": procedures}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(quick: bool) -> dict[str, float]:
    n = 2_000 if quick else 6_000
    repeats = 5 if quick else 20
    with tempfile.TemporaryDirectory() as tmp:
        ctx = setup.open_demo(Path(tmp) / "data")
        path = Path(tmp) / "province.json"
        path.write_text(json.dumps(generate(n), ensure_ascii=False), encoding="utf-8")
        started = time.perf_counter()
        catalog.import_catalogue(ctx, path)
        import_s = time.perf_counter() - started
        # What the window does per keystroke: every prefix of the query.
        prefixes = [q[:cut] for q in QUERIES for cut in range(1, len(q) + 1, 3)]
        bare = [(text, match_expression(text)) for text in prefixes]
        conn = ctx.store.conn
        timings, floor = [], []
        for _ in range(repeats):  # interleaved: both see the same load on the machine
            for text, expression in bare:
                t0 = time.perf_counter()
                catalog.search(ctx, text, limit=50)
                timings.append((time.perf_counter() - t0) * 1000)
                if expression is not None:
                    t0 = time.perf_counter()
                    conn.execute("SELECT rowid FROM procedure_fts WHERE procedure_fts MATCH ? LIMIT 50",
                                 (expression,)).fetchall()
                    floor.append((time.perf_counter() - t0) * 1000)
        ctx.close()
    return {
        "search_catalogue_size": float(n + 40),
        "search_queries": float(len(timings)),
        "search_p50_ms": statistics.median(timings),
        "search_p95_ms": percentile(timings, 95),
        "search_floor_p95_ms": percentile(floor, 95),
        "search_ratio": percentile(timings, 95) / percentile(floor, 95),
        "catalog_import_s": import_s,
    }
