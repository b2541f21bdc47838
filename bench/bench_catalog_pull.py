"""The province's catalogue from the hub: 6,000 procedures (quick: 1,500) published on a real
`motcua-hub serve` (SQLite hub, loopback), pulled and applied by one counter in its sync cycle
(services/sync.py: GET /v1/catalog, parse with the counter's own parser, one transaction through the
catalogue import code, the FTS index included).

- catalog_pull_apply_s: one `sync.sync()` that brings the new catalogue (nothing else to push or pull).
- catalog_pull_apply_update_s: the next published version with every procedure changed (all new versions).
- catalog_local_import_s: the floor: the same file imported locally (`catalog.import_catalogue`).
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from motcua_desktop import paths  # noqa: E402
from motcua_desktop.services import catalog, setup, sync  # noqa: E402
from motcua_desktop.services.context import Context  # noqa: E402

AGENCY = "000.00.01.H22"


def _catalogue(n: int, tag: str) -> dict:
    base = json.loads(paths.sample_catalogue().read_text(encoding="utf-8"))["procedures"]
    out = []
    for i in range(n):
        p = copy.deepcopy(base[i % len(base)])
        p["id"] = f"TINH-{i:05d}"
        p["name_vi"] = f"{p['name_vi']} ({tag} {i})"
        p["national_code"] = None
        out.append(p)
    return {"procedures": out}


def _counter(root: Path, name: str) -> Context:
    ctx = setup.open_context(root / name)
    setup.init(ctx, agency_code=AGENCY, agency_name="UBND XÃ HÒA BÌNH", counter_slot=1)
    return ctx


def run(quick: bool) -> dict[str, float]:
    from hubproc import HubProcess, _migrate, hub_cli

    n = 1_500 if quick else 6_000
    root = Path(tempfile.mkdtemp(prefix="motcua-bench-catalog-"))
    figures: dict[str, float] = {}
    try:
        url = f"sqlite:///{root / 'hub.sqlite3'}"
        _migrate(url)
        hub = HubProcess(url, root / "hub").start()
        try:
            v1, v2 = root / "v1.json", root / "v2.json"
            v1.write_text(json.dumps(_catalogue(n, "v1"), ensure_ascii=False), encoding="utf-8")
            v2.write_text(json.dumps(_catalogue(n, "v2"), ensure_ascii=False), encoding="utf-8")
            hub_cli(url, "publish-catalog", str(v1), check=True)
            ctx = _counter(root, "c1")
            try:
                sync.set_hub(ctx, hub.url, hub.add_counter(AGENCY, 1))
                t = time.perf_counter()
                report = sync.sync(ctx)
                figures["catalog_pull_apply_s"] = time.perf_counter() - t
                assert report.catalog is not None and report.catalog["procedures"] == n, report
                hub_cli(url, "publish-catalog", str(v2), check=True)
                t = time.perf_counter()
                report = sync.sync(ctx)
                figures["catalog_pull_apply_update_s"] = time.perf_counter() - t
                assert report.catalog is not None and report.catalog["updated"] == n, report
            finally:
                ctx.close()
            local = _counter(root, "c2")
            try:
                t = time.perf_counter()
                catalog.import_catalogue(local, v1)
                figures["catalog_local_import_s"] = time.perf_counter() - t
            finally:
                local.close()
        finally:
            hub.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return figures


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv).items():
        print(f"{key:40} {value:12.3f}")
