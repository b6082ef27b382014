"""The spec's data file on the nodes of a Ray run, when it does not travel with the code (over 32 MiB,
or outside the spec's folder): each node uses the file at its own path when the same file (same
size) is there (shared storage); a node without it gets it shipped once: the driver puts the file
into Ray's object store in 16 MiB chunks (once, whatever the number of nodes), and one task pinned
to each node that lacks it writes the chunks into that node's cache (the Ray session folder, per
node and file version), where later runs of the same cluster find it. A trial links the node's copy
into its working directory under the name the code uses (data inside the spec's folder) and finds
its path on the node in HEADROOM_DATA.
"""
import hashlib
import os
import shutil
import time

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

CHUNK_BYTES = 16 * 2**20
# Ship time allowed per GiB (and at least this per node): a node that takes longer is reported unreachable.
SHIP_SECONDS_PER_GIB = 120


def identity(path):
    """The file as the driver's machine has it: its path, size, and the key of this version in the nodes' caches."""
    st = os.stat(path)
    digest = hashlib.sha1(path.encode()).hexdigest()[:12]
    return {"path": path, "size": st.st_size, "key": "%s-%d-%d" % (digest, st.st_size, st.st_mtime_ns)}


def _cache_root():
    try:  # this node's Ray session folder (goes with the cluster), else the temporary folder
        base = ray._private.worker.global_worker.node.get_session_dir_path()
    except Exception:
        import tempfile

        base = tempfile.gettempdir()
    return os.path.join(base, "headroom-data", ray.get_runtime_context().get_node_id()[:12])


def _cached(data):
    return os.path.join(_cache_root(), data["key"], os.path.basename(data["path"]))


def local_path(data):
    """Where the data file is on this node: its own path when the same file is there, else its shipped copy, else None."""
    for path in (data["path"], _cached(data)):
        try:
            if os.path.getsize(path) == data["size"]:
                return path
        except OSError:
            pass
    return None


def link(data, env):
    """In a trial on a node: HEADROOM_DATA names the node's copy, linked where the code expects it (its path relative to the working directory)."""
    if not data or "key" not in data:
        return
    here = local_path(data)
    if here is None:
        return
    env["HEADROOM_DATA"] = here
    relative = data.get("relative")
    if relative and not os.path.exists(relative):
        os.makedirs(os.path.dirname(relative) or ".", exist_ok=True)
        try:
            os.symlink(here, relative)
        except FileExistsError:  # another trial on this node linked it first
            pass


@ray.remote(num_cpus=0, max_retries=0)
def _where(data):
    return local_path(data)


@ray.remote(num_cpus=0, max_retries=0)
def _receive(data, chunks):
    target = _cached(data)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    part = "%s.part-%d" % (target, os.getpid())
    try:
        with open(part, "wb") as f:
            for ref in chunks:  # one chunk in memory at a time
                f.write(ray.get(ref))
        if os.path.getsize(part) != data["size"]:
            raise OSError("received %d of %d bytes" % (os.path.getsize(part), data["size"]))
        os.replace(part, target)
    finally:
        if os.path.exists(part):
            os.unlink(part)
    # Older versions of the same file on this node go.
    root, prefix = _cache_root(), data["key"].split("-")[0] + "-"
    for name in os.listdir(root):
        if name.startswith(prefix) and name != data["key"]:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
    return target


def place(ray_module, data, name_of):
    """Makes the data file reach every alive node. Returns ({node name: path there or None}, {node name: why not}, shipped node count)."""
    nodes = [n for n in ray_module.nodes() if n.get("Alive")]
    pinned = lambda n: NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)  # noqa: E731
    found = ray_module.get([_where.options(scheduling_strategy=pinned(n)).remote(data) for n in nodes], timeout=120)
    placed = {name_of(n): path for n, path in zip(nodes, found)}
    lacking = [n for n, path in zip(nodes, found) if path is None]
    errors = {}
    if lacking:
        chunks = []
        with open(data["path"], "rb") as f:
            for block in iter(lambda: f.read(CHUNK_BYTES), b""):
                chunks.append(ray_module.put(block))
        refs = [_receive.options(scheduling_strategy=pinned(n)).remote(data, chunks) for n in lacking]
        started = time.time()
        until = started + max(60, SHIP_SECONDS_PER_GIB * data["size"] / 2**30 * len(lacking))
        for n, ref in zip(lacking, refs):
            try:
                placed[name_of(n)] = ray_module.get(ref, timeout=max(1, until - time.time()))
            except ray_module.exceptions.GetTimeoutError:
                errors[name_of(n)] = "not received within %.0f s" % (until - started)
                ray_module.cancel(ref, force=True)
            except Exception as error:  # the task failed on its node (no room, no permission...)
                text = str(error).strip().splitlines()
                errors[name_of(n)] = text[-1] if text else type(error).__name__
        del chunks  # the driver owns them: the object store frees them now
    return placed, errors, len(lacking) - len(errors)
