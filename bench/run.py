"""Run every benchmark and print its figures.

    python bench/run.py [--quick] [--json] [--only NAME]

Each `bench/bench_<name>.py` exposes `run(quick: bool) -> dict[str, float]`. Figures, not pass/fail:
targets are printed beside them for the reader.

Absolute times swing 2-4x with the machine's load, so the headline figures are each measured beside
a floor — the bare operation they wrap, in the same run, on the same data, interleaved — and read as
their ratio (`*_ratio`, target printed beside it). `--json` prints every figure, floor and ratio;
`--quick` runs smaller but keeps every key.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

TARGETS = {
    "search_p95_ms": 5.0,
    "receive_p95_ms": 20.0,
    "slip_p95_ms": 100.0,
    "scan_lookup_p95_ms": 50.0,
    "register_find_p95_ms": 20.0,
    "report_1y_ms": 500.0,
    "rss_1m_mb": 300.0,
    "sync_background_ui_stall_ms": 16.0,
}
# (what, figure, its floor, their ratio, target for the ratio)
AGAINST_FLOORS = (
    ("search", "search_p95_ms", "search_floor_p95_ms", "search_ratio", 3.0),
    ("receive", "receive_p95_ms", "receive_floor_p95_ms", "receive_ratio", 3.0),
    ("slip", "slip_p95_ms", "slip_floor_p95_ms", "slip_ratio", 4.0),
    ("scan", "scan_lookup_p95_ms", "scan_floor_p95_ms", "scan_ratio", 3.0),
    ("register", "register_find_p95_ms", "register_floor_p95_ms", "register_ratio", 10.0),
    ("cold start", "cold_start_ms", "cold_start_floor_ms", "cold_start_ratio", 3.0),
    ("ui during sync", "sync_background_ui_stall_ms", "sync_background_ui_stall_floor_ms",
     "sync_background_ui_stall_ratio", 3.0),
)
RATIO_TARGETS = {ratio: target for _, _, _, ratio, target in AGAINST_FLOORS}


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="reduced scale (under a minute)")
    parser.add_argument("--json", action="store_true", help="print one JSON object of figures")
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    args = parser.parse_args()
    figures: dict[str, float] = {}
    for path in sorted(HERE.glob("bench_*.py")):
        if args.only and path.stem != f"bench_{args.only}":
            continue
        started = time.perf_counter()
        result = load(path).run(args.quick)
        figures.update(result)
        if not args.json:
            print(f"# {path.stem} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
            for key, value in result.items():
                target = (f"   (target ≤ {TARGETS[key]:g})" if key in TARGETS else
                          f"   (target ≤ {RATIO_TARGETS[key]:g})" if key in RATIO_TARGETS else "")
                print(f"{key:32} {value:12.3f}{target}")
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        print_against_floors(figures)
    return 0


def print_against_floors(figures: dict[str, float]) -> None:
    rows = [row for row in AGAINST_FLOORS if row[3] in figures]
    if not rows:
        return
    print(f"\n{'against its floor':18} {'figure ms':>10} {'floor ms':>10} {'ratio':>7}  target")
    for what, figure, floor, ratio, target in rows:
        verdict = "ok" if figures[ratio] <= target else "OVER"
        print(f"{what:18} {figures[figure]:10.3f} {figures[floor]:10.3f} {figures[ratio]:7.2f}  ≤ {target:g} {verdict}")
    if "rss_1m_mb" in figures:
        rss = figures["rss_1m_mb"]
        print(f"{'rss_1m_mb':18} {rss:10.1f} {'':>10} {'':>7}  ≤ {TARGETS['rss_1m_mb']:g} MB "
              f"{'ok' if rss <= TARGETS['rss_1m_mb'] else 'OVER'}")


if __name__ == "__main__":
    sys.exit(main())
