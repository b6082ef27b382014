"""A joblib search recorded as a Headroom run: `.headroom/runs/<run-id>/` with spec.json, run.json,
trials.jsonl and timeline.jsonl in the format the Runs view and the run panel read
(src/core/tuning/runStore.ts, runTimeline.ts). Each record is one write of one line; run.json is
replaced atomically. A failed write (disk full, read-only) stops the recording, never the search.
"""
import json
import os
import random
import re
import socket
import sys
import time


def find_workspace(start_dirs):
    """HEADROOM_WORKSPACE, else the nearest folder above one of start_dirs holding .headroom or .vscode."""
    env = os.environ.get("HEADROOM_WORKSPACE")
    if env:
        return os.path.abspath(env)
    for start in start_dirs:
        directory = os.path.abspath(start)
        while True:
            if os.path.isdir(os.path.join(directory, ".headroom")) or os.path.isdir(os.path.join(directory, ".vscode")):
                return directory
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    return None


def script_path():
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None) or (sys.argv[0] if sys.argv and sys.argv[0] not in ("", "-c") else None)
    return os.path.abspath(path) if path else None


def _run_id(name, now):
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
    slug = re.sub(r"^-|-$", "", re.sub(r"[^A-Za-z0-9_-]+", "-", name))[:40] or "run"
    return "%s-%s-%s" % (stamp, slug, "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(4)))


class RunLog:
    def __init__(self, workspace, name, script, search, metric, slots, threads, budget):
        self.failed = False
        now = time.time()
        self.run_id = _run_id(name, now)
        root = os.path.join(workspace, ".headroom")
        self.dir = os.path.join(root, "runs", self.run_id)
        os.makedirs(self.dir, exist_ok=True)
        gitignore = os.path.join(root, ".gitignore")
        if not os.path.exists(gitignore):
            with open(gitignore, "w") as f:
                f.write("# Headroom run data (logs, results): local only\n*\n")
        self.meta = {
            "runId": self.run_id,
            "name": name,
            "specPath": script or "",
            "status": "running",
            "startedAt": int(now * 1000),
            "endedAt": None,
            "total": 0,
            "owner": {"pid": os.getpid(), "host": socket.gethostname()},
            "source": "joblib",
        }
        spec = {
            "name": name,
            "specPath": script or "",
            "cwd": os.getcwd(),
            "kind": "script",
            "entryFile": script or "",
            "objective": None,
            "python": sys.executable,
            "pythonSource": "default",
            "args": sys.argv[1:],
            "env": {},
            "params": {},
            "search": search,
            "trials": None,
            "seed": 0,
            "factor": 3,
            "metric": metric,
            "mode": "max",
            "data": None,
            "sample": 1,
            "prune": "none",
            "cache": False,
            "resources": {
                "workers": "auto",
                "threadsPerTrial": threads,
                "memoryPerTrial": None,
                "memoryBudget": budget,
                "timeoutMs": None,
            },
            "source": "joblib",
            "slots": slots,
        }
        self._write_json("spec.json", spec)
        self._trials = os.path.join(self.dir, "trials.jsonl")
        self._timeline = os.path.join(self.dir, "timeline.jsonl")
        for path in (self._trials, self._timeline):
            open(path, "a").close()
        self.write_meta()

    def _write_json(self, name, value):
        path = os.path.join(self.dir, name)
        tmp = "%s.%d.tmp" % (path, os.getpid())
        with open(tmp, "w") as f:
            f.write(json.dumps(value, indent=2) + "\n")
        os.replace(tmp, path)

    def _append(self, path, value):
        if self.failed:
            return
        try:
            data = (json.dumps(value, allow_nan=False, default=str) + "\n").encode("utf-8")
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except (OSError, ValueError):
            self.failed = True

    def write_meta(self, **patch):
        self.meta.update(patch)
        if self.failed:
            return
        try:
            self._write_json("run.json", self.meta)
        except OSError:
            self.failed = True

    def trial(self, record):
        record["runId"] = self.run_id
        self._append(self._trials, record)

    def decision(self, decision):
        self._append(self._timeline, {"decision": decision})

    def usage(self, at_ms, rss_bytes, cpu_percent, running):
        self._append(self._timeline, {"usage": {"at": at_ms, "rssBytes": int(rss_bytes), "cpuPercent": cpu_percent, "running": running}})


def trial_record(trial_id, attempt, params, rung, status, final, metrics, value, error, started_s, ended_s, cpu_s, peak_rss, peak_pss, signal=None):
    return {
        "runId": "",
        "trialId": trial_id,
        "attempt": attempt,
        "params": params,
        "rung": rung,
        "fraction": 1,
        "status": status,
        "final": final,
        "metrics": metrics,
        "value": value if status == "done" else None,
        "intermediate": [],
        "exitCode": None,
        "signal": signal,
        "error": error,
        "startedAt": int(started_s * 1000),
        "endedAt": int(ended_s * 1000),
        "wallMs": int(round((ended_s - started_s) * 1000)),
        # None where nothing measured the task (no stats came back): "not measured", never 0.
        "cpuMs": int(round(cpu_s * 1000)) if cpu_s is not None else None,
        "peakRssBytes": int(peak_rss) if peak_rss is not None else None,
        "peakPssBytes": int(peak_pss) if peak_pss is not None else None,
        "logFile": "",
        "logDroppedBytes": 0,
        "cacheKey": "",
    }
