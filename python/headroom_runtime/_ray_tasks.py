"""The driver's side of the run's Ray tasks: submitting, following, cancelling, and telling the engine
how each ended. A task that fails because its node or its Ray worker died is reported as `lost`
(with the node), one Ray's memory monitor killed as `lost` for memory: the engine reruns either.
"""
import json
import os
import queue
import re
import time

import ray

from ._ray_objective import MEMORY_KEY, Objective
from ._ray_trial import THREAD_ENV_VARS

# How long a lost task waits for Ray to mark its node dead before it is put down to its worker alone.
NODE_VERDICT_SECONDS = 20.0
ACTOR_MEMORY_MARGIN = 1.25
# A cancelled task that has not ended by then is cancelled with force=True.
FORCE_AFTER_SECONDS = 3.0


def memory_request(t):
    """Bytes of Ray `memory` the trial asks for; 0 while Headroom has no forecast (no declared size, data
    estimate or measured peak yet): then it asks for none, Ray's default, rather than a meaningless 1 B."""
    return max(0, int(t.get("memoryBytes") or 0))


def node_name(node):
    return "%s/%s" % (node.get("NodeManagerAddress", "?"), node["NodeID"][:6])


@ray.remote(max_retries=0)
def headroom_trial(t):
    from headroom_runtime import _ray_trial

    node_id = ray.get_runtime_context().get_node_id()
    node = next((n for n in ray.nodes() if n["NodeID"] == node_id), {"NodeID": node_id})
    yield from _ray_trial.run(t, node_id, node_name(node), node.get("Resources", {}).get("memory", 0))


@ray.remote(max_restarts=0, max_task_retries=0)
class HeadroomObjective(Objective):
    def __init__(self, module, func):
        node_id = ray.get_runtime_context().get_node_id()
        node = next((n for n in ray.nodes() if n["NodeID"] == node_id), {"NodeID": node_id})
        super().__init__(module, func, node_id, node_name(node), node.get("Resources", {}).get("memory", 0))


def ray_oom(ray_module, error):
    """(note, bytes the killed worker used) when Ray's memory monitor killed the trial's worker, else None.

    A task gets OutOfMemoryError; an actor (objective mode) dies with its cause in the text. The note
    keeps Ray's own words: the node's memory and the threshold that was crossed.
    """
    text = str(error)
    if not isinstance(error, ray_module.exceptions.OutOfMemoryError) and "running low on memory" not in text:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = next((line for line in lines if "low on memory" in line), lines[0] if lines else "OutOfMemoryError")
    reason = next((line for line in lines if line.startswith("OOM kill reason:")), None)
    used = re.search(r"actual memory used=([0-9.]+)GB", text)
    note = "killed by Ray's memory monitor: " + first + (" " + reason if reason else "")
    return note, int(float(used.group(1)) * 2**30) if used else 0


