"""The two kinds of failure a clerk can meet.

`UserError` is bad input (exit status 2); `KnownError` is an environment problem the clerk or an
administrator can fix (disk full, file locked, newer database...; exit status 1). Anything else is a
bug and keeps its traceback for the log. Every message has a Vietnamese text for the window and an
English text for logs and the command line.
"""

from __future__ import annotations


class MotcuaError(Exception):
    exit_status = 1

    def __init__(self, message_vi: str, message_en: str | None = None) -> None:
        super().__init__(message_en or message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi


class UserError(MotcuaError):
    """The input is wrong; nothing was changed."""

    exit_status = 2


class NotFound(UserError):
    """A code or id that does not exist."""


class KnownError(MotcuaError):
    """The environment failed in a way we recognise (disk, locks, file versions)."""

    exit_status = 1
