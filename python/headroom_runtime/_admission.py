"""How many tasks may run at once, and why in words: the same rule and wording as the tuning engine's
admission (src/core/tuning/admission.ts), as a pure function so it is testable without processes.
"""
import math

GIB = 1024**3
MIB = 1024**2


def format_bytes(n):
    """As src/core/format.ts formatBytes: binary units, 2/1/0 decimals below 10/100/1024."""
    sign = "-" if n < 0 else ""
    value, unit = abs(n), 0
    units = ["B", "KiB", "MiB", "GiB", "TiB"]
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        return "%s%d B" % (sign, round(value))
    digits = 0 if value >= 100 else 1 if value >= 10 else 2
    return "%s%.*f %s" % (sign, digits, value, units[unit])


def decide(slots, cores, threads, guard_limit, running, idle_bytes, available, reserve, budget, forecast, queued, now_ms):
    """running: [(forecast_bytes, current_bytes)] of the tasks running; forecast: the next task's bytes.

    Returns a ConcurrencyDecision dict (protocol.ts) that the run panel plots.
    """
    n = len(running)
    growth = sum(max(0, f - c) for f, c in running)
    headroom = available - reserve - growth
    committed = sum(max(f, c) for f, c in running) + idle_bytes

    def fit(room):
        return max(0, int(room // forecast)) if forecast > 0 else math.inf

    candidates = [("cpu", slots), ("guard", guard_limit), ("memory", n + fit(headroom))]
    if budget is not None:
        candidates.append(("budget", n + fit(budget - committed)))
    bound, allowed = candidates[0]
    for b, k in candidates:
        if k < allowed:
            bound, allowed = b, k
    # One task may always run when nothing runs: one too big for memory is the guard's to catch.
    if allowed < 1 and n == 0:
        allowed = 1
    allowed = int(max(0, min(allowed, slots)))
    of = "%d of %d slot%s" % (allowed, slots, "" if slots == 1 else "s")
    if bound == "cpu":
        # joblib's inner_max_num_threads caps BLAS/OpenMP in each worker; a nested joblib call there
        # runs on threads, so unlike a tuning trial's, n_jobs=-1 inside a task is not capped.
        reason = "%s: CPU-bound, %d core%s, %d thread%s per task (BLAS and OpenMP capped to %d)" % (
            of, cores, "" if cores == 1 else "s", threads, "" if threads == 1 else "s", threads)
    elif bound == "guard":
        reason = "%s: lowered by the memory guard after memory ran short" % of
    elif bound == "memory":
        reason = "%s: memory-bound, %s available, %s per task" % (of, format_bytes(max(0, available - reserve)), format_bytes(forecast))
    else:
        reason = "%s: budget-bound, %s of the %s budget left, %s per task" % (
            of, format_bytes(max(0, budget - committed)), format_bytes(budget), format_bytes(forecast))
    if queued == 0 and n > 0 and bound != "guard":
        reason += " (queue empty)"
    return {
        "at": now_ms,
        "allowed": allowed,
        "slots": slots,
        "running": n,
        "bound": bound,
        "availableBytes": int(available),
        "perTrialBytes": int(forecast),
        "budgetBytes": int(budget if budget is not None else max(0, available - reserve)),
        "reason": reason,
    }


def p95(values):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def forecast(data_estimate, finished_peaks, running_peak=None):
    """The data's estimate until a task has finished, then the p95 of measured peaks (or a running one, if larger)."""
    measured = p95(finished_peaks)
    base = measured if measured is not None else data_estimate
    return max(base or 0, running_peak or 0)


def guard(running, available, critical, used, budget):
    """running: [(task_key, started_at)]. Which task to stop now (the newest), and why; None to do nothing.

    Never stops the only running task: it could only run again alone, and the search must finish.
    """
    if len(running) < 2:
        return None
    newest = max(running, key=lambda r: r[1])[0]
    if available < critical:
        return newest, "stopped for memory: %s available, below the %s critical line; it runs again later" % (
            format_bytes(available), format_bytes(critical))
    if budget is not None and used > budget:
        return newest, "stopped for memory: tasks use %s, over the %s budget; it runs again later" % (
            format_bytes(used), format_bytes(budget))
    return None


class StableDecisions:
    """The decisions a run states (its timeline, the panel's reason line), from the ones admission makes
    every tick: a change of the limit or of its bound is stated once it has held for HOLD_S over checks
    no more than GAP_S apart, dated from when it began; the memory guard's at once.

    Without this, each finished task flipped the statement between budget-bound and CPU-bound: for a
    moment after a task ends its worker still holds the task's memory, so the budget has room for one
    task less, and the next reading has room again. A limit that lasts less than a second is no limit
    on how many tasks run, and saying so was neither stable nor true.
    """

    HOLD_S = 1.0
    GAP_S = 0.5

    def __init__(self, hold_s=HOLD_S):
        self.hold_s = hold_s
        self.stated = None
        self._pending = None  # (key, since_s, first decision, last check_s)

    def offer(self, decision, now_s):
        """The decision to state now, or None."""
        key = (decision["allowed"], decision["bound"])
        if self.stated is not None and key == (self.stated["allowed"], self.stated["bound"]):
            self._pending = None
            return None
        if self.stated is None or decision["bound"] == "guard":
            return self._state(decision)
        pending = self._pending
        if pending is None or pending[0] != key or now_s - pending[3] > self.GAP_S:
            self._pending = (key, now_s, decision, now_s)
            return None
        self._pending = (key, pending[1], pending[2], now_s)
        if now_s - pending[1] < self.hold_s:
            return None
        return self._state(dict(decision, at=pending[2]["at"]))

    def _state(self, decision):
        self._pending = None
        self.stated = decision
        return decision
