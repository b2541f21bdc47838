"""Cold start: a new process until the counter window has painted (offscreen), on a demo data dir,
beside its floor: a new process that imports PySide6.QtWidgets and shows one empty window."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Runs in the child: the same steps as `motcua gui`, then quit once the window has painted.
CHILD = r"""
import sys, time
t0 = time.perf_counter()
from pathlib import Path
from motcua_desktop.gui.qt import QApplication, QTimer
from motcua_desktop.gui.app import create_main_window, setup_application
from motcua_desktop.services import setup
t_import = time.perf_counter()
app = QApplication(sys.argv[:1])
setup_application(app)
ctx = setup.open_demo(Path(sys.argv[1]))
window = create_main_window(ctx)
window.show()
def painted():
    print(f"{(t_import - t0) * 1000:.1f} {(time.perf_counter() - t0) * 1000:.1f}", flush=True)
    app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""


# The floor's child: `python -c "import PySide6.QtWidgets"` plus one shown window, painted.
FLOOR_CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def _floor_once() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR_CHILD], capture_output=True, text=True,
                   env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120, check=True)
    return (time.perf_counter() - started) * 1000


def _once(data_dir: Path) -> tuple[float, float, float]:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir)], capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120, check=True).stdout
    wall = (time.perf_counter() - started) * 1000
    imports, inside = (float(x) for x in out.split())
    return wall, imports, inside


def run(quick: bool) -> dict[str, float]:
    runs = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        first = _once(data_dir)  # creates the store and imports the sample catalogue
        _floor_once()  # the same warm file cache for both
        warm, floor = [], []
        for _ in range(runs):  # interleaved
            warm.append(_once(data_dir))
            floor.append(_floor_once())
    cold = statistics.median(w[0] for w in warm)
    return {
        "cold_start_floor_ms": statistics.median(floor),
        "cold_start_ratio": cold / statistics.median(floor),
        "cold_start_first_run_ms": first[0],
        "cold_start_ms": cold,
        "cold_start_imports_ms": statistics.median(w[1] for w in warm),
        "cold_start_to_paint_in_process_ms": statistics.median(w[2] for w in warm),
    }
