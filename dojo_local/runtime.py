"""Prepares the local world: embedded database, migrations, hooks, settings pointing at them."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dojo_local import migrate, pg
from dojo_local.paths import data_dir


@dataclass(frozen=True)
class LocalEnv:
    """What a local process needs to know about its world."""

    base: Path
    database_url: str
    base_url: str
    hook_secret: str

    @property
    def issuer(self) -> str:
        """The `iss` of local access tokens."""
        return f"{self.base_url}/auth/v1"


def _hook_secret(base: Path) -> str:
    path = base / "hook_secret"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def apply_settings(env: LocalEnv) -> None:
    """Point the functions' settings (DOJO_* variables) at the local world."""
    from dojo import db
    from dojo.auth import clear_jwks_cache
    from dojo.settings import get_settings
    from dojo_local import offline

    offline.install()
    os.environ.update(
        {
            "DOJO_DATABASE_URL": env.database_url,
            "DOJO_JWT_ISSUER": env.issuer,
            "DOJO_JWKS_URL": f"{env.issuer}/.well-known/jwks.json",
            "DOJO_HOOK_SECRET": env.hook_secret,
            "DOJO_PUBLIC_URL": env.base_url,
            "DOJO_DATA_DIR": str(env.base),
        }
    )
    os.environ.setdefault("DOJO_ENVIRONMENT", "local")
    get_settings.cache_clear()
    clear_jwks_cache()
    db.close_pool()


def prepare(base_url: str = "http://127.0.0.1:8000", base: Path | None = None) -> LocalEnv:
    """Start the embedded database, migrate it, point the hooks at `base_url`, apply settings."""
    base = base or data_dir()
    url = pg.start(base)
    migrate.migrate(url)
    secret = _hook_secret(base)
    migrate.configure_hooks(url, base_url, secret)
    env = LocalEnv(base=base, database_url=url, base_url=base_url, hook_secret=secret)
    apply_settings(env)
    return env
