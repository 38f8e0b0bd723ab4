"""Starting, watching and stopping a service process by its pid file."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class ServiceError(RuntimeError):
    """A service that could not start or stop; the message names the cause and the log file."""


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refuse_taken_ports(service: str, ports: tuple[int, ...], log_file: Path) -> None:
    for port in ports:
        if port_open(port):
            raise ServiceError(
                f"{service}: port {port} is already in use by another process; "
                f"free it or set another port in [stack] (log: {log_file})"
            )


def read_pid(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); treat it as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def start_detached(
    command: list[str],
    log_file: Path,
    pid_file: Path,
    env: dict[str, str] | None = None,
    user: str | None = None,
    cwd: Path | None = None,
) -> int:
    """Start a process in its own session, so it outlives the caller and Ctrl+C in a terminal."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            user=user,
            group=user,
            extra_groups=[] if user else None,
            start_new_session=True,
        )
    pid_file.write_text(f"{process.pid}\n")
    return process.pid


def wait_until(
    ready: Callable[[], bool], pid: int, timeout: float, what: str, log_file: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        if not pid_alive(pid):
            raise ServiceError(f"{what} exited during start-up; see {log_file}")
        time.sleep(0.3)
    raise ServiceError(f"{what} not ready after {timeout:.0f}s; see {log_file}")


def stop_pid(pid_file: Path, timeout: float = 30.0) -> bool:
    """SIGTERM, wait, then SIGKILL. Returns True when a process was running."""
    pid = read_pid(pid_file)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return False
    # Services run in their own session; signalling the group reaches children such as the
    # Elasticsearch server JVM that its launcher forks.
    group = _is_group_leader(pid)
    _signal(pid, signal.SIGTERM, group)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(pid):
        _reap(pid)
        time.sleep(0.2)
    if pid_alive(pid):
        _signal(pid, signal.SIGKILL, group)
        while pid_alive(pid):
            _reap(pid)
            time.sleep(0.1)
    pid_file.unlink(missing_ok=True)
    return True


def _signal(pid: int, signum: int, group: bool) -> None:
    try:
        if group:
            os.killpg(pid, signum)
        else:
            os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _is_group_leader(pid: int) -> bool:
    try:
        return os.getpgid(pid) == pid
    except ProcessLookupError:
        return False


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


@dataclass(frozen=True)
class ServiceStatus:
    name: str
    state: str  # running | stopped | unhealthy
    port: int | None
    version: str
    data_dir: Path
    log_file: Path
    pid: int | None = None
    detail: str = ""
