"""Shared fixtures: the real pipeline is loaded once per test session; the CLI runs as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def checker():
    from opencomms.runner import Checker

    return Checker()


def run_cli(*args, input: str | bytes | None = None, cwd=None, env=None, timeout=300):
    """Run ``python -m opencomms`` as a real subprocess; returns the CompletedProcess."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    data = input.encode() if isinstance(input, str) else input
    return subprocess.run(
        [sys.executable, "-m", "opencomms", *map(str, args)],
        input=data,
        capture_output=True,
        cwd=cwd,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def cli():
    return run_cli
