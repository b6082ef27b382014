"""`with headroom_runtime.parallel():` — the joblib work in the block runs on the "headroom" backend."""
import contextlib

from joblib import parallel_config

from ._joblib_backend import HeadroomBackend


@contextlib.contextmanager
def parallel(n_jobs=None, memory_budget=None, reserve=None, record=None, name=None, inner_max_num_threads=None, verbose=False):
    backend = HeadroomBackend(memory_budget=memory_budget, reserve=reserve, record=record, name=name, verbose=verbose)
    try:
        with parallel_config(backend=backend, n_jobs=n_jobs, inner_max_num_threads=inner_max_num_threads):
            yield backend
    finally:
        backend.shutdown()
