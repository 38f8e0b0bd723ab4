"""Finds an installed JDK of at least a given major version, wherever the machine keeps it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

JVM_ROOTS = (Path("/usr/lib/jvm"), Path("/usr/java"), Path("/opt/java"), Path("/opt"))


class JdkNotFound(RuntimeError):
    pass


def java_major(java_home: Path) -> int | None:
    release = java_home / "release"
    if not release.is_file():
        return None
    match = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(errors="replace"), re.M)
    return int(match.group(1)) if match else None


def _candidates() -> list[Path]:
    found: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        found.append(Path(os.environ["JAVA_HOME"]))
    java = shutil.which("java")
    if java:
        found.append(Path(java).resolve().parent.parent)
    for root in JVM_ROOTS:
        if root.is_dir():
            found.extend(sorted(p for p in root.iterdir() if p.is_dir()))
    return found


def find_jdk(min_major: int) -> Path:
    """The JDK home with the smallest major version >= min_major (the least surprising one)."""
    usable: list[tuple[int, Path]] = []
    for home in _candidates():
        major = java_major(home)
        if major is not None and major >= min_major and (home / "bin" / "java").exists():
            usable.append((major, home))
    if not usable:
        raise JdkNotFound(
            f"no JDK >= {min_major} found in $JAVA_HOME, PATH or {', '.join(map(str, JVM_ROOTS))}"
        )
    return min(usable)[1]
