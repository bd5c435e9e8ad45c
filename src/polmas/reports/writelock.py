"""Moved to polmas.core.db.writelock (issue 13). Kept only for analytics.tasks until it calls
core.db.writelock itself; nothing else imports this module."""

from polmas.core.db.writelock import checkpoint, intake_writer, pass_turn

__all__ = ["checkpoint", "intake_writer", "pass_turn"]
