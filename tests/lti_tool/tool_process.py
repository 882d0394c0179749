"""The tool in a process of its own (`ambassadeurs serve …`), as an administrator runs it:
started on a free loopback port, waited for until it answers, stopped afterwards. Used by
the tests that need a real server process and by the benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class ToolProcess:
    base: str
    """http://127.0.0.1:<port>, also the tool's configured base_url."""
    process: subprocess.Popen[bytes]
    log: Path
    """The process's standard output and error (its JSON request log)."""


@contextlib.contextmanager
def running_tool(
    folder: Path,
    serve_args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    *,
    prefix: Sequence[str] = (),
    log: Path | None = None,
    timeout: float = 40,
) -> Iterator[ToolProcess]:
    """`ambassadeurs serve <serve_args>` run in `folder` (its instance in folder/instance),
    once /healthz answers; `env` adds AMBASSADEURS_* settings, `prefix` goes before the
    command (taskset…), the output goes to `log` (default folder/server.log)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = log or folder / "server.log"
    environment = {
        **os.environ,
        "AMBASSADEURS_INSTANCE_PATH": str(folder / "instance"),
        "AMBASSADEURS_BASE_URL": base,
        "AMBASSADEURS_PORT": str(port),
        **(env or {}),
    }
    command = [*prefix, sys.executable, "-m", "ambassadeurs_cli", "serve", *serve_args]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command, cwd=folder, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(base, process, log, timeout)
        yield ToolProcess(base, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        # Refused while the port is not open yet; slow while workers start on a busy machine.
        with contextlib.suppress(requests.ConnectionError, requests.Timeout):
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            output = log.read_text(errors="replace")[-3000:] if log.is_file() else ""
            raise RuntimeError(f"the tool did not start at {base}:\n{output}")
        time.sleep(0.2)


def run_cli(
    *args: str, cwd: Path, env: Mapping[str, str], timeout: int = 60
) -> subprocess.CompletedProcess[str]:
    """`ambassadeurs ARGS…` in a process of its own, as an administrator types it."""
    return subprocess.run(
        [sys.executable, "-m", "ambassadeurs_cli", *args],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
