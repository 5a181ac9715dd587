"""A throwaway PostgreSQL 15 + PostGIS cluster for the postgis test tier.

``initdb`` into a ``mkdtemp`` folder (owned by ``postgres`` when running as root, since
PostgreSQL refuses to run as root), ``pg_ctl start`` on 127.0.0.1 and a free port with the
socket in the same folder; stopped (``pg_ctl stop -m fast``) and removed at the end, also
after failures (atexit). Never touches the machine's own cluster.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import List

PG_BIN = Path(os.environ.get("ROADINFRA_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgCluster:
    """Start with :meth:`start`; :meth:`new_database` gives a fresh PostGIS database URL."""

    def __init__(self):
        self.root: Path | None = None
        self.port: int | None = None
        self.running = False
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    def _run(self, args: List[str], **kwargs) -> subprocess.CompletedProcess:
        if self.as_root:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            args = [runuser, "-u", "postgres", "--"] + args
        env = dict(os.environ, LC_ALL="C.UTF-8")
        return subprocess.run(args, cwd="/", env=env, check=True, capture_output=True,
                              text=True, **kwargs)

    def start(self) -> PgCluster:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(f"PostgreSQL binaries not found in {PG_BIN}")
        self.root = Path(tempfile.mkdtemp(prefix="roadinfra-pg-"))
        atexit.register(self.stop)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run([str(PG_BIN / "initdb"), "-D", str(self.datadir), "-E", "UTF8",
                   "--locale=C.UTF-8", "-A", "trust", "-U", SUPERUSER])
        self.port = _free_port()
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-l",
                   str(self.root / "server.log"), "-o", options, "-w", "-t", "60", "start"])
        self.running = True
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60.0) -> None:
        import psycopg2

        deadline = time.monotonic() + timeout
        while True:
            try:
                psycopg2.connect(self.url("postgres")).close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def url(self, dbname: str, user: str = SUPERUSER, password: str | None = None) -> str:
        auth = user if password is None else f"{user}:{password}"
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{dbname}"

    def execute(self, sql: str, dbname: str = "postgres", params=None) -> None:
        import psycopg2

        conn = psycopg2.connect(self.url(dbname))
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
        finally:
            conn.close()

    def new_database(self, postgis: bool = True) -> str:
        """Create an empty database (with the postgis extension) and return its URL."""
        from psycopg2 import sql

        name = "t_" + uuid.uuid4().hex[:12]
        import psycopg2

        conn = psycopg2.connect(self.url("postgres"))
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.close()
        if postgis:
            self.execute("CREATE EXTENSION postgis", dbname=name)
        return self.url(name)

    def stop(self) -> None:
        if self.root is None:
            return
        if self.running:
            try:
                self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.datadir), "-m", "fast",
                           "-w", "stop"])
            except subprocess.CalledProcessError:
                pass
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None
