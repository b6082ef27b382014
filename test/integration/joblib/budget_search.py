"""A GridSearchCV whose memory is its data's copies, run with joblib's default backend or Headroom's.

Usage: budget_search.py default|headroom ROWS COLS BUDGET_BYTES
Prints one JSON line: the data's bytes, the process tree's proportional set size (psutil, every 20 ms;
shared memory-mapped pages counted once) before fit and at its peak while fitting, the scores, and
(headroom) the admission decisions the run stated ([at ms, allowed, bound] in "stated").
"""
import json
import sys
import threading
import time

import numpy as np
import psutil
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeRegressor

import headroom_runtime as hr

mode, rows, cols, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
me = psutil.Process()


def tree_pss():
    total = 0
    for p in [me] + me.children(recursive=True):
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            pass
    return total


rng = np.random.default_rng(0)
X = rng.random((rows, cols), dtype=np.float32)
y = X[:, 0] * 2.0 + X[:, 1]
search = GridSearchCV(
    DecisionTreeRegressor(max_features=4, random_state=0), {"max_depth": [2, 3], "min_samples_leaf": [1, 5]}, cv=4, n_jobs=-1
)
before = tree_pss()
peak = before
done = threading.Event()


def sample():
    global peak
    while not done.is_set():
        peak = max(peak, tree_pss())
        time.sleep(0.02)


sampler = threading.Thread(target=sample)
sampler.start()
started = time.time()
decisions = []
stated = []
if mode == "headroom":
    with hr.parallel(memory_budget=budget, record=False, verbose=bool(int(__import__("os").environ.get("HR_VERBOSE", "0")))) as backend:
        search.fit(X, y)
    decisions = [d["reason"] for d in backend.decisions]
    stated = [[d["at"], d["allowed"], d["bound"]] for d in backend.decisions]
else:
    search.fit(X, y)
done.set()
sampler.join()
print(json.dumps({
    "mode": mode, "dataBytes": int(X.nbytes + y.nbytes), "beforePss": before, "peakPss": peak, "wallSeconds": time.time() - started,
    "scores": [float(v) for v in search.cv_results_["mean_test_score"]], "decisions": decisions,
    "stated": stated, "endedAt": int(time.time() * 1000),
}))
