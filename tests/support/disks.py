"""Real small and read-only disks for fault tests: a tmpfs mounted under the test's folder.

Mounting needs root (CAP_SYS_ADMIN), as on this project's machines and CI; elsewhere the
tests that need it are skipped, saying so.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*args: str) -> bool:
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


@contextmanager
def small_disk(where: Path, size: str = "256k") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (created), unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    if not _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)):
        pytest.skip("cannot mount a tmpfs here (needs root): the real-disk fault is not tested")
    try:
        yield where
    finally:
        _run("umount", "-l", str(where))


def remount(where: Path, mode: str) -> None:
    """``mode`` "ro" or "rw"."""
    assert _run("mount", "-o", f"remount,{mode}", str(where)), f"remount {mode} failed"
