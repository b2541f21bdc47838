"""Run every benchmark and print its figures.

    python bench/run.py [--quick] [--json] [--only NAME]

Each `bench/bench_<name>.py` exposes `run(quick: bool) -> dict[str, float]`. Figures, not pass/fail:
targets are printed beside them for the reader.
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
    "report_1y_ms": 500.0,
}


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
                target = f"   (target ≤ {TARGETS[key]:g})" if key in TARGETS else ""
                print(f"{key:32} {value:12.3f}{target}")
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
