"""Refusals shared by every app's services (the API and the pages render them)."""


class Conflict(Exception):
    """The record changed since the caller read it (stale version), or a resent client UUID
    carries other content: answered 409, nothing changed. Each app subclasses it."""
