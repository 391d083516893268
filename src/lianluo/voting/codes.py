"""The codes of a vote: receipts (published, typed back by the voter) and one-time ballot
credentials (printed on a slip, kept only as a hash)."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud, typed back


def receipt_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def credential_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def credential_hash(code: str) -> str:
    """What the register keeps of a one-time code (typed with or without dashes and spaces)."""
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(cleaned.encode()).hexdigest()
