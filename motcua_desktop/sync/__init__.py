"""The counter's hub client (HTTP only; the outbox and the cursor are services/sync.py's business)."""

from .client import (CertificateRefused, ChangesPage, HubAnswerError, HubClient, HubUnreachable, PushAnswer,
                     TokenRefused)

__all__ = ["CertificateRefused", "ChangesPage", "HubAnswerError", "HubClient", "HubUnreachable", "PushAnswer",
           "TokenRefused"]
