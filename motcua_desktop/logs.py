"""Log files and log lines: private (0600, in a 0700 folder) and masked (domain/privacy.py)."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from .domain.privacy import mask

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskingFormatter(logging.Formatter):
    """Masks identity numbers, phones and e-mails in the whole formatted record, traceback included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the current one and each rotated one) is created 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)  # an older log left 0644 is repaired too
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def file_handler(logs_dir: Path, name: str) -> logging.Handler:
    """`logs_dir/name`, 0600 in a 0700 folder, rotated at 2 MB, lines masked."""
    logs_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(logs_dir, 0o700)
    handler = PrivateRotatingFileHandler(logs_dir / name, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(MaskingFormatter(LOG_FORMAT))
    return handler
