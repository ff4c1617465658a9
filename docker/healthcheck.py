"""Container healthcheck: exit 0 when ``GET URL`` answers 200 (and, for the model service, status "ok").

The slim Python base image has no curl or wget, so the image's HEALTHCHECK runs this with the
standard library only. Usage: ``python docker/healthcheck.py http://127.0.0.1:8000/health``.
Exit codes follow Docker's contract: 0 healthy, 1 unhealthy (the reason is printed to stderr, which
``docker inspect`` keeps in the health log).
"""

import json
import sys
import urllib.error
import urllib.request

TIMEOUT_S = 3.0  # below the HEALTHCHECK --timeout, so we report the reason before Docker kills us


def check(url: str) -> str | None:
    """``None`` when healthy, else why not."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310 (a loopback URL)
            body = response.read()
    except urllib.error.HTTPError as err:
        return f"{url} answered HTTP {err.code}"
    except (urllib.error.URLError, OSError) as err:
        return f"{url} unreachable: {getattr(err, 'reason', err)}"
    try:
        status = json.loads(body).get("status", "ok")
    except (ValueError, AttributeError):
        return None  # 200 with a non-JSON body (MLflow's /health says "OK"): healthy
    return None if status == "ok" else f"{url} says status={status!r}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: healthcheck.py URL", file=sys.stderr)
        return 1  # Docker reserves exit code 2
    problem = check(argv[0])
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
