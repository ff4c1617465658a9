"""HTTP load generation for the service benchmark: server subprocesses, ``wrk`` and a Python fallback.

``wrk`` (C, event loop, one thread) is preferred: on a 2-core machine the load generator shares the
CPU with the server, and wrk spends far less of it per request than any Python client. When ``wrk``
is not on ``PATH`` an ``httpx`` async client does the same job and the result says so (``tool``); it
is client-bound (on 2 shared cores about 400 req/s where wrk measured 1 900 against the same server),
so its throughput is a floor for the server, not a measure of it.

Both generators run closed-loop: ``connections`` clients each send a request, wait for the answer,
send the next, for ``duration`` seconds, cycling through the given JSON bodies. An error is a socket
error (connect, read, write, timeout) or a response whose status is not 2xx.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

__all__ = ["free_port", "load", "server", "wrk_version"]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(cmd: list[str], ready_url: str, log_path: Path, env: dict[str, str], timeout: float = 180.0):
    """Run ``cmd`` as a subprocess (output to ``log_path``) until ``ready_url`` answers 200; stop it on exit.

    Raises
    ------
    RuntimeError
        The process exited, or did not become ready within ``timeout`` seconds; quotes the log's tail.
    """
    with log_path.open("w", encoding="utf-8") as log:
        # Own process group: `mlflow models serve` starts uvicorn as a child, which must stop too.
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{cmd[0]} exited with {proc.returncode}:\n{_tail(log_path)}")
                try:
                    if httpx.get(ready_url, timeout=2.0).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{ready_url} not ready after {timeout:.0f} s:\n{_tail(log_path)}")
                time.sleep(0.25)
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 9)
                    proc.wait()


def _tail(path: Path, n: int = 30) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])


def wrk_version() -> str | None:
    """``wrk``'s version string, or None when it is not on PATH."""
    exe = shutil.which("wrk")
    if exe is None:
        return None
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", out.stdout + out.stderr)
    return match.group(1) if match else "unknown"


# Lua for wrk: POST the bodies in turn (each thread from its own offset) and, when done, print one
# JSON line with the percentiles (µs), counts and errors, so nothing has to parse wrk's text report.
_LUA = r"""
local bodies = {%(bodies)s}
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
function setup(thread) thread:set("offset", math.random(#bodies)) end
function init(args) i = offset or 0 end
function request()
  i = i + 1
  return wrk.format(nil, nil, nil, bodies[(i %% #bodies) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "mean_us": %%.1f, "errors": {"connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _wrk(url: str, bodies: list[str], connections: int, duration: float, threads: int) -> dict[str, Any]:
    lua_bodies = ",\n".join(f"[==[{b}]==]" for b in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(_LUA % {"bodies": lua_bodies})
    try:
        cmd = ["wrk", "-t", str(min(threads, connections)), "-c", str(connections),
               "-d", f"{duration:g}s", "--timeout", "5s", "-s", fh.name, url]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    finally:
        os.unlink(fh.name)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    raw = json.loads(line.removeprefix("WRKJSON "))
    seconds = raw["duration_us"] / 1e6
    errors = raw["errors"]
    return {
        "tool": f"wrk {wrk_version()}",
        "requests": raw["requests"],
        "duration_s": seconds,
        "req_per_s": raw["requests"] / seconds,
        "latency_ms": {
            k.removesuffix("_us"): raw[k] / 1e3 for k in ("p50_us", "p90_us", "p99_us", "max_us", "mean_us")
        },
        "errors": {**errors, "total": sum(errors.values())},
        # wrk counts an HTTP status >= 400 as an error; a 3xx would pass (neither server sends one).
        "non_2xx": errors["status"],
        "wrk_threads": min(threads, connections),
    }


async def _py(url: str, bodies: list[bytes], connections: int, duration: float) -> dict[str, Any]:
    latencies: list[float] = []
    errors = {"socket": 0, "status": 0}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient(limits=limits, timeout=5.0) as client:
        start = time.perf_counter()
        stop = start + duration

        async def worker(k: int) -> None:
            i = k
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                try:
                    resp = await client.post(url, content=bodies[i % len(bodies)], headers=headers)
                except httpx.TransportError:
                    errors["socket"] += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                errors["status"] += not 200 <= resp.status_code < 300
                i += 1

        await asyncio.gather(*(worker(k) for k in range(connections)))
        seconds = time.perf_counter() - start
    latencies.sort()

    def pct(q: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e3

    return {
        "tool": f"python httpx {httpx.__version__} (asyncio)",
        "requests": len(latencies),
        "duration_s": seconds,
        "req_per_s": len(latencies) / seconds,
        "latency_ms": {"p50": pct(0.50), "p90": pct(0.90), "p99": pct(0.99),
                       "max": latencies[-1] * 1e3 if latencies else float("nan"),
                       "mean": 1e3 * sum(latencies) / len(latencies) if latencies else float("nan")},
        "errors": {**errors, "total": sum(errors.values())},
        "non_2xx": errors["status"],
    }  # fmt: skip


def load(
    url: str, bodies: list[str], connections: int, duration: float, *, threads: int = 1, tool: str = "auto"
) -> dict[str, Any]:
    """Closed-loop load on ``url``: ``connections`` clients POST ``bodies`` in turn for ``duration`` s.

    Parameters
    ----------
    url : str
    bodies : list of str
        JSON request bodies, cycled.
    connections : int
        Concurrent clients (keep-alive connections).
    duration : float
        Seconds of load.
    threads : int, default 1
        wrk threads (at most ``connections``); one leaves the most CPU to the server.
    tool : {"auto", "wrk", "python"}
        ``auto``: wrk when on PATH, else the Python client.

    Returns
    -------
    dict
        ``tool``, ``requests``, ``duration_s``, ``req_per_s``, ``latency_ms`` (p50, p90, p99, max,
        mean), ``errors`` (by kind and ``total``) and ``non_2xx``.
    """
    if tool == "wrk" or (tool == "auto" and shutil.which("wrk")):
        return _wrk(url, bodies, connections, duration, threads)
    return asyncio.run(_py(url, [b.encode() for b in bodies], connections, duration))
