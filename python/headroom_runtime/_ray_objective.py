"""Objective mode on a Ray node: one long-lived actor per slot imports the user's module once, then
runs objective(params) per trial as one plain actor call (one round trip: the result carries the
node and the start time), measured in its own process: wall and CPU time, and the peak RSS the
kernel kept since the trial began (VmHWM, reset per trial: exact, and nothing to sample for a short
trial). A guard thread, idle between trials, samples every 20 ms while one runs: a trial that grows
the actor past the memory its node offers Ray ends the actor (os._exit) after leaving the reason in
Ray's KV store, where the driver reads it: killed for memory. The result travels back as the JSON
line a script would print, so the engine reads both modes alike.
"""
import importlib
import json
import os
import sys
import threading
import time
import traceback

from . import _memory
from ._ray_trial import _rss_and_cpu

MEMORY_KEY = "headroom-memory-kill:%s:%s"
GUARD_SECONDS = 0.02


class _Guard:
    def __init__(self, limit, node_name):
        self.limit, self.node_name = limit, node_name
        self.key = None
        self.peak = 0
        self.running = threading.Event()
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        pid = os.getpid()
        while True:
            self.running.wait()
            time.sleep(GUARD_SECONDS)
            reading = _rss_and_cpu(pid) if self.running.is_set() else None
            if reading:
                self.peak = max(self.peak, reading[0])
            if reading and self.limit and reading[0] > self.limit:
                from ray.experimental import internal_kv

                rss = reading[0]
                note = "killed: used %.2f GiB, more than the %.2f GiB node %s offers Ray" % (rss / 2**30, self.limit / 2**30, self.node_name)
                internal_kv._internal_kv_put(self.key, json.dumps({"note": note, "peak": max(rss, _memory.self_peak_rss())}))
                os._exit(137)


class Objective:
    """The actor's body (ray.remote is applied in _ray_tasks.py)."""

    def __init__(self, module, func, node_id, node_name, node_memory):
        sys.path.insert(0, os.getcwd())
        self.node_id, self.node_name = node_id, node_name
        self.fn = getattr(importlib.import_module(module), func)
        self.guard = _Guard(node_memory, node_name)
        self.data_key = None

    def where(self):
        """Where this actor runs: the driver reports a trial as started there without waiting for its result."""
        return {"nodeId": self.node_id, "node": self.node_name, "pid": os.getpid()}

    def run(self, t):
        from . import TrialPruned, _begin_trial, _channel, _state

        self.guard.key = MEMORY_KEY % (t["runId"], t["trialId"])
        self.guard.peak = 0
        if t.get("data") and t["data"].get("key") != self.data_key:  # once per actor and file version
            from ._ray_data import link

            link(t["data"], os.environ)
            self.data_key = t["data"].get("key")
        exact_peak = _memory.reset_peak()
        start_rss = _rss_and_cpu(os.getpid())[0]
        started, cpu0 = time.time(), os.times()
        _begin_trial(dict(t, prune=False))
        self.guard.running.set()
        stderr, code = "", 0
        try:
            value = self.fn(dict(t["params"]))
            raw = value if isinstance(value, dict) else ({t["metric"]: value} if value is not None else (_state["final"] or {}))
            stdout = json.dumps(_channel.clean_metrics(raw))
        except TrialPruned as pruned:
            stdout, stderr, code = "", str(pruned), 1
        except Exception as error:
            stdout, stderr, code = "", traceback.format_exc() + "%s: %s" % (type(error).__name__, error), 1
        finally:
            self.guard.running.clear()
        cpu1 = os.times()
        ended = time.time()
        end_rss = _rss_and_cpu(os.getpid())[0]
        # Without a resettable high-water mark (not Linux 4.0+), the larger of the readings around the trial.
        peak = _memory.self_peak_rss() if exact_peak else max(start_rss, end_rss, self.guard.peak)
        return {
            "type": "result",
            "node": self.node_name,
            "nodeId": self.node_id,
            "pid": os.getpid(),
            "exitCode": code,
            "signal": None,
            "startedAt": started * 1000,
            "endedAt": ended * 1000,
            "cpuMs": (cpu1.user + cpu1.system - cpu0.user - cpu0.system) * 1000,
            "peakRssBytes": peak,
            "killNote": None,
            "stdout": stdout,
            "stderr": stderr,
            "logDroppedBytes": 0,
        }
