"""The PyInstaller bundle (build.spec) as an administrator installs it: build it, then run it.

A bundle can build cleanly and still die at start on a module imported by name at run time (reportlab's
barcode package does that), or open a window with boxes for letters when the fonts did not travel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "build.spec").is_file():
        pytest.skip("build.spec travels with the source tree, not with an installed package")
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is in the test extras: pip install '.[test]'")
    out = tmp_path_factory.mktemp("pyinstaller")
    p = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                        "--distpath", str(out / "dist"), "--workpath", str(out / "build"),
                        str(ROOT / "build.spec")], capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    exe = out / "dist" / "motcua" / "motcua"
    assert exe.is_file()
    return exe


def run(exe: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([str(exe), "--data-dir", str(data_dir), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)


def test_bundle_receives_a_dossier_and_prints_its_slip(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = run(bundle, data, "init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH")
    assert r.returncode == 0, r.stderr
    r = run(bundle, data, "catalog", "search", "dang ky ket hon", "--json")
    assert r.returncode == 0, r.stderr
    assert '"Đăng ký kết hôn (trong nước)"' in r.stdout.split("}")[0]  # the first result
    r = run(bundle, data, "receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An",
            "--id-number", "001099012345", "--provided", "all", "--json")
    assert r.returncode == 0, r.stderr
    code = __import__("json").loads(r.stdout)["code"]
    pdf = tmp_path / "receipt.pdf"
    r = run(bundle, data, "slip", "receipt", code, "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, encoding="utf-8", check=True).stdout
        assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
        assert "Nguyễn Văn An" in text


def test_bundle_opens_the_window_with_its_fonts_and_stylesheet(bundle: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([str(bundle), "--data-dir", str(data), "gui", "--demo"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = data / "logs" / "motcua-gui.log"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if log.is_file() and "window opening" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.2)
        time.sleep(1.0)  # let the window paint; a crash at first paint shows as an exit here
        assert proc.poll() is None, proc.communicate()[1][-3000:]
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    written = log.read_text(encoding="utf-8")
    assert "window opening" in written
    for complaint in ("could not load font", "not readable", "Traceback"):
        assert complaint not in written and complaint not in stderr, stderr[-3000:]
