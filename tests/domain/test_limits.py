"""Field limits are data (domain/limits.py), and the README's table says the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua_desktop.domain.errors import UserError
from motcua_desktop.domain.limits import LIMITS, MAX_DOCUMENTS, check_length

README = Path(__file__).resolve().parents[2] / "README.md"


def test_over_the_limit_names_field_and_limit() -> None:
    assert check_length("clerk_name", "x" * 100) == "x" * 100
    with pytest.raises(UserError) as info:
        check_length("clerk_name", "x" * 101)
    assert "clerk_name" in info.value.message_en and "100" in info.value.message_en
    assert "tối đa 100 ký tự" in info.value.message_vi


def test_the_readme_table_is_the_limits() -> None:
    text = README.read_text(encoding="utf-8")
    for limit in LIMITS.values():
        assert f"| {limit.label_vi} | `{limit.key}` | {limit.max_chars} |" in text, limit
    assert f"| `documents` | {MAX_DOCUMENTS} items |" in text
