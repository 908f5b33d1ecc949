"""Start ``python -m bot …`` as a fork of a preloaded interpreter instead of a new one.

Each end-to-end test starts the real bot, often several times (crashes, restarts), on two
Telegram libraries. A new interpreter spends most of its start importing: aiogram alone
builds 444 pydantic types (4-5 s of CPU on the test machine). A multiprocessing forkserver
imports Lotse and both libraries once per test worker; each start then forks it and runs
exactly what ``python -m bot`` runs, ``bot.cli.main(argv)``, in a process of its own, with
its own environment, working folder and output file. Signals, ``kill -9`` and exit codes
behave as with any child process. The import contracts (which library a runtime loads)
are checked in fresh interpreters by tests/test_architecture.py, and the operator tests
still start ``python -m bot`` itself.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys
from collections.abc import Mapping, Sequence
from multiprocessing.process import BaseProcess
from pathlib import Path

PRELOAD = [
    "bot.cli",
    "bot.cli.run",
    "bot.cli.web",
    "bot.channels.telegram.bot",
    "bot.channels.telegram_aiogram",
    "bot.channels.telegram_ptb",
]
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(PRELOAD)


def _main(argv: Sequence[str], env: Mapping[str, str], cwd: str, log: str) -> None:
    """In the forked child: become ``python -m bot ARGV`` writing to ``log``."""
    output = os.open(log, os.O_WRONLY | os.O_APPEND)
    os.dup2(output, 1)
    os.dup2(output, 2)
    os.close(output)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    from bot.cli import main  # preloaded by the forkserver

    code = main(list(argv))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class WarmProcess:
    """The forked bot, with the parts of ``asyncio.subprocess.Process`` the tests use."""

    def __init__(self, process: BaseProcess) -> None:
        self._process = process

    @property
    def pid(self) -> int:
        assert self._process.pid is not None
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        if self._process.exitcode is None:
            os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    async def wait(self) -> int:
        # Polled from the event loop's thread only: two threads reading the exit status
        # from the forkserver at once make one of them see 255.
        while self._process.exitcode is None:  # noqa: ASYNC110 - no event to wait on
            await asyncio.sleep(0.02)
        code = self._process.exitcode
        assert code is not None
        return code


async def start_warm(
    cmd: Sequence[str], *, env: Mapping[str, str], cwd: str | os.PathLike[str] | None, log: Path
) -> WarmProcess:
    """Fork the preloaded interpreter into ``python -m bot cmd[3:]``."""
    if list(cmd[:3]) != [sys.executable, "-m", "bot"]:
        msg = f"only `python -m bot …` starts warm, not {cmd[:3]}"
        raise ValueError(msg)
    process = _context.Process(
        target=_main, args=(list(cmd[3:]), dict(env), str(cwd or os.getcwd()), str(log))
    )
    await asyncio.to_thread(process.start)  # the first start launches the forkserver
    return WarmProcess(process)
