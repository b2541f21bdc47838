"""The error kinds, re-exported: they live in domain/ so that domain imports nothing else of the project."""

from .domain.errors import KnownError, MotcuaError, NotFound, UserError

__all__ = ["KnownError", "MotcuaError", "NotFound", "UserError"]
