"""A GridSearchCV under headroom_runtime.parallel() where one candidate's fit crashes its worker.

Usage: crash_search.py segfault|sleep WORKSPACE PIDS_FILE
  segfault: the candidate crash=True dereferences NULL (SIGSEGV in the worker process).
  sleep: every fit sleeps 60 s (for Ctrl+C); prints "running" once the workers have their tasks.
The worker processes seen (descendants of this process) are written to PIDS_FILE as they appear, so the
test can check that none is left afterwards. Prints the error's type and message as JSON on stdout.
"""
import ctypes
import json
import os
import sys
import threading
import time

import numpy as np
import psutil
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.model_selection import GridSearchCV

import headroom_runtime as hr


class Crashy(RegressorMixin, BaseEstimator):
    def __init__(self, crash=False, sleep=0.0):
        self.crash = crash
        self.sleep = sleep

    def fit(self, X, y):
        if self.sleep:
            time.sleep(self.sleep)
        if self.crash:
            ctypes.string_at(0)  # SIGSEGV
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


mode, workspace, pids_file = sys.argv[1], sys.argv[2], sys.argv[3]
me = psutil.Process()
seen = set()
stop = threading.Event()


printed = []


def workers():
    out = []
    for child in me.children(recursive=True):
        try:
            if "popen_loky_posix" in " ".join(child.cmdline()):
                out.append(child.pid)
        except psutil.Error:
            pass
    return out


def watch():
    while not stop.is_set():
        for child in me.children(recursive=True):
            if child.pid not in seen:
                seen.add(child.pid)
                with open(pids_file, "a") as f:
                    f.write("%d\n" % child.pid)
        if mode == "sleep" and not printed and len(workers()) >= 2:
            printed.append(True)
            print("running", flush=True)
        time.sleep(0.05)


threading.Thread(target=watch, daemon=True).start()
X = np.arange(200, dtype=float).reshape(100, 2)
y = np.arange(100, dtype=float)
grid = {"crash": [False, True], "sleep": [0.2]} if mode == "segfault" else {"crash": [False], "sleep": [60.0, 61.0]}
search = GridSearchCV(Crashy(), grid, cv=3, n_jobs=-1)
try:
    with hr.parallel(record=workspace):
        search.fit(X, y)
    print(json.dumps({"error": None}))
except BaseException as error:  # KeyboardInterrupt included: the test reads what was raised
    print(json.dumps({"error": type(error).__name__, "message": str(error)[:300]}), flush=True)
    stop.set()
    sys.exit(3)
