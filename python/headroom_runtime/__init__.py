"""Headroom's trial runtime: what a tuning trial uses to learn its params and report its metrics.

Zero dependencies. Works in both modes: script mode (one process per trial, started through
`python -m headroom_runtime.run_script`) and objective mode (`python -m headroom_runtime.worker`).
Outside Headroom, params() reads HEADROOM_PARAMS or is empty, fraction() is 1 and report() prints.
"""
import json
import os
import random

from . import _channel, _joblib_hook

_joblib_hook.install()

__all__ = ["params", "report", "fraction", "subsample", "seed", "trial_id", "TrialPruned", "parallel"]


class TrialPruned(BaseException):
    """Raised inside report(step=...) when the engine prunes the trial (median rule).

    A BaseException so that a broad `except Exception` in user code does not swallow it.
    """


_state = {
    "params": None,
    "fraction": None,
    "seed": None,
    "trial": os.environ.get("HEADROOM_TRIAL_ID"),
    "prune": os.environ.get("HEADROOM_PRUNE") == "1",
    "final": None,
    "nonFinite": None,
}


def _begin_trial(trial):
    """Objective mode: the worker sets the current trial's state before calling the objective."""
    _state.update(params=trial["params"], fraction=trial["fraction"], seed=trial["seed"], trial=trial["trialId"], prune=trial["prune"], final=None, nonFinite=None)


def params():
    """This trial's hyperparameters as a dict."""
    if _state["params"] is None:
        _state["params"] = json.loads(os.environ.get("HEADROOM_PARAMS", "{}"))
    return dict(_state["params"])


def fraction():
    """Share of the data this trial should use: the spec's sample x the halving rung's fraction."""
    if _state["fraction"] is None:
        _state["fraction"] = float(os.environ.get("HEADROOM_FRACTION", "1"))
    return _state["fraction"]


def seed():
    if _state["seed"] is None:
        _state["seed"] = int(os.environ.get("HEADROOM_SEED", "0"))
    return _state["seed"]


def trial_id():
    return _state["trial"]


def report(step=None, **metrics):
    """Report metrics. With step=, an intermediate value (may raise TrialPruned); without, the result."""
    clean = _channel.clean_metrics(metrics)
    if not _channel.connected():
        print(json.dumps(dict(clean, **({"step": step} if step is not None else {}))), flush=True)
        return
    if step is None:
        _state["final"] = clean
        _state["nonFinite"] = _channel.non_finite(metrics)
        _channel.send({"type": "final", "metrics": clean, "nonFinite": _state["nonFinite"]})
        return
    _channel.send({"type": "report", "step": step, "metrics": clean, "wait": _state["prune"]})
    if _state["prune"]:
        reply = _channel.receive()
        if reply is None or reply.get("prune"):
            raise TrialPruned("pruned by Headroom: worse than the median of other trials at step %s" % step)


def _take(data, indices):
    if hasattr(data, "iloc"):
        return data.iloc[indices]
    if hasattr(data, "shape") and hasattr(data, "__getitem__") and not isinstance(data, (list, tuple)):
        return data[indices]
    return [data[i] for i in indices]


def _stratified(labels, k, rng):
    by_class = {}
    for index, label in enumerate(labels):
        by_class.setdefault(label.item() if hasattr(label, "item") else label, []).append(index)
    n = len(labels)
    quotas = {c: len(ix) * k / n for c, ix in by_class.items()}
    take = {c: int(q) for c, q in quotas.items()}
    # Largest remainders first, so the total is exactly k; every class present keeps at least one row.
    for c in sorted(quotas, key=lambda c: quotas[c] - take[c], reverse=True)[: k - sum(take.values())]:
        take[c] += 1
    for c in take:
        take[c] = max(1, min(take[c], len(by_class[c])))
    chosen = []
    for c in sorted(by_class, key=str):
        members = list(by_class[c])
        rng.shuffle(members)
        chosen.extend(members[: take[c]])
    return sorted(chosen)


def subsample(X, y=None):
    """The fraction() share of the rows of X (and y), seeded; stratified by y when y is given.

    Same seed, same rows: every trial at the same fraction sees the same subset, and a halving rung's
    subset contains the previous rung's. Works with pandas objects, numpy arrays and lists.
    """
    f = fraction()
    n = len(X)
    if f >= 1 or n == 0:
        return (X, y) if y is not None else X
    k = max(1, min(n, int(round(n * f))))
    rng = random.Random(seed())
    if y is None:
        order = list(range(n))
        rng.shuffle(order)
        return _take(X, sorted(order[:k]))
    labels = list(y.tolist() if hasattr(y, "tolist") else y)
    if len(labels) != n:
        raise ValueError("subsample: X has %d rows but y has %d" % (n, len(labels)))
    indices = _stratified(labels, k, rng)
    return _take(X, indices), _take(y, indices)


def parallel(n_jobs=None, memory_budget=None, reserve=None, record=None, name=None, inner_max_num_threads=None, verbose=False):
    """Runs the joblib work inside the `with` block (GridSearchCV, cross_validate, joblib.Parallel, ...)
    on Headroom's memory-aware backend: a task starts only when its memory forecast fits, BLAS threads
    are pinned so workers x threads never exceed the cores, and the search is recorded as a run in the
    workspace's .headroom/runs/ (shown in VS Code's Runs view).

    memory_budget: most bytes the workers may use together (int or "2G"; default: free memory minus the
    reserve); reserve: memory never handed to tasks (default 10%, 256 MiB to 2 GiB); record: False to
    record nothing, or the workspace folder to record into (default: HEADROOM_WORKSPACE, or the nearest
    folder with .headroom/ or .vscode/ above the script or the working directory).
    """
    from ._parallel import parallel as _parallel

    return _parallel(n_jobs=n_jobs, memory_budget=memory_budget, reserve=reserve, record=record, name=name,
                     inner_max_num_threads=inner_max_num_threads, verbose=verbose)
