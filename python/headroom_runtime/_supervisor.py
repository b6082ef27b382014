"""Trial supervisor: `python -I -S _supervisor.py PYTHON ARGS...`, started by the engine for every trial process.

It runs the trial as its child and does what the trial's own interpreter cannot promise to do:
- it notices within a fraction of a second that the engine died (kill -9, crash), even while the
  trial's code holds the GIL, and then kills the trial's whole tree;
- it is a child subreaper (Linux), so processes the trial starts in new sessions or process
  groups, and their orphans, stay in the tree instead of moving to init, and are killed when the
  trial ends, however it ends;
- it exits the way the trial did (same exit code, or the same signal), so the engine sees no difference.
Standard library only, no imports of the user's environment (-I -S), so it starts in a few milliseconds.
"""
import os
import signal
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
POLL_SECONDS = 0.2
WATCHED = {signal.SIGCHLD, signal.SIGHUP, signal.SIGTERM, signal.SIGINT}


def _prctl(option, value):
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except Exception:
        pass  # not Linux: polling the parent still finds a dead engine


def _children(pid):
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


def _descendants():
    seen, stack = [], _children(os.getpid())
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.append(pid)
        stack.extend(_children(pid))
    return seen


def _kill_all():
    """SIGKILL every descendant, then reap until none is left (orphans come to us as subreaper)."""
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        pids = _descendants()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            return
        if not pids:
            time.sleep(0.01)


def _exit_like(status):
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig not in (signal.SIGKILL, signal.SIGSTOP):
            signal.signal(sig, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {sig})
        os.kill(os.getpid(), sig)
        time.sleep(1)
        os._exit(128 + sig)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def main():
    engine = int(os.environ.pop("HEADROOM_ENGINE_PID", "0") or 0)
    argv = sys.argv[1:]
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    # The engine thread that started us dying wakes us at once; the poll below then checks the process.
    _prctl(PR_SET_PDEATHSIG, signal.SIGHUP)
    if engine and os.getppid() != engine:
        return 137
    signal.pthread_sigmask(signal.SIG_BLOCK, WATCHED)
    trial = os.fork()
    if trial == 0:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, WATCHED)
        try:
            os.execvp(argv[0], argv)
        except OSError as error:
            os.write(2, ("cannot start %s: %s\n" % (argv[0], error.strerror)).encode())
        os._exit(127)
    # The pipes belong to the trial: the engine sees them close when the trial's tree is gone.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2, 3, 4):
        try:
            os.dup2(null, fd)
        except OSError:
            pass
    while True:
        got = signal.sigtimedwait(WATCHED, POLL_SECONDS)
        if engine and os.getppid() != engine:
            _kill_all()
            return 137
        if got is not None and got.si_signo in (signal.SIGTERM, signal.SIGINT):
            # The engine signals the group; members that left it get the same signal from here.
            for pid in _descendants():
                try:
                    if os.getpgid(pid) != os.getpgrp():
                        os.kill(pid, got.si_signo)
                except OSError:
                    pass
        try:
            while True:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                if pid == trial:
                    _kill_all()
                    _exit_like(status)
        except ChildProcessError:
            return 1


if __name__ == "__main__":
    sys.exit(main())
