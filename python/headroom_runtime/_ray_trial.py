"""One trial on a Ray node (script mode): the body of the Ray task that ray_driver.py submits.

It runs the trial as locally (the supervisor, then `python -m headroom_runtime.run_script`, BLAS and
OpenMP threads pinned to the task's CPUs), measures its process tree on this node (wall and CPU
time, peak RSS: the supervisor's descendants, as the local pool and the live usage count them) and guards the node: a tree that grows past the memory this node offers Ray, or
leaves the node less than the run's critical free memory, is killed and reported as killed for
memory (Ray's own monitor only acts at 95% of the machine, and then retries with the same request).
A generator: it yields "started" (with the node), "usage" about once a second, then "result".
Standard library only, but for the data file's place on the node (_ray_data).
"""
import json
import os
import signal
import sys
import tempfile
import time

from ._reaper import descendants

THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "LOKY_MAX_CPU_COUNT",
    "NUMBA_NUM_THREADS",
    "POLARS_MAX_THREADS",
    "RAYON_NUM_THREADS",
)
SAMPLE_SECONDS = 0.2
USAGE_EVERY_SECONDS = 1.0
GROWTH_FLOOR_BYTES = 16 * 2**20
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def _rss_and_cpu(pid):
    try:
        with open("/proc/%d/statm" % pid) as f:
            rss = int(f.read().split()[1]) * PAGE
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return rss, (int(fields[11]) + int(fields[12])) * 1000.0 / TICKS
    except (OSError, ValueError, IndexError):
        return None


