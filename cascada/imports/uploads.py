"""Files uploaded for an import, kept between the preview and the confirmation.

A file is stored under ``settings.DATA_DIR / "uploads"`` with a random name (never the user's:
no path tricks, no clashes, nothing guessable) and the SHA-256 of its bytes; the web flow keeps
both in the session and, on confirmation, applies the file only if it is still there with the
same digest. Files left behind by an abandoned preview are removed after a day, whenever
another file is stored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SUFFIXES = (".xlsx", ".zip")
STALE_AFTER_SECONDS = 24 * 60 * 60
_NAME = re.compile(r"[0-9a-f]{32}\.(?:xlsx|zip)")


class UploadMissing(Exception):
    """The stored file is gone (already imported, cancelled or cleaned up)."""


class UploadChanged(Exception):
    """The stored file's bytes are not the ones that were previewed."""


@dataclass(frozen=True)
class StoredUpload:
    name: str  # the random file name inside ``uploads_dir()``
    sha256: str
    size: int


def uploads_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads"


def store(chunks: Iterable[bytes], *, suffix: str) -> StoredUpload:
    """Write ``chunks`` to a new file with a random name ending in ``suffix``."""
    if suffix not in SUFFIXES:
        raise ValueError(f"Extensión no admitida: {suffix}")
    folder = uploads_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_stale()
    name = secrets.token_hex(16) + suffix
    digest = hashlib.sha256()
    size = 0
    path = folder / name
    try:
        with path.open("xb") as handle:  # never overwrite
            os.chmod(path, 0o600)
            for chunk in chunks:
                digest.update(chunk)
                handle.write(chunk)
                size += len(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredUpload(name=name, sha256=digest.hexdigest(), size=size)


def path_of(name: str) -> Path:
    """The stored file called ``name``; a name that is not one of ours is missing."""
    if not _NAME.fullmatch(name):
        raise UploadMissing(name)
    return uploads_dir() / name


def verified(name: str, sha256: str) -> Path:
    """The stored file, if it is still there with the digest it had when it was stored."""
    path = path_of(name)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        raise UploadMissing(name) from None
    if not secrets.compare_digest(digest.hexdigest(), sha256):
        raise UploadChanged(name)
    return path


def discard(name: str) -> None:
    """Delete the stored file (nothing happens if it is already gone)."""
    with contextlib.suppress(UploadMissing):
        path_of(name).unlink(missing_ok=True)


def remove_stale(*, now: float | None = None) -> None:
    """Delete stored files older than a day (previews nobody confirmed or cancelled)."""
    limit = (time.time() if now is None else now) - STALE_AFTER_SECONDS
    folder = uploads_dir()
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        try:
            if _NAME.fullmatch(path.name) and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:  # removed meanwhile by another request
            continue
