"""One joblib batch as Headroom runs it: in the worker, each call of the batch is timed and its memory
peak measured; in the parent, what the calls are (a scikit-learn (candidate, fold) or a plain call)
and how many bytes of data they carry.
"""
import os
import threading
import time

from . import _memory

_SAMPLE_S = 0.01
_MEMMAP_MIN_BYTES = 1e6  # joblib's default max_nbytes: larger numeric arrays are memory-mapped, not copied


class _Sampler:
    """A worker's own peak of anonymous memory while a call runs (sampled every 10 ms)."""

    def __init__(self):
        self.peak = 0
        self.active = False
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name="headroom-peak", daemon=True)
        self.thread.start()

    def _loop(self):
        while True:
            time.sleep(_SAMPLE_S)
            if self.active:
                value = _memory.self_anonymous()
                with self.lock:
                    if value > self.peak:
                        self.peak = value

    def begin(self):
        with self.lock:
            self.peak = _memory.self_anonymous()
            self.active = True
        return self.peak

    def end(self):
        value = _memory.self_anonymous()
        with self.lock:
            self.active = False
            return max(self.peak, value)


_sampler = None


class HeadroomBatch:
    """Runs a joblib BatchedCalls call by call (as BatchedCalls.__call__ does) and returns
    (results, stats): the results are exactly the batch's; stats hold one dict per call."""

    def __init__(self, batch):
        self.batch = batch

    def __call__(self):
        global _sampler
        from joblib.parallel import parallel_config

        if _sampler is None:
            _sampler = _Sampler()
        batch = self.batch
        results, stats = [], []
        with parallel_config(backend=batch._backend, n_jobs=batch._n_jobs):
            for func, args, kwargs in batch.items:
                reset = _memory.reset_peak()
                start_anon = _sampler.begin()
                cpu0 = os.times()
                wall0 = time.time()
                results.append(func(*args, **kwargs))
                wall1 = time.time()
                cpu1 = os.times()
                peak_anon = _sampler.end()
                stats.append({
                    "pid": os.getpid(),
                    "startedAt": wall0,
                    "endedAt": wall1,
                    "cpuSeconds": (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system),
                    "startAnonBytes": start_anon,
                    "peakAnonBytes": peak_anon,
                    "peakRssBytes": _memory.self_peak_rss() if reset else None,
                })
        return results, stats


class Payload:
    """A HeadroomBatch pickled by the parent (see HeadroomBackend._start); unpickled and run in the worker."""

    def __init__(self, data):
        self.data = data

    def __call__(self):
        import pickle

        return pickle.loads(self.data)()


def _nbytes(value):
    """(memory-mapped, pickled) bytes of one argument as joblib sends it to a worker."""
    try:
        import numpy as np
    except ImportError:
        np = None
    if np is not None and isinstance(value, np.ndarray):
        if value.dtype.hasobject or value.nbytes < _MEMMAP_MIN_BYTES:
            return 0, int(value.nbytes)
        return int(value.nbytes), 0
    if hasattr(value, "memory_usage") and hasattr(value, "dtypes"):  # pandas DataFrame
        try:
            usage = value.memory_usage(deep=True, index=True)
            shared = pickled = 0
            for name, size in usage.items():
                dtype = value.dtypes.get(name) if name != "Index" else None
                if dtype is not None and getattr(dtype, "kind", "O") in "biufcmM" and size >= _MEMMAP_MIN_BYTES:
                    shared += int(size)
                else:
                    pickled += int(size)
            return shared, pickled
        except Exception:
            return 0, 0
    if hasattr(value, "memory_usage") and hasattr(value, "dtype"):  # pandas Series
        try:
            size = int(value.memory_usage(deep=True, index=True))
            numeric = getattr(value.dtype, "kind", "O") in "biufcmM"
            return (size, 0) if numeric and size >= _MEMMAP_MIN_BYTES else (0, size)
        except Exception:
            return 0, 0
    if hasattr(value, "data") and hasattr(value, "indices") and hasattr(value, "indptr"):  # scipy sparse
        parts = [value.data, value.indices, value.indptr]
        return sum(_nbytes(p)[0] for p in parts), sum(_nbytes(p)[1] for p in parts)
    return 0, 0


