"""The audit trail's hash chain: what an entry's hash covers, and how a chain is checked.

Each entry's hash is SHA-256 over its id, content and the previous entry's hash (the first entry
links to GENESIS). The newest entry is also recorded outside the table (the anchor), because a chain
whose tail was cut is still a valid chain: only the anchor tells that entries are missing at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """The hash of one entry (its id, at, actor, action, subject and detail text) linked to `prev_hash`."""
    body = [entry["id"], entry["at"], entry["actor"], entry["action"], entry["subject"], entry["detail"], prev_hash]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anchor:
    last_id: int
    last_hash: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"last_id": self.last_id, "last_hash": self.last_hash, "count": self.count}

    @classmethod
    def from_json(cls, value: Any) -> Anchor | None:
        if not isinstance(value, dict):
            return None
        try:
            return cls(int(value["last_id"]), str(value["last_hash"]), int(value["count"]))
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Finding:
    entry_id: int | None  # the first entry found wrong (None: the chain ends too early)
    problem: str  # machine word: edited | link_broken | unsealed | tail_missing | after_anchor | no_anchor
    detail: str  # English, for the log and --json

    @property
    def message_vi(self) -> str:
        where = f"mục số {self.entry_id}" if self.entry_id is not None else "cuối sổ"
        return {
            "edited": f"Nhật ký bị sửa tại {where}: nội dung không khớp mã băm.",
            "link_broken": f"Nhật ký bị xóa hoặc chèn mục trước {where}.",
            "unsealed": f"Nhật ký có {where} chưa được niêm phong.",
            "tail_missing": "Nhật ký bị xóa các mục cuối: số mục ít hơn mốc đã ghi.",
            "after_anchor": f"Nhật ký có mục thêm vào sau mốc đã ghi ({where}).",
            "no_anchor": "Không có mốc niêm phong của nhật ký.",
            "anchor_mismatch": f"Mốc niêm phong không khớp với nhật ký ({where}).",
            "backup_mismatch": f"Nhật ký khác với bản đã ghi trong bản sao lưu ({where}).",
        }.get(self.problem, self.detail)


@dataclass(frozen=True)
class Verdict:
    entries: int
    finding: Finding | None

    @property
    def ok(self) -> bool:
        return self.finding is None


def verify(entries: Iterable[Mapping[str, Any]], anchor: Anchor | None,
           checkpoints: Iterable[Anchor] = ()) -> Verdict:
    """Walk the entries in id order; the first thing wrong is reported. No entries and no anchor is a
    new, empty trail (fine). `checkpoints`: anchors kept elsewhere (in backups); the chain must still
    hold each of them, so a trail rewritten from scratch (anchor and all) shows too."""
    pending = {c.last_id: c for c in checkpoints}
    prev = GENESIS
    count = 0
    last_id: int | None = None
    for entry in entries:
        count += 1
        entry_id = int(entry["id"])
        if entry.get("hash") is None:
            return Verdict(count, Finding(entry_id, "unsealed", f"entry {entry_id} has no hash"))
        if entry.get("prev_hash") != prev:
            return Verdict(count, Finding(entry_id, "link_broken",
                                          f"entry {entry_id} does not link to the entry before it"))
        if entry_hash(prev, entry) != entry["hash"]:
            return Verdict(count, Finding(entry_id, "edited", f"entry {entry_id}: content does not match its hash"))
        if anchor is not None and entry_id > anchor.last_id:
            return Verdict(count, Finding(entry_id, "after_anchor",
                                          f"entry {entry_id} comes after the anchored entry {anchor.last_id}"))
        kept = pending.pop(entry_id, None)
        if kept is not None and kept.last_hash != entry["hash"]:
            return Verdict(count, Finding(entry_id, "backup_mismatch",
                                          f"entry {entry_id} differs from the one a backup recorded"))
        prev = entry["hash"]
        last_id = entry_id
    if pending:
        first = min(pending)
        return Verdict(count, Finding(first, "backup_mismatch",
                                      f"entry {first}, recorded by a backup, is no longer in the trail"))
    if anchor is None:
        if count:
            return Verdict(count, Finding(None, "no_anchor", "the trail has entries but no anchor"))
        return Verdict(0, None)
    if last_id != anchor.last_id or count != anchor.count:
        return Verdict(count, Finding(last_id, "tail_missing",
                                      f"the anchor names entry {anchor.last_id} of {anchor.count}; "
                                      f"the trail ends at entry {last_id} of {count}"))
    if prev != anchor.last_hash:
        return Verdict(count, Finding(last_id, "anchor_mismatch", "the last entry's hash differs from the anchor"))
    return Verdict(count, None)