class Tasks:
    """Script-mode trials are streaming tasks (started, usage, result), polled; objective-mode trials are
    plain actor calls whose completion wakes the driver's loop through `inbox` (no polling delay)."""

    def __init__(self, ray_module, out, inbox):
        self.ray = ray_module
        self.out = out
        self.inbox = inbox
        self.live = {}
        self.suspects = {}
        self.dead = set()
        # Objective mode: actors between trials, one per slot at most.
        self.idle = []
        # The data file's identity (size, cache key) once the driver has placed it on the nodes.
        self.data = None

    def busy(self):
        return bool(self.live)

    def streaming(self):
        """Whether a script-mode task is live (its generator is polled)."""
        return any("gen" in entry for entry in self.live.values())

    def _notify(self, ref, message):
        ref.future().add_done_callback(lambda _future: self.inbox.put(message))

    def _actor_for(self, t):
        threads, memory = t["threads"], memory_request(t)
        # An actor asks Ray for a quarter more than its first trial's forecast, and is kept while the
        # forecasts (which follow measured peaks) stay within that: the module is imported once per slot.
        for i, actor in enumerate(self.idle):
            if actor["threads"] == threads and actor["memory"] >= memory:
                return self.idle.pop(i)
        memory = int(memory * ACTOR_MEMORY_MARGIN)
        if self.idle:  # one that does not fit gives its CPU and memory back to Ray first
            self.ray.kill(self.idle.pop(0)["handle"])
        env = {name: str(threads) for name in THREAD_ENV_VARS}
        module, func = t["objective"]["module"], t["objective"]["func"]
        options = dict(num_cpus=threads, runtime_env={"env_vars": env}, **({"memory": memory} if memory else {}))
        handle = HeadroomObjective.options(**options).remote(module, func)
        actor = {"handle": handle, "threads": threads, "memory": memory, "place": None}
        where = handle.where.remote()
        self._notify(where, {"type": "_placed", "actor": actor, "ref": where})
        return actor

    def placed(self, actor, ref):
        """An actor is up: the trial it holds has started there."""
        try:
            actor["place"] = self.ray.get(ref)
        except Exception:  # it could not start: its trial's call fails and says why
            return
        for trial_id, entry in list(self.live.items()):
            if entry.get("actor") is actor and entry["nodeId"] is None:
                self._started(trial_id, entry, dict(actor["place"], startedAt=time.time() * 1000))

    def _started(self, trial_id, entry, place):
        entry.update(nodeId=place["nodeId"], node=place["node"])
        self._emit(trial_id, entry, {"type": "started", "node": place["node"], "nodeId": place["nodeId"], "pid": place["pid"], "startedAt": place["startedAt"]})

    def submit(self, t):
        trial_id = t["trialId"]
        if self.data and t.get("data"):
            t["data"] = dict(t["data"], **self.data)
        if t.get("objective"):
            actor = self._actor_for(t)
            ref = actor["handle"].run.remote(t)
            entry = {"ref": ref, "attempt": t["attempt"], "nodeId": None, "node": None, "cancelled": False, "actor": actor, "runId": t["runId"]}
            self.live[trial_id] = entry
            if actor["place"]:
                self._started(trial_id, entry, dict(actor["place"], startedAt=time.time() * 1000))
            self._notify(ref, {"type": "_done", "trialId": trial_id, "entry": entry})
            return
        gen = headroom_trial.options(
            num_cpus=t["threads"],
            name="headroom:%s:%s" % (t["runId"], trial_id),
            **({"memory": memory_request(t)} if memory_request(t) else {}),
        ).remote(t)
        self.live[trial_id] = {"gen": gen, "attempt": t["attempt"], "nodeId": None, "node": None, "cancelled": False}

    def cancel(self, trial_id):
        entry = self.live.get(trial_id)
        if entry is None or entry["cancelled"]:
            return
        entry["cancelled"] = time.time()
        if entry.get("actor"):  # an actor's call cannot be force-cancelled: the actor goes
            entry["cancelled"] = True
            self.ray.kill(entry["actor"]["handle"])
            return
        self._cancel(trial_id, entry, False)

    def _cancel(self, trial_id, entry, force):
        # First as an interrupt, so the task kills its trial's tree itself; then by force (the worker dies).
        try:
            self.ray.cancel(entry["gen"], force=force)
        except Exception as error:  # already finished, or its worker is gone
            self.out({"type": "log", "message": "%s: cancel: %s" % (trial_id, error)})

    def force_overdue(self):
        for trial_id, entry in list(self.live.items()):
            if entry["cancelled"] and entry["cancelled"] is not True and time.time() - entry["cancelled"] > FORCE_AFTER_SECONDS:
                entry["cancelled"] = True
                self._cancel(trial_id, entry, True)

    def cancel_all(self):
        for trial_id in list(self.live):
            self.cancel(trial_id)

    def drain(self, seconds):
        """Waits until every cancelled task has ended; returns how many there were."""
        count, until = len(self.live), time.time() + seconds
        while self.live and time.time() < until:
            try:
                message = self.inbox.get(timeout=0.1)
                if message["type"] == "_done":
                    self.done(message["trialId"], message["entry"])
            except queue.Empty:
                pass
            self.poll()
            self.force_overdue()
            self.node_states({})
        return count

    def poll(self):
        """Takes up what the script-mode tasks have yielded since the last look (does not wait)."""
        gens = [entry["gen"] for entry in self.live.values() if "gen" in entry]
        if not gens:
            return
        ready, _ = self.ray.wait(gens, num_returns=len(gens), timeout=0)
        ready_ids = {id(g) for g in ready}
        for trial_id, entry in list(self.live.items()):
            if "gen" in entry and id(entry["gen"]) in ready_ids:
                self._advance(trial_id, entry)

    def _emit(self, trial_id, entry, message):
        message.update(trialId=trial_id, attempt=entry["attempt"])
        self.out(message)

    def done(self, trial_id, entry):
        """An objective actor's call has ended (its result, or why it has none)."""
        if self.live.get(trial_id) is not entry:
            return
        try:
            value = self.ray.get(entry["ref"])
        except Exception as error:
            self._failed(trial_id, entry, error)
            return
        if entry["nodeId"] is None:
            self._started(trial_id, entry, value)
        self.live.pop(trial_id, None)
        self._emit(trial_id, entry, value)
        self.idle.append(entry["actor"])

    def _advance(self, trial_id, entry):
        try:
            value = self.ray.get(next(entry["gen"]))
        except StopIteration:
            self.live.pop(trial_id, None)
            return
        except Exception as error:
            self._failed(trial_id, entry, error)
            return
        if value["type"] == "started":
            entry.update(nodeId=value["nodeId"], node=value["node"])
        self._emit(trial_id, entry, value)
        if value["type"] == "result":
            self.live.pop(trial_id, None)

    def _failed(self, trial_id, entry, error):
        if isinstance(error, self.ray.exceptions.TaskCancelledError):
            self._end(trial_id, entry, {"type": "lost", "reason": "cancel", "message": "cancelled"})
            return
        oom = ray_oom(self.ray, error)
        if oom is not None and not entry["cancelled"]:
            note, used = oom
            self._end(trial_id, entry, {"type": "lost", "reason": "memory", "message": note, "peakBytes": used})
            return
        if entry.get("actor") and not entry["cancelled"] and self._actor_failed(trial_id, entry, error):
            return
        if entry["cancelled"]:
            self._end(trial_id, entry, {"type": "lost", "reason": "cancel", "message": "cancelled"})
        else:
            self.live.pop(trial_id, None)
            self.suspects[trial_id] = (entry, type(error).__name__, time.time() + NODE_VERDICT_SECONDS)

    def _actor_failed(self, trial_id, entry, error):
        """An objective actor that died: for memory (its note in the KV store), or unable to load the module."""
        from ray.experimental import internal_kv

        note = internal_kv._internal_kv_get(MEMORY_KEY % (entry["runId"], trial_id))
        if note:
            info = json.loads(note)
            self._end(trial_id, entry, {"type": "lost", "reason": "memory", "message": info["note"], "peakBytes": info["peak"]})
            return True
        text = str(error)
        if "creation task" in text or "__init__" in text:
            lines = [line for line in text.splitlines() if line.strip()]
            why = "the objective could not be loaded on node %s: %s" % (entry["node"] or "?", lines[-1] if lines else text)
            self.out({"type": "fatal", "message": why})
            self._end(trial_id, entry, {"type": "lost", "reason": "cancel", "message": why})
            return True
        return False

    def _end(self, trial_id, entry, message):
        self.live.pop(trial_id, None)
        message["node"] = entry["node"]
        self._emit(trial_id, entry, message)

    def node_states(self, nodes):
        """With fresh node states: a lost task whose node is dead now is put down to that node."""
        self.dead.update(node_id for node_id, n in nodes.items() if not n["alive"])
        for trial_id, (entry, kind, deadline) in list(self.suspects.items()):
            node_dead = entry["nodeId"] in self.dead
            if not node_dead and time.time() < deadline:
                continue
            del self.suspects[trial_id]
            where = entry["node"] or "an unknown node"
            why = "node %s died while the trial ran there" % where if node_dead else "the Ray worker running it on %s died (%s)" % (where, kind)
            self._emit(trial_id, entry, {"type": "lost", "reason": "node" if node_dead else "worker", "message": why, "node": entry["node"]})
