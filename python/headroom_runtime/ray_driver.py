"""Headroom's Ray driver: `python -m headroom_runtime.ray_driver CONFIG_JSON`, run under the run's interpreter.

The engine (src/core/tuning/rayDriver.ts) owns this process. JSON lines in on stdin:
  {"type": "submit", "trial": {...}}, {"type": "cancel", "trialId": ...}, {"type": "shutdown"}
and out on stdout:
  connected, nodes (every 2 s), started, usage, result, lost (node died, Ray's OOM kill, a crashed
  worker), error (fatal: the process exits after it).
Each trial is one Ray task (max_retries=0: the engine decides what runs again, and with how much
memory) asking for num_cpus = threadsPerTrial and memory = Headroom's forecast; in objective mode, one
call of a long-lived actor per slot. The loop sleeps on one inbox that both the engine's commands and
the actors' completions (ObjectRef futures) fill, so no trial waits for a polling tick. EOF on stdin (the
engine died) or SIGTERM cancels every task of the run (force) before the driver exits.
"""
import json
import os
import queue
import re
import signal
import socket
import sys
import threading
import time

_out_lock = threading.Lock()
NODES_EVERY_SECONDS = 2.0
STREAM_POLL_SECONDS = 0.01


_engine_gone = False


def out(message):
    """One JSON line to the engine. Once the engine is gone (killed: its end of the pipe closed), lines
    are dropped: the driver still has its run to cancel, and a BrokenPipeError would end it first."""
    global _engine_gone
    with _out_lock:
        if _engine_gone:
            return
        try:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _engine_gone = True
            # What is still buffered, and the interpreter's flush at exit, go nowhere instead.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def fail(message, code=3):
    out({"type": "error", "message": message})
    sys.stdout.flush()
    os._exit(code)


def _reachable(address):
    host, _, port = address.rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
    except (OSError, ValueError) as error:
        fail("cannot reach the Ray head at %s: %s (is `ray start --head --port %s` running there?)" % (address, getattr(error, "strerror", None) or error, port))


HEAD_PROBE_SECONDS = 2.0
HEAD_PROBE_FAILURES = 3


def _watch_head(address):
    """Ends the driver when the head's GCS port stops answering: Ray itself waits 60 s
    (gcs_rpc_server_reconnect_timeout_s) before it gives up, while the run would look alive."""
    host, _, port = address.rpartition(":")
    failures = 0
    while True:
        time.sleep(HEAD_PROBE_SECONDS)
        try:
            socket.create_connection((host, int(port)), timeout=HEAD_PROBE_SECONDS).close()
            failures = 0
        except OSError as error:
            failures += 1
            if failures >= HEAD_PROBE_FAILURES:
                fail("lost the connection to the Ray cluster at %s: its head has not answered for %d s (%s)" % (address, int(failures * HEAD_PROBE_SECONDS), getattr(error, "strerror", None) or error), 4)


def version_mismatch(text, ours, address):
    """Ray's "Version mismatch" error (ray._private.utils.check_version_info) in words naming both sides."""
    found = re.findall(r"Ray: (\S+)\s+Python: (\S+)", text)
    if len(found) < 2:
        return "the Ray version of %s (Ray %s) differs from the cluster's at %s: %s" % (sys.executable, ours, address, " ".join(text.split()))
    (cluster_ray, cluster_py), (our_ray, our_py) = found[0], found[1]
    what = []
    if cluster_ray != our_ray:
        what.append("Ray %s, the cluster's is Ray %s" % (our_ray, cluster_ray))
    if cluster_py != our_py:
        what.append("Python %s, the cluster's is Python %s (Ray needs the same Python version too)" % (our_py, cluster_py))
    fix = "install the cluster's Ray into it (%s -m pip install 'ray==%s')" % (sys.executable, cluster_ray) if cluster_ray != our_ray else "use an interpreter with Python %s" % cluster_py
    return "Ray version mismatch with the cluster at %s: the run's Python (%s) has %s: %s, or point the run at an interpreter that matches (the spec's `python:` or --python)" % (
        address,
        sys.executable,
        "; ".join(what) or "Ray %s on Python %s" % (our_ray, our_py),
        fix,
    )


def _connect(cfg):
    try:
        import ray
    except ImportError:
        fail(
            "the run's Python (%s) has no 'ray' package: install the Ray version the cluster runs "
            "(`ray --version` on the head), e.g. %s -m pip install 'ray==2.58.*'" % (sys.executable, sys.executable)
        )
    _reachable(cfg["address"])
    try:
        ray.init(
            address=cfg["address"],
            namespace="headroom-" + cfg["runId"],
            logging_level="ERROR",
            log_to_driver=False,
            # The user's code (less .headroom/, .git/ and a big data file) and this runtime, once per node.
            runtime_env={
                "working_dir": cfg["workingDir"],
                "excludes": cfg["excludes"],
                "py_modules": [os.path.join(cfg["runtimeDir"], "headroom_runtime")],
            },
        )
    except Exception as error:  # Ray raises RuntimeError, ConnectionError, ValueError...
        text = str(error)
        if "ersion mismatch" in text:
            fail(version_mismatch(text, ray.__version__, cfg["address"]))
        fail("cannot connect to the Ray cluster at %s: %s" % (cfg["address"], text.strip().splitlines()[0] if text.strip() else type(error).__name__))
    return ray


