"""Objective mode on a Ray node: one long-lived actor per slot imports the user's module once, then
runs objective(params) per trial, measured in its own process (wall and CPU time, peak RSS sampled
every 20 ms). A trial that grows the actor past the memory its node offers Ray ends the actor
(os._exit) after leaving the reason in Ray's KV store, where the driver reads it: killed for memory.
The result travels back as the JSON line a script would print, so the engine reads both modes alike.
"""
import importlib
import json
import os
import sys
import threading
import time
import traceback

from ._ray_trial import _rss_and_cpu

MEMORY_KEY = "headroom-memory-kill:%s:%s"


class _Watch:
    def __init__(self, limit, node_name, key):
        self.limit, self.node_name, self.key = limit, node_name, key
        self.peak = 0
        self.active = False
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self):
        pid = os.getpid()
        while True:
            time.sleep(0.02)
            if not self.active:
                continue
            reading = _rss_and_cpu(pid)
            rss = reading[0] if reading else 0
            self.peak = max(self.peak, rss)
            if self.limit and rss > self.limit:
                from ray.experimental import internal_kv

                note = "killed: used %.2f GiB, more than the %.2f GiB node %s offers Ray" % (rss / 2**30, self.limit / 2**30, self.node_name)
                internal_kv._internal_kv_put(self.key, json.dumps({"note": note, "peak": self.peak}))
                os._exit(137)


class Objective:
    """The actor's body (ray.remote is applied in _ray_tasks.py)."""

    def __init__(self, module, func, node_id, node_name, node_memory):
        sys.path.insert(0, os.getcwd())
        self.node_id, self.node_name, self.node_memory = node_id, node_name, node_memory
        self.fn = getattr(importlib.import_module(module), func)

    def run(self, t):
        from . import TrialPruned, _begin_trial, _channel, _state

        yield {"type": "started", "node": self.node_name, "nodeId": self.node_id, "pid": os.getpid(), "startedAt": time.time() * 1000}
        watch = getattr(self, "watch", None) or _Watch(self.node_memory, self.node_name, "")
        self.watch = watch
        watch.key = MEMORY_KEY % (t["runId"], t["trialId"])
        watch.peak = _rss_and_cpu(os.getpid())[0]
        started, cpu0 = time.time(), os.times()
        _begin_trial(dict(t, prune=False))
        watch.active = True
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
            watch.active = False
        cpu1 = os.times()
        yield {
            "type": "result",
            "node": self.node_name,
            "exitCode": code,
            "signal": None,
            "startedAt": started * 1000,
            "endedAt": time.time() * 1000,
            "cpuMs": (cpu1.user + cpu1.system - cpu0.user - cpu0.system) * 1000,
            "peakRssBytes": watch.peak,
            "killNote": None,
            "stdout": stdout,
            "stderr": stderr,
            "logDroppedBytes": 0,
        }
