"""Pseudonymise stage: respondent keys become keyed hashes (HMAC-SHA256).

The secret key lives outside the warehouse (created on first use, readable by its owner only), so
the warehouse alone re-identifies no one, while the same respondent key gives the same
pseudonym in every wave (panels link). The warehouse stores a fingerprint of the key, so a load
with a different key is refused instead of silently breaking the panel.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from etl.errors import WarehouseError

PSEUDONYM_HEX = 16  # 64 bits: collisions are negligible below tens of millions of respondents


def default_secret_path() -> Path:
    """`$MAILLAGE_SECRET`, else `$XDG_CONFIG_HOME/maillage/pseudonym.key` (~/.config by default)."""
    env = os.environ.get("MAILLAGE_SECRET")
    if env:
        return Path(env)
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "maillage" / "pseudonym.key"


def load_or_create_secret(path: Path) -> bytes:
    """Read the key; create it (32 random bytes, hex, mode 0600) if it does not exist yet."""
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise WarehouseError(
                f"The pseudonymisation key {path} can be read by other users (mode {mode:o}). "
                f"Run `chmod 600 {path}` and retry."
            )
        text = path.read_text(encoding="ascii").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) < 16:
            raise WarehouseError(
                f"The pseudonymisation key {path} is not a key Maillage made (expected 64 hex "
                "characters). Restore it from your backup, or point --secret to the right file."
            )
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


def key_fingerprint(key: bytes) -> str:
    """Identifies the key without revealing it (stored in the warehouse's meta table)."""
    return hmac.new(key, b"maillage-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def pseudonym(key: bytes, respondent_key: str) -> str:
    return hmac.new(key, respondent_key.encode("utf-8"), hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]


def pseudonyms(key: bytes, respondent_keys: list[str]) -> list[str]:
    """Pseudonyms of normalised respondent keys, in order: the same values as `pseudonym`, with
    the HMAC's inner and outer key blocks hashed once (RFC 2104) instead of once per key."""
    block = hashlib.sha256().block_size
    padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))
    out = []
    for k in respondent_keys:
        i = inner.copy()
        i.update(k.encode("utf-8"))
        o = outer.copy()
        o.update(i.digest())
        out.append(o.hexdigest()[:PSEUDONYM_HEX])
    return out