def _nodes(ray):
    from ._ray_tasks import node_name

    from ray._private import state

    free = state.available_resources_per_node() if hasattr(state, "available_resources_per_node") else {}
    rows = []
    for n in ray.nodes():
        total, avail = n.get("Resources", {}), free.get(n["NodeID"], {})
        rows.append(
            {
                "nodeId": n["NodeID"],
                "name": node_name(n),
                "alive": bool(n.get("Alive")),
                "cpuTotal": total.get("CPU", 0),
                "cpuFree": avail.get("CPU", 0) if n.get("Alive") else 0,
                "memoryTotal": total.get("memory", 0),
                "memoryFree": avail.get("memory", 0) if n.get("Alive") else 0,
            }
        )
    return rows


def _place_data(ray, cfg, tasks):
    """A data file that does not ship with the code: used where a node has it at its path, shipped once to
    each node that has not; when it reaches no node, the run stops here."""
    path = cfg.get("dataOnNodes")
    if not path:
        return
    from ._ray_data import identity, place
    from ._ray_tasks import node_name

    data = identity(path)
    started = time.time()
    placed, errors, shipped = place(ray, data, node_name)
    reached = sorted(name for name, there in placed.items() if there)
    if placed and not reached:
        fail(
            "the data file %s (%.1f MiB) reached none of the cluster's %d nodes: %s"
            % (path, data["size"] / 2**20, len(placed), "; ".join("%s: %s" % (name, errors.get(name, "not there")) for name in sorted(placed)))
        )
    if shipped:
        out({"type": "log", "message": "the data file %s (%.1f MiB) was shipped to %d node%s in %.1f s; %d had it already" % (path, data["size"] / 2**20, shipped, "" if shipped == 1 else "s", time.time() - started, len(reached) - shipped)})
    if errors:
        out({"type": "log", "message": "the data file %s could not reach %s: trials placed there fail" % (path, "; ".join("%s (%s)" % item for item in sorted(errors.items())))})
    tasks.data = {"size": data["size"], "key": data["key"]}


def _stdin_reader(inbox):
    for line in sys.stdin:
        line = line.strip()
        if line:
            inbox.put(json.loads(line))
    inbox.put({"type": "shutdown", "why": "eof"})


def _handle(ray, tasks, command):
    """One message of the inbox (the engine's, or a Ray completion); True when the driver is to leave."""
    kind = command["type"]
    if kind == "_done":
        tasks.done(command["trialId"], command["entry"])
    elif kind == "_placed":
        tasks.placed(command["actor"], command["ref"])
    elif kind == "submit":
        tasks.submit(command["trial"])
    elif kind == "cancel":
        tasks.cancel(command["trialId"])
    elif kind == "shutdown":
        tasks.cancel_all()
        out({"type": "shutdown", "cancelled": tasks.drain(10.0)})
        ray.shutdown()
        return True
    return False


def main():
    cfg = json.loads(sys.argv[1])
    ray = _connect(cfg)
    from ._ray_tasks import Tasks

    out({"type": "reached", "rayVersion": ray.__version__})
    inbox = queue.Queue()
    tasks = Tasks(ray, out, inbox)
    _place_data(ray, cfg, tasks)
    out({"type": "connected", "rayVersion": ray.__version__, "nodes": _nodes(ray)})
    threading.Thread(target=_stdin_reader, args=(inbox,), daemon=True).start()
    threading.Thread(target=_watch_head, args=(cfg["address"],), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: inbox.put({"type": "shutdown", "why": "SIGTERM"}))
    last_nodes = time.time()
    while True:
        # The engine's commands and the objective actors' completions both arrive here and wake the
        # loop at once; only script-mode tasks (streams) are polled, every 10 ms while one is live.
        wait = STREAM_POLL_SECONDS if tasks.streaming() else max(0.0, last_nodes + NODES_EVERY_SECONDS - time.time())
        try:
            command = inbox.get(timeout=wait)
            while command is not None:
                if _handle(ray, tasks, command):
                    return 0
                command = inbox.get_nowait() if not inbox.empty() else None
        except queue.Empty:
            pass
        try:
            tasks.poll()
            tasks.force_overdue()
            if time.time() - last_nodes >= NODES_EVERY_SECONDS:
                last_nodes = time.time()
                nodes = _nodes(ray)
                tasks.node_states({n["nodeId"]: n for n in nodes})
                out({"type": "nodes", "nodes": nodes})
        except Exception as error:  # the head went away: the engine marks the run interrupted
            if "ConnectionError" in type(error).__name__ or "unavailable" in str(error).lower() or "GCS" in str(error):
                fail("lost the connection to the Ray cluster at %s: %s" % (cfg["address"], str(error).splitlines()[0]), 4)
            raise


if __name__ == "__main__":
    sys.exit(main())
