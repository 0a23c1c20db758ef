"""Where releases live (``settings.DEFREL_RELEASES_DIR``) and how they are frozen.

A release is written into a hidden temporary directory beside the others and renamed into
place whole (one ``rename`` on one file system), so a failed build leaves nothing under its
version and a reader never sees half a release. ``SHA256SUMS`` lists every file in the form
``sha256sum -c`` checks.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from pathlib import Path

from django.conf import settings

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,39}")
CHECKSUMS = "SHA256SUMS"


class ReleaseError(Exception):
    """A release that cannot be made (a clear reason, nothing written)."""


def releases_dir() -> Path:
    return Path(settings.DEFREL_RELEASES_DIR)


def check_version(version: str) -> str:
    if not VERSION.fullmatch(version or ""):
        raise ReleaseError(
            f"{version!r} is not a release version: use letters, digits, '.', '-', '_' or "
            "'+' (up to 40, starting with a letter or digit), such as 1.0.0."
        )
    return version


def release_path(version: str) -> Path:
    return releases_dir() / check_version(version)


def temporary_dir(version: str) -> Path:
    root = releases_dir()
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{version}.", suffix=".partial", dir=root))


def discard(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def manifest(folder: Path) -> dict[str, dict]:
    """Every file under ``folder`` (relative path → sha256 and size), sorted."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS)
    return {
        p.relative_to(folder).as_posix(): {"sha256": sha256(p), "bytes": p.stat().st_size}
        for p in files
    }


def write_checksums(folder: Path, files: dict[str, dict]) -> None:
    lines = "".join(f"{entry['sha256']}  {name}\n" for name, entry in files.items())
    (folder / CHECKSUMS).write_text(lines, encoding="utf-8")


def freeze(temporary: Path, version: str) -> Path:
    """Move the finished ``temporary`` directory to its version's place."""
    final = release_path(version)
    if final.exists():
        raise ReleaseError(f"Release {version} already exists at {final}; releases never change.")
    temporary.chmod(0o755)
    temporary.rename(final)
    return final


def file_of(version: str, name: str, files: dict) -> Path | None:
    """The file ``name`` of a release, if its manifest lists it (nothing else is served)."""
    if name not in files and name != CHECKSUMS:
        return None
    path = release_path(version) / name
    return path if path.is_file() else None
