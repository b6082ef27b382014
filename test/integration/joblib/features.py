"""The backend's promises not covered by the RandomForest grid, on small data in one process.

Usage: features.py WORKSPACE   Prints one JSON line:
  threads: each worker's BLAS/OpenMP thread limits (threadpoolctl) and OMP_NUM_THREADS, with the cores;
  forecast: the first decision's bytes per task and the data's bytes (X, y memory-mapped to the workers);
  random/halving: cv_results_ scores under the default backend and under headroom, and the run's search;
  guard: a joblib.Parallel of two tasks that each allocate 200 MiB under a 300 MiB budget: the results,
         and the run's records (the newest stopped for memory, then run again);
  cgroup: read_memory() and cpu_count() with a cgroup v2 limit of 1 GiB and a quota of 1.5 CPUs.
"""
import json
import os
import sys
import time

import numpy as np
from joblib import Parallel, delayed
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, RandomizedSearchCV

import headroom_runtime as hr
from headroom_runtime import _memory

workspace = sys.argv[1]
out = {}


def limits(_):
    from threadpoolctl import threadpool_info

    return {"omp": os.environ.get("OMP_NUM_THREADS"), "pools": sorted({p["num_threads"] for p in threadpool_info()})}


with hr.parallel(record=False) as backend:
    seen = Parallel(n_jobs=-1)(delayed(limits)(i) for i in range(4))
out["threads"] = {"cores": backend.cores, "workers": backend.slots, "perWorker": seen}

rng = np.random.default_rng(0)
X = rng.random((40_000, 8))
y = X @ np.arange(8.0) + rng.normal(0, 0.1, 40_000)
with hr.parallel(record=False) as backend:
    GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=2, n_jobs=-1).fit(X, y)
out["forecast"] = {"first": backend.decisions[0]["perTrialBytes"], "dataBytes": int(X.nbytes + y.nbytes)}


def scores(search):
    return [float(v) for v in search.cv_results_["mean_test_score"]]


for key, make in {
    "random": lambda: RandomizedSearchCV(Ridge(), {"alpha": [0.01, 0.1, 1.0, 10.0]}, n_iter=3, cv=3, random_state=0, n_jobs=-1),
    "halving": lambda: HalvingGridSearchCV(Ridge(), {"alpha": [0.01, 0.1, 1.0, 10.0]}, cv=3, min_resources=5000, random_state=0,
                                           n_jobs=-1),
}.items():
    default = scores(make().fit(X, y))
    search = make()
    with hr.parallel(record=workspace, name=key) as backend:
        search.fit(X, y)
    out[key] = {"default": default, "headroom": scores(search), "runDir": backend._run.dir}


def allocate(i):
    block = np.ones(200 * 2**20 // 8)  # 200 MiB, touched
    time.sleep(1.5)
    return i * 10 + int(block[0])


with hr.parallel(memory_budget=300 * 2**20, record=workspace, name="guard") as backend:
    results = Parallel(n_jobs=2)(delayed(allocate)(i) for i in range(2))
out["guard"] = {"results": results, "runDir": backend._run.dir, "decisions": [d["reason"] for d in backend.decisions]}

files = {
    "/proc/self/cgroup": "0::/test\n",
    "/sys/fs/cgroup/test/memory.max": "%d\n" % 2**30,
    "/sys/fs/cgroup/test/memory.current": "%d\n" % (600 * 2**20),
    "/sys/fs/cgroup/test/memory.stat": "anon 1\ninactive_file %d\n" % (100 * 2**20),
    "/sys/fs/cgroup/cpu.max": "150000 100000\n",
    "/proc/meminfo": "MemTotal: 33554432 kB\nMemAvailable: 16777216 kB\n",
}
real_read = _memory._read
_memory._read = lambda path: files.get(path)
try:
    total, available, source = _memory.read_memory()
    cores = _memory.cpu_count()
finally:
    _memory._read = real_read
out["cgroup"] = {"total": total, "available": available, "source": source, "cores": cores,
                 "reserve": _memory.default_reserve(total)}
print(json.dumps(out))
