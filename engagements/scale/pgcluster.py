"""A throwaway PostgreSQL primary and hot standby (and optionally PgBouncer) on loopback.

Why: the read-replica router and its fallback are only proven against a real streaming
standby, and load tests need a server they may stop and restart. This module starts one
from the PostgreSQL binaries on this machine, in data directories under a temporary base
directory, on free loopback ports, with trust authentication (loopback only).

    with Cluster() as cluster:            # or Cluster(base_dir)
        cluster.start_primary()
        cluster.start_standby()           # pg_basebackup -R, waits until streaming
        cluster.url("primary"), cluster.url("standby")
        cluster.stop("standby"); cluster.start("standby")
    # teardown on exit: servers stopped, base directory removed (when we created it)

``start_pgbouncer(node)`` puts a PgBouncer in transaction pooling mode in front of a node
(``url("pgbouncer")``, ``url("pgbouncer_standby")``); ``pause_replay``/``resume_replay``
hold the standby behind the primary on purpose.

PostgreSQL refuses to run as root: as root, every server command runs as the ``postgres``
OS user (``runuser``), and the base directory is handed to that user.

CLI: ``python -m engagements.scale.pgcluster up|down|status [--base DIR] [--pgbouncer]``
prints the URLs; ``up`` leaves the servers running (state in ``DIR/cluster.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("DEFREL_PG_BIN", "/usr/lib/postgresql/15/bin"))
NODES = ("primary", "standby")
DEFAULT_DB = "postgres"


class ClusterError(RuntimeError):
    """A server of the throwaway cluster could not be set up or started."""


def binaries_available() -> str:
    """Why the cluster cannot be started here ("" when it can)."""
    for name in ("initdb", "pg_ctl", "pg_basebackup", "postgres"):
        if not (PG_BIN / name).exists():
            return f"PostgreSQL binary {PG_BIN / name} not found (set DEFREL_PG_BIN)"
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing (PostgreSQL refuses root)"
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres OS user to run the servers"
    return ""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def _chown_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


class Cluster:
    """A primary and (optionally) a streaming hot standby, plus an optional PgBouncer."""

    def __init__(self, base_dir: str | os.PathLike | None = None) -> None:
        self._own_base = base_dir is None
        self.base = Path(base_dir or tempfile.mkdtemp(prefix="defrel-pgcluster-"))
        self.base.mkdir(parents=True, exist_ok=True)
        self.base.chmod(0o755)
        _chown_to_server_user(self.base)
        self.ports: dict[str, int] = {}
        self.bouncer_ports: dict[str, int] = {}
        self._bouncers: dict[str, subprocess.Popen] = {}
        self._load_state()

    # --- state (so the CLI's down/status find what up started) -------------------------
    @property
    def _state_file(self) -> Path:
        return self.base / "cluster.json"

    def _load_state(self) -> None:
        if self._state_file.exists():
            state = json.loads(self._state_file.read_text())
            self.ports = state.get("ports", {})
            self.bouncer_ports = state.get("bouncer_ports", {})

    def _save_state(self) -> None:
        state = {"ports": self.ports, "bouncer_ports": self.bouncer_ports}
        self._state_file.write_text(json.dumps(state))

    # --- helpers ---------------------------------------------------------------------
    def data_dir(self, node: str) -> Path:
        return self.base / node

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            _as_server_user(argv), capture_output=True, text=True, cwd=self.base, check=False
        )
        if proc.returncode != 0:
            raise ClusterError(f"{' '.join(argv[:2])} failed: {proc.stderr.strip()[-800:]}")
        return proc

    def url(self, node: str, dbname: str = DEFAULT_DB) -> str:
        """The libpq URL of ``node``: "primary", "standby", or the PgBouncer in front of
        one of them, "pgbouncer" (the primary's) or "pgbouncer_standby"."""
        if node.startswith("pgbouncer"):
            if node not in self.bouncer_ports:
                raise ClusterError(f"{node} is not started")
            return f"postgres://postgres@127.0.0.1:{self.bouncer_ports[node]}/{dbname}"
        return f"postgres://postgres@127.0.0.1:{self.ports[node]}/{dbname}"

    def _write_conf(self, node: str) -> None:
        conf = self.data_dir(node) / "postgresql.auto.conf"
        lines = [
            f"port = {self.ports[node]}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.base}'",
            "fsync = off",  # throwaway data: speed over durability
            "full_page_writes = off",
            "max_connections = 60",
            "shared_buffers = 32MB",
            "wal_level = replica",
            "max_wal_senders = 5",
            "hot_standby = on",
            "hot_standby_feedback = on",
            "wal_receiver_status_interval = 1s",
        ]
        existing = conf.read_text() if conf.exists() else ""
        kept = [ln for ln in existing.splitlines() if ln.startswith("primary_conninfo")]
        tmp = self.base / f".{node}.conf"
        tmp.write_text("\n".join(lines + kept) + "\n")
        self._run(["cp", str(tmp), str(conf)])
        tmp.unlink()

    def _pg_ctl(self, node: str, action: str) -> None:
        argv = [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir(node)), "-w", "-t", "60"]
        if action == "start":
            argv += ["-l", str(self.base / f"{node}.log"), "start"]
        else:
            argv += ["-m", "fast", action]
        self._run(argv)

    def is_running(self, node: str) -> bool:
        if not (self.data_dir(node) / "postmaster.pid").exists():
            return False
        argv = [str(PG_BIN / "pg_ctl"), "-D", str(self.data_dir(node)), "status"]
        return subprocess.run(_as_server_user(argv), capture_output=True).returncode == 0

    def _sql(self, node: str, sql: str, dbname: str = DEFAULT_DB) -> str:
        argv = [str(PG_BIN / "psql"), "-X", "-At", "-h", "127.0.0.1", "-p"]
        argv += [str(self.ports[node]), "-U", "postgres", "-d", dbname, "-c", sql]
        return self._run(argv).stdout.strip()

    # --- the public API --------------------------------------------------------------
    def start_primary(self) -> str:
        """initdb (first time) and start the primary; returns its URL."""
        data = self.data_dir("primary")
        if not data.exists():
            self.ports["primary"] = free_port()
            self._run(
                [
                    *(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"),
                    *("--no-sync", "-E", "UTF8", "--locale", "C"),
                ]
            )
            hba = "local all all trust\nhost all all 127.0.0.1/32 trust\n"
            hba += "host replication all 127.0.0.1/32 trust\n"
            tmp = self.base / ".hba"
            tmp.write_text(hba)
            self._run(["cp", str(tmp), str(data / "pg_hba.conf")])
            tmp.unlink()
            self._write_conf("primary")
            self._save_state()
        self.start("primary")
        return self.url("primary")

    def start_standby(self, timeout: float = 60) -> str:
        """pg_basebackup -R from the primary (first time), start, wait until streaming."""
        data = self.data_dir("standby")
        if not data.exists():
            self.ports["standby"] = free_port()
            self._run(
                [
                    *(str(PG_BIN / "pg_basebackup"), "-D", str(data), "-R", "-X", "stream"),
                    *("-h", "127.0.0.1", "-p", str(self.ports["primary"]), "-U", "postgres"),
                    *("-c", "fast", "--no-sync"),
                ]
            )
            self._write_conf("standby")
            self._save_state()
        self.start("standby")
        self.wait_streaming(timeout)
        return self.url("standby")

    def start(self, node: str) -> None:
        """Start a stopped node (already initialised)."""
        if node.startswith("pgbouncer"):
            self.start_pgbouncer(node.removeprefix("pgbouncer").lstrip("_") or "primary")
            return
        if not self.is_running(node):
            self._pg_ctl(node, "start")

    def stop(self, node: str) -> None:
        """Stop a node quickly (fast shutdown); a no-op when it is not running."""
        if node.startswith("pgbouncer"):
            self.stop_pgbouncer(node.removeprefix("pgbouncer").lstrip("_") or "primary")
            return
        if self.data_dir(node).exists() and self.is_running(node):
            self._pg_ctl(node, "stop")

    def wait_streaming(self, timeout: float = 60) -> None:
        """Block until the primary reports the standby's WAL receiver as streaming."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                state = self._sql("primary", "SELECT state FROM pg_stat_replication")
            except ClusterError:
                state = ""
            if "streaming" in state.split():
                return
            time.sleep(0.2)
        raise ClusterError(f"the standby was not streaming within {timeout:.0f} s")

    def replay_lag_bytes(self) -> int:
        """Bytes of WAL the standby has still to replay (measured on the primary)."""
        out = self._sql(
            "primary",
            "SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), -1)::bigint "
            "FROM pg_stat_replication",
        )
        return int(out.splitlines()[0]) if out else -1

    def pause_replay(self) -> None:
        """Stop the standby replaying WAL (it keeps receiving it): it falls behind."""
        self._sql("standby", "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self._sql("standby", "SELECT pg_wal_replay_resume()")

    def transactions(self, node: str, dbname: str) -> int:
        """Transactions committed in ``dbname`` on ``node`` so far (pg_stat_database): the
        difference over a run says how much of it that node served."""
        out = self._sql(
            node, f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{dbname}'"
        )
        return int(out.splitlines()[0]) if out else 0

    def createdb(self, name: str, template: str | None = None) -> str:
        """Create a database on the primary (the standby gets it by replication), empty or
        a copy of ``template``."""
        copy = f' TEMPLATE "{template}"' if template else ""
        self._sql("primary", f'CREATE DATABASE "{name}"{copy}')
        return self.url("primary", name)

    # --- PgBouncer (transaction pooling) ----------------------------------------------
    @staticmethod
    def _bouncer_name(node: str) -> str:
        return "pgbouncer" if node == "primary" else f"pgbouncer_{node}"

    def start_pgbouncer(
        self, node: str = "primary", pool_size: int = 10, query_wait_timeout: int | None = None
    ) -> str:
        """Start a PgBouncer in transaction pooling mode in front of ``node``; returns its URL
        (``url("pgbouncer")`` for the primary's, ``url("pgbouncer_standby")``).

        ``query_wait_timeout``: how long a client waits for a server connection (PgBouncer's
        default is 120 s). In front of a standby it is 2 s, so a stopped standby fails a query
        quickly and the app falls back to the primary instead of hanging.
        """
        if query_wait_timeout is None:
            query_wait_timeout = 120 if node == "primary" else 2
        exe = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not Path(exe).exists():
            raise ClusterError("pgbouncer is not installed (apt-get install pgbouncer)")
        name = self._bouncer_name(node)
        running = self._bouncers.get(name)
        if running and running.poll() is None:
            return self.url(name)
        port = self.bouncer_ports.get(name) or free_port()
        self.bouncer_ports[name] = port
        ini = self.base / f"{name}.ini"
        users = self.base / "userlist.txt"
        users.write_text('"postgres" ""\n')
        ini.write_text(
            "[databases]\n"
            # Every database name of the node, under the same name.
            f"* = host=127.0.0.1 port={self.ports[node]}\n\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\n"
            f"unix_socket_dir = {self.base}\n"
            f"auth_type = trust\nauth_file = {users}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 200\n"
            # Django sets these at connect time; PgBouncer would otherwise refuse the client.
            "ignore_startup_parameters = extra_float_digits,options\n"
            # A stopped server is retried soon, not after the default 15 s.
            "server_login_retry = 1\n"
            f"query_wait_timeout = {query_wait_timeout}\n"
            f"logfile = {self.base / (name + '.log')}\n"
            f"pidfile = {self.base / (name + '.pid')}\n"
        )
        for path in (ini, users):
            _chown_to_server_user(path)
        self._bouncers[name] = subprocess.Popen(
            _as_server_user([exe, str(ini)]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._save_state()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return self.url(name)
            except OSError:
                time.sleep(0.1)
        raise ClusterError(f"{name} did not start listening within 15 s")

    def stop_pgbouncer(self, node: str | None = None) -> None:
        """Stop the PgBouncer in front of ``node`` (every one when None)."""
        names = [self._bouncer_name(node)] if node else list(self.bouncer_ports)
        for name in names:
            running = self._bouncers.pop(name, None)
            if running and running.poll() is None:
                running.terminate()
                running.wait(10)
            elif running is None:  # started by another process (the CLI's up)
                pidfile = self.base / f"{name}.pid"
                if pidfile.exists():
                    with contextlib.suppress(OSError, ValueError):
                        os.kill(int(pidfile.read_text().strip()), 15)

    # --- lifetime --------------------------------------------------------------------
    def teardown(self) -> None:
        """Stop everything; remove the base directory when this object created it."""
        self.stop_pgbouncer()
        for node in reversed(NODES):
            with contextlib.suppress(ClusterError):
                self.stop(node)
        if self._own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.teardown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m engagements.scale.pgcluster",
        description="A throwaway PostgreSQL primary + hot standby on loopback.",
    )
    parser.add_argument("action", choices=("up", "down", "status"))
    parser.add_argument("--base", default=os.path.join(tempfile.gettempdir(), "defrel-pgcluster"))
    parser.add_argument(
        "--pgbouncer", action="store_true", help="also start a PgBouncer in front of each"
    )
    args = parser.parse_args(argv)
    if reason := binaries_available():
        print(f"cannot start a cluster here: {reason}", file=sys.stderr)
        return 2
    cluster = Cluster(args.base)
    if args.action == "up":
        cluster.start_primary()
        cluster.start_standby()
        if args.pgbouncer:
            cluster.start_pgbouncer("primary")
            cluster.start_pgbouncer("standby")
    elif args.action == "down":
        cluster.teardown()
        shutil.rmtree(cluster.base, ignore_errors=True)
        print(f"stopped and removed {cluster.base}")
        return 0
    for node in NODES:
        if node in cluster.ports:
            state = "running" if cluster.is_running(node) else "stopped"
            print(f"{node}: {cluster.url(node)} ({state})")
    for name in cluster.bouncer_ports:
        print(f"{name}: {cluster.url(name)}")
    if args.action == "up":
        print(f"DATABASE_URL={cluster.url('primary')}")
        print(f"DATABASE_REPLICA_URL={cluster.url('standby')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
