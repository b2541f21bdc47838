"""The layer rules of the design card, checked on every run of the suite.

`import-linter` (contracts in pyproject.toml) checks the package as it is: gui/ and cli/ never import
store/, domain/ imports nothing of the project, store/ never imports Qt, gui/, cli/ or the services,
nothing but cli/ imports gui/, and Qt is imported only by gui/qt.py. The hub (a package still to come)
may import only domain/: import-linter refuses contracts on modules that do not exist, so that rule is
also checked here by reading the hub's sources, whenever there are any.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "motcua_desktop"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the package under `root` (the sources, not an installed copy), no cache files."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    script = Path(sys.executable).with_name("lint-imports")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "importlinter.cli"]
    return subprocess.run([*command, "--no-cache", str(root / "pyproject.toml")], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120)


def imported_modules(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in one source file of the package."""
    is_package = path.name == "__init__.py"
    parts = module.split(".")
    here = parts if is_package else parts[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return found


def hub_violations(package_dir: Path) -> list[str]:
    """Imports of the project by hub/ other than domain/ (and the hub's own modules)."""
    hub = package_dir / "hub"
    if not hub.is_dir():
        return []
    allowed = (f"{PACKAGE}.domain", f"{PACKAGE}.hub")
    out = []
    for path in sorted(hub.rglob("*.py")):
        rel = path.relative_to(package_dir.parent).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        for line, target in imported_modules(path, module):
            top = target.split(".")[0]
            if top == PACKAGE and not any(target == a or target.startswith(a + ".") for a in allowed):
                out.append(f"{path.relative_to(package_dir.parent)}:{line}: imports {target}")
    return out


def test_the_package_keeps_the_layer_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hub_imports_only_domain() -> None:
    assert hub_violations(ROOT / PACKAGE) == []


def test_the_hub_rule_catches_a_hub_that_reaches_for_the_store(tmp_path: Path) -> None:
    hub = tmp_path / PACKAGE / "hub"
    hub.mkdir(parents=True)
    (tmp_path / PACKAGE / "__init__.py").write_text("")
    (hub / "__init__.py").write_text("from ..domain import codes\nfrom . import app\n")
    (hub / "app.py").write_text("import fastapi\nfrom motcua_desktop.domain.dossier import Status\n"
                                "from ..store import db\nfrom .. import paths\n")
    assert hub_violations(tmp_path / PACKAGE) == [
        f"{PACKAGE}/hub/app.py:3: imports {PACKAGE}.store",
        f"{PACKAGE}/hub/app.py:4: imports {PACKAGE}",
    ]


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("gui/search_view.py", "from ..store import db", "gui/ and cli/ reach the store only through the services"),
    ("services/catalog.py", "from PySide6 import QtCore", "Qt (PySide6) is imported only by gui/qt.py"),
    ("gui/fmt.py", "from PySide6.QtCore import Qt", "Qt (PySide6) is imported only by gui/qt.py"),
    ("slips/render.py", "from ..gui import qt", "nothing but cli/ imports gui/"),
])
def test_a_new_violation_breaks_the_contracts(tmp_path: Path, module: str, line: str, contract: str) -> None:
    shutil.copytree(ROOT / PACKAGE, tmp_path / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / PACKAGE / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout
