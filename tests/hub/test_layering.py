"""The hub shares `domain/` with the counter and nothing else of the project (DESIGN.md: layout), and
the counter's base dependencies do not grow because of it."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import motcua_desktop.hub

HUB = Path(motcua_desktop.hub.__file__).resolve().parent
ROOT = Path(__file__).resolve().parents[2]


def test_hub_imports_only_domain_of_the_project():
    offenders = []
    for path in HUB.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("motcua_desktop") and not name.startswith(("motcua_desktop.domain",
                                                                              "motcua_desktop.hub")):
                    offenders.append(f"{path.relative_to(HUB)}: {name}")
                if name.split(".")[0] in ("PySide6", "sqlite_utils", "reportlab"):
                    offenders.append(f"{path.relative_to(HUB)}: {name}")
    assert offenders == []


def test_hub_dependencies_are_an_extra():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = " ".join(meta["dependencies"]).lower()
    for name in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "psycopg"):
        assert name not in base
        assert any(d.lower().startswith(name) for d in meta["optional-dependencies"]["hub"])
    assert meta["scripts"]["motcua-hub"] == "motcua_desktop.hub.cli:main"
