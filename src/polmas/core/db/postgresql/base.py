"""Django's PostgreSQL backend, with a health check that needs no round trip while the
connection is quiet.

With CONN_HEALTH_CHECKS, Django asks a reused connection `SELECT 1` before the first
statement of every request: a round trip to the server for each request, a sixth of an
intake worker's busy time under load (py-spy; ADR 12). A server that ends a
connection (a restart, pg_terminate_backend, an idle timeout) says so on the socket before
closing it, and a socket closed under us reads as at its end: either way the socket becomes
readable, and nothing else makes an idle connection's socket readable here (no LISTEN). So a
quiet, readable-nothing socket of an idle connection is taken as usable; anything else gets
Django's own `SELECT 1`. What this cannot see (a peer gone without a word, on a network that
drops packets) `SELECT 1` would only see after TCP's timeout too.
"""

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken:
            return False
        try:
            idle = conn.pgconn.transaction_status == pq.TransactionStatus.IDLE
            waiting, _, _ = select.select([conn.fileno()], [], [], 0)
        except (OSError, ValueError):  # a descriptor gone meanwhile
            return False
        if idle and not waiting:
            return True
        return super().is_usable()
