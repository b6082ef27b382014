"""Script mode bootstrap: `python -m headroom_runtime.run_script SCRIPT [ARGS...]`.

Runs SCRIPT as `python SCRIPT ARGS...` would (as __main__, its directory first on sys.path),
with the engine pipe connected, and tells the engine its CPU time and peak memory at exit.
"""
import atexit
import os
import runpy
import sys

from . import _channel, _usage


def _goodbye():
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    _channel.send({"type": "exit", "cpuSeconds": _usage.cpu_seconds(), "maxRssBytes": _usage.max_rss_bytes()})


def _die_with_parent():
    """On a Ray node: Ray SIGKILLs a worker's direct children (the supervisor) with it; the trial follows."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: python -m headroom_runtime.run_script SCRIPT [ARGS...]\n")
        return 2
    if os.environ.pop("HEADROOM_DIE_WITH_PARENT", None) == "1":
        _die_with_parent()
    script = os.path.abspath(sys.argv[1])
    sys.argv = sys.argv[1:]
    sys.path[0] = os.path.dirname(script)
    _channel.start_reader()
    atexit.register(_goodbye)
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
