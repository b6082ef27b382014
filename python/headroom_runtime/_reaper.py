"""Kills the joblib backend's workers when the Python process that started them dies, however it dies.

SIGTERM and SIGKILL end the user's process without its atexit handlers, and a loky worker busy with a
task runs on until the task ends (minutes); so the backend starts this small watcher once per process
(`python -I -S _reaper.py`, standard library only, its own session so Ctrl+C in the terminal does not
reach it) and tells it on stdin which workers exist: "+PID" when one starts, "-PID" when the backend
itself ends it, "exit" at a clean shutdown. When stdin closes without "exit" (the parent is gone: the
kernel closes its end of the pipe at once, even for SIGKILL), or the parent is no longer its parent,
it SIGKILLs each worker it was told of, with the worker's own children, and exits.

A worker is identified by its pid and its start time (/proc/PID/stat), so a pid reused by another
process after the worker ended is never killed.
"""
import os
import select
import signal
import sys

POLL_S = 0.2


def start_time(pid):
    """The process's start time in clock ticks since boot (Linux), "" elsewhere; None when gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[-1].split()[19]
    except FileNotFoundError:
        return None
    except OSError:
        return ""


def children(pid):
    out = []
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return out
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return out


def descendants(pid):
    """Every process below `pid` (children first found first), read from /proc."""
    seen, stack = [], children(pid)
    while stack:
        child = stack.pop()
        if child not in seen:
            seen.append(child)
            stack.extend(children(child))
    return seen


def kill_tree(pid, started):
    if start_time(pid) != started:
        return
    # Stop the worker first so it starts nothing new, then its descendants, then the worker.
    try:
        os.kill(pid, signal.SIGSTOP)
    except OSError:
        return
    for child in descendants(pid) + [pid]:
        try:
            os.kill(child, signal.SIGKILL)
        except OSError:
            pass


def main():
    parent = os.getppid()
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    workers = {}
    buffer = b""
    fd = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([fd], [], [], POLL_S)
        if os.getppid() != parent:
            break
        if not ready:
            continue
        data = os.read(fd, 4096)
        if not data:
            break
        buffer += data
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            text = line.decode("ascii", "replace").strip()
            if text == "exit":
                return 0
            if text[:1] in "+-" and text[1:].isdigit():
                pid = int(text[1:])
                if text[0] == "+":
                    started = start_time(pid)
                    if started is not None:
                        workers[pid] = started
                else:
                    workers.pop(pid, None)
    for pid, started in workers.items():
        kill_tree(pid, started)
    return 0


# -- the parent's side: one watcher per process, started with the first worker -------------------

_state = {"proc": None, "lock": None}


def _send(line):
    import subprocess
    import threading

    if _state["lock"] is None:
        _state["lock"] = threading.Lock()
    with _state["lock"]:
        proc = _state["proc"]
        if proc is None or proc.poll() is not None:
            if line.startswith("-") or line == "exit":
                return
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-I", "-S", os.path.abspath(__file__)], stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)
            except OSError:
                return  # no watcher: the backend's own shutdown still ends the workers
            _state["proc"] = proc
        try:
            proc.stdin.write((line + "\n").encode("ascii"))
            proc.stdin.flush()
        except (OSError, ValueError):
            pass
        if line == "exit":
            try:
                proc.stdin.close()
                proc.wait(timeout=2)
            except Exception:
                pass
            _state["proc"] = None


def watch(pid):
    """From now on, `pid` dies with this process."""
    _send("+%d" % pid)


def forget(pid):
    """The backend ended `pid` itself."""
    _send("-%d" % pid)


def close():
    """Clean shutdown: the watcher exits without killing anything."""
    _send("exit")


def _after_fork_in_child():
    # A forked child must neither write to its parent's watcher nor keep its pipe open (the watcher
    # learns of the parent's death by that pipe closing).
    proc, _state["proc"], _state["lock"] = _state["proc"], None, None
    if proc is not None:
        try:
            proc.stdin.close()
        except Exception:
            pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


if __name__ == "__main__":
    sys.exit(main())