def data_estimate(items):
    """Forecast of one call's memory from the data it is handed: the pickled copy, plus for a
    scikit-learn fit the fold's slices and the estimator's working copy of the training slice."""
    best = 0
    for func, args, kwargs in items:
        shared = pickled = 0
        for value in list(args) + list(kwargs.values()):
            s, p = _nbytes(value)
            shared, pickled = shared + s, pickled + p
        copies = 2 if "split_progress" in kwargs else 1
        best = max(best, pickled + copies * (shared + pickled))
    return best


def _json_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and value != value:
            return None
        return value
    if hasattr(value, "item") and callable(value.item):
        try:
            return _json_value(value.item())
        except Exception:
            pass
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def estimator_name(estimator):
    """'RandomForestClassifier', or 'Pipeline(RandomForestClassifier)' for a pipeline's last step."""
    name = type(estimator).__name__
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps and isinstance(steps[-1], tuple) and len(steps[-1]) == 2:
        return "%s(%s)" % (name, estimator_name(steps[-1][1]))
    return name


def scorer_name(scorer):
    if isinstance(scorer, dict):
        return next(iter(scorer), "score")
    scorers = getattr(scorer, "_scorers", None)
    if isinstance(scorers, dict) and scorers:
        return next(iter(scorers))
    func = getattr(scorer, "_score_func", None)
    if func is not None:
        name = getattr(func, "__name__", "score")
        name = name[: -len("_score")] if name.endswith("_score") else name
        return ("neg_" + name) if getattr(scorer, "_sign", 1) < 0 else name
    return "score"


def describe(func, args, kwargs, index):
    """What one call is: a dict with key, params, fold, candidate, total, metric, estimator."""
    if "split_progress" in kwargs and "parameters" in kwargs:
        fold, n_folds = kwargs.get("split_progress") or (0, 1)
        candidate, n_candidates = kwargs.get("candidate_progress") or (index, 1)
        params = {str(k): _json_value(v) for k, v in (kwargs.get("parameters") or {}).items()}
        params["fold"] = int(fold)
        return {
            "key": "c%03d-f%d" % (candidate, fold),
            "params": params,
            "total": int(n_folds) * int(n_candidates),
            "metric": scorer_name(kwargs.get("scorer")),
            "estimator": estimator_name(args[0]) if args else None,
            # scikit-learn >= 1.8 passes the search itself (caller=); older ones do not: a grid then.
            "search": type(kwargs["caller"]).__name__ if kwargs.get("caller") is not None else None,
            "sklearn": True,
        }
    name = getattr(func, "__name__", None) or type(func).__name__
    params = {}
    for i, value in enumerate(args[:6]):
        if value is None or isinstance(value, (bool, int, float, str)):
            params["arg%d" % i] = _json_value(value)
    return {"key": "t%04d" % index, "params": params, "total": None, "metric": "value", "estimator": name, "search": None,
            "sklearn": False}


def outcome(result, description):
    """(status, value, metrics, error) of one finished call from its return value."""
    if description["sklearn"] and isinstance(result, dict):
        scores = result.get("test_scores")
        metrics = {}
        if isinstance(scores, dict):
            for k, v in scores.items():
                metrics[str(k)] = _json_value(v)
            value = metrics.get(description["metric"], next(iter(metrics.values()), None))
        else:
            value = _json_value(scores)
            metrics[description["metric"]] = value
        for k in ("fit_time", "score_time"):
            if isinstance(result.get(k), (int, float)):
                metrics[k] = float(result[k])
        metrics = {k: v for k, v in metrics.items() if isinstance(v, (int, float))}
        error = result.get("fit_error")
        if error:
            last = [line for line in str(error).strip().splitlines() if line.strip()]
            return "failed", None, metrics, "fit failed: " + (last[-1] if last else "error")
        return "done", value if isinstance(value, (int, float)) else None, metrics, None
    value = _json_value(result)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "done", value, {"value": value}, None
    return "done", None, {}, None


class Lane:
    """One worker process (a one-worker loky executor) and the task it runs."""

    def __init__(self, index):
        self.index = index
        self.executor = None
        self.pid = None
        self.task = None
        self.pss = 0
        self.cpu = None

    def alive(self):
        return self.executor is not None and self.pid is not None


class Task:
    def __init__(self, batch, outer, descriptions, estimate, call):
        self.batch = batch
        self.outer = outer
        self.descriptions = descriptions
        self.estimate = estimate
        self.call = call
        self.attempt = 1
        self.lane = None
        self.forecast = 0
        self.started = None
        self.start_pss = 0
        self.peak_pss = 0
        self.stop_note = None  # set when the guard stops it: it goes back to the queue
        self.future = None
