"""Child processes of the OCPP load benchmark (the EMA server, the echo baseline): started, waited
for until they print where they listen, measured through /proc, and always stopped."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Child:
    pid: int
    address: str
    """The last word of the line the process printed when it was ready (its URL)."""
    log: Path


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    rss_mib: float
    peak_rss_mib: float


def usage(pid: int) -> Usage:
    """CPU time (user + system, all threads) and resident memory now and at its peak (VmHWM)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the command name: state is field 3 of stat(5), utime and stime are fields 14 and 15.
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    memory = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            memory[name] = int(value.split()[0]) / 1024
    return Usage(cpu, memory["VmRSS"], memory["VmHWM"])


def log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return "\n".join("    " + line for line in text)


@asynccontextmanager
async def child(args: Sequence[str], *, ready: str, log: Path, start_timeout: float = 120,
                env: dict[str, str] | None = None) -> AsyncIterator[Child]:
    """Runs `python <args>` with its standard error in `log` until the block ends; ready when its
    first output line contains `ready`."""
    with log.open("wb") as log_file:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
            stderr=log_file, env={**os.environ, **(env or {})},
        )  # fmt: skip
        try:
            assert proc.stdout is not None
            try:
                async with asyncio.timeout(start_timeout):
                    line = (await proc.stdout.readline()).decode(errors="replace").strip()
            except TimeoutError:
                raise RuntimeError(f"{args[1]} printed nothing within {start_timeout:g} s; its log {log}:\n"
                                   f"{log_tail(log)}") from None
            if ready not in line:
                raise RuntimeError(f"{args[1]} did not start ({line!r}); its log {log}:\n{log_tail(log)}")
            yield Child(proc.pid, line.rsplit(" ", 1)[1], log)
        finally:
            await stop(proc)


async def stop(proc: asyncio.subprocess.Process) -> None:
    """SIGTERM, and SIGKILL when it is not gone within 30 s (or the wait is interrupted)."""
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        async with asyncio.timeout(30):
            await proc.communicate()
    except TimeoutError:
        proc.kill()
        await proc.wait()
    except BaseException:
        if proc.returncode is None:
            proc.kill()
        raise
