"""Runs a real scikit-learn search on a generated frame and measures the process tree's peak memory.

Usage: measure_search.py ROWS COLS N_JOBS CV ESTIMATOR
Prints one JSON line: the frame's per-column deep bytes (to build the forecast's inputs), the
tree's proportional set size (PSS: shared memory-mapped pages counted once) just before fit and at
its peak while fitting, sampled every 20 ms with psutil.
"""
import json
import sys
import threading
import time

import numpy as np
import pandas as pd
import psutil
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV

rows, cols, n_jobs, cv, estimator = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
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
df = pd.DataFrame(rng.random((rows, cols)), columns=[f"c{i}" for i in range(cols)])
y = df["c0"].to_numpy() * 2.0
usage = df.memory_usage(deep=True)
columns = [{"name": str(k), "dtype": str(df[k].dtype), "bytes": int(usage[k])} for k in df.columns]

if estimator == "ridge":
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0, 10.0, 100.0]}, cv=cv, n_jobs=n_jobs)
else:
    # Two small trees per fit and two candidates: the peak is per fit, so a bigger search only takes longer.
    search = GridSearchCV(
        RandomForestRegressor(n_estimators=2, max_depth=4, random_state=0), {"min_samples_leaf": [1, 2]}, cv=cv, n_jobs=n_jobs
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
search.fit(df, y)
done.set()
sampler.join()
print(json.dumps({"rows": rows, "indexBytes": int(usage["Index"]), "totalBytes": int(usage.sum()), "columns": columns, "beforePss": before, "peakPss": peak}))