def _hwm_bytes(pid):
    """The process's own peak RSS since its exec (VmHWM), or 0. Not the supervisor's wait4 ru_maxrss:
    a spawned child's maxrss starts at its parent's RSS at spawn, here the Ray worker's (~120 MiB)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _available_bytes():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _kill_tree(root):
    for _ in range(3):
        for pid in descendants(root) + [root]:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.02)


def _bounded(path, limit):
    """The file's text, its middle dropped beyond `limit` bytes (as the local BoundedLog keeps it)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if size <= limit:
            data, dropped = f.read(), 0
        else:
            head = f.read(limit // 2)
            f.seek(size - (limit - limit // 2))
            data, dropped = head + f.read(), size - limit
    return data.decode("utf-8", errors="replace"), dropped


def _signal_name(status):
    if os.WIFSIGNALED(status):
        try:
            return None, signal.Signals(os.WTERMSIG(status)).name
        except ValueError:
            return None, "SIG%d" % os.WTERMSIG(status)
    return (os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1), None


def _follow(pid, watch, limit, critical, node_name):
    """Samples the trial's tree until it exits; kills it past the node's memory; yields usage about once a second."""
    last_usage, reported, started = 0.0, 0, time.time()
    while True:
        done, status_word, ru = os.wait4(pid, os.WNOHANG)
        if done == pid:
            watch.update(status=status_word, rusage=ru)
            return
        rss = 0
        for child in descendants(pid):
            reading = _rss_and_cpu(child)
            if reading:
                rss += reading[0]
                watch["cpu"][child] = reading[1]
                watch["hwm"] = max(watch["hwm"], _hwm_bytes(child))
        watch["peak"] = max(watch["peak"], rss)
        if watch["killNote"] is None and limit and rss > limit:
            watch["killNote"] = "killed: used %.2f GiB, more than the %.2f GiB node %s offers Ray" % (rss / 2**30, limit / 2**30, node_name)
        available = _available_bytes()
        if watch["killNote"] is None and critical and available is not None and available < critical:
            watch["killNote"] = "killed: node %s had %.0f MiB available, below the run's critical %.0f MiB" % (node_name, available / 2**20, critical / 2**20)
        if watch["killNote"] is not None:
            _kill_tree(pid)
        now = time.time()
        # Also at once when the tree has grown by a quarter since the last report: a trial that Ray's
        # memory monitor kills (with this task's worker) leaves no result, only its last report.
        if rss > 0 and (now - last_usage >= USAGE_EVERY_SECONDS or rss > reported * 1.25 + GROWTH_FLOOR_BYTES):
            last_usage, reported = now, rss
            yield {"type": "usage", "rssBytes": rss, "cpuMs": sum(watch["cpu"].values()), "peakBytes": watch["peak"]}
        # Short trials end within a few ms of their exit; long ones are sampled at the steady rate.
        age = now - started
        time.sleep(0.01 if age < 0.5 else 0.05 if age < 2 else SAMPLE_SECONDS)



def run(t, node_id, node_name, node_memory):
    runtime_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    started = time.time()
    yield {"type": "started", "node": node_name, "nodeId": node_id, "pid": os.getpid(), "startedAt": started * 1000}
    env = dict(os.environ)
    env.update(t["env"])
    from ._ray_data import link

    link(t.get("data"), env)
    for name in THREAD_ENV_VARS:
        env[name] = str(t["threads"])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (runtime_root, env.get("PYTHONPATH")) if p)
    env.update(
        HEADROOM_PARAMS=json.dumps(t["params"]),
        HEADROOM_FRACTION=str(t["fraction"]),
        HEADROOM_SEED=str(t["seed"]),
        HEADROOM_TRIAL_ID=t["trialId"],
        HEADROOM_PRUNE="0",
        PYTHONUNBUFFERED="1",
        HEADROOM_ENGINE_PID=str(os.getpid()),
        # Ray kills a worker's direct children with it (the supervisor): the trial must not outlive them.
        HEADROOM_DIE_WITH_PARENT="1",
    )
    for name in ("HEADROOM_OUT_FD", "HEADROOM_IN_FD"):
        env.pop(name, None)
    supervisor = os.path.join(runtime_root, "headroom_runtime", "_supervisor.py")
    argv = [sys.executable, "-I", "-S", supervisor, sys.executable, "-m", "headroom_runtime.run_script", t["entry"]]
    argv += t["args"] + t["paramArgs"]
    out, err = tempfile.NamedTemporaryFile(delete=False), tempfile.NamedTemporaryFile(delete=False)
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1), (os.POSIX_SPAWN_DUP2, err.fileno(), 2)], setsid=True)
    watch = {"peak": 0, "hwm": 0, "cpu": {}, "killNote": None, "status": None, "rusage": None}
    try:
        for usage in _follow(pid, watch, node_memory, t.get("criticalBytes") or 0, node_name):
            yield usage
    finally:  # cancelled (KeyboardInterrupt in this task) or closed: nothing of the trial outlives it
        if watch["status"] is None:
            _kill_tree(pid)
            os.waitpid(pid, 0)
            for f in (out, err):
                f.close()
                os.unlink(f.name)
    status, rusage, peak, kill_note = watch["status"], watch["rusage"], watch["peak"], watch["killNote"]
    cpu_by_pid = watch["cpu"]
    code, sig = _signal_name(status)
    limit_bytes = t["logLimitBytes"]
    stdout, dropped_out = _bounded(out.name, limit_bytes)
    stderr, dropped_err = _bounded(err.name, limit_bytes // 4)
    for f in (out, err):
        f.close()
        os.unlink(f.name)
    cpu_ms = max(sum(cpu_by_pid.values()), (rusage.ru_utime + rusage.ru_stime) * 1000 if rusage else 0)
    yield {
        "type": "result",
        "node": node_name,
        "exitCode": code,
        "signal": sig,
        "startedAt": started * 1000,
        "endedAt": time.time() * 1000,
        "cpuMs": cpu_ms,
        # The trial's tree as sampled (what the live views show), or one member's own peak between samples.
        "peakRssBytes": max(peak, watch["hwm"]),
        "killNote": kill_note,
        "stdout": stdout,
        "stderr": stderr,
        "logDroppedBytes": dropped_out + dropped_err,
    }
