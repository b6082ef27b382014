"""The run a HeadroomBackend records (mixed into it): which joblib calls it ran, their totals, and one
trials.jsonl record per call of each finished, failed, stopped or cancelled batch.
"""
import os
import sys
import time

from . import _runlog, _task


class RecordingMixin:
    def _note_call(self, descriptions):
        first = descriptions[0]
        known = first["total"]
        totals = self._call_totals.setdefault(self._call, [0, None])
        totals[0] += len(descriptions)
        if known is not None:
            totals[1] = known
        if not self._run_decided:
            self._run_decided = True
            self._run = self._open_run(first)

    def _total(self):
        return sum(max(n, known or 0) for n, known in self._call_totals.values())

    def _open_run(self, first):
        if self.record is False:
            return None
        script = _runlog.script_path()
        starts = ([os.path.dirname(script)] if script else []) + [os.getcwd()]
        workspace = self.record if isinstance(self.record, str) else _runlog.find_workspace(starts)
        if workspace is None:
            return None
        base = os.path.basename(script) if script else "python"
        name = self.name or ("%s · %s" % (base, first["estimator"]) if first["estimator"] else base)
        kind = first.get("search") or ""
        search = "halving" if "Halving" in kind else "random" if "Randomized" in kind else "grid"
        self._halving = search == "halving"
        try:
            return _runlog.RunLog(workspace, name, script, search, first["metric"], self.slots, self.threads, self.memory_budget)
        except OSError as error:
            if self.verbose:
                print("headroom: not recording the run: %s" % error, file=sys.stderr)
            return None

    def _record(self, task, stats, status, final, error, now, results=None):
        if self._run is None:
            return
        for i, description in enumerate(task.descriptions):
            s = stats[i] if stats and i < len(stats) else None
            value, metrics, item_status, item_error = None, {}, status, error
            if results is not None and i < len(results):
                item_status, value, metrics, item_error = _task.outcome(results[i], description)
            trial_id = description["key"] if task.call == 0 else "r%d-%s" % (task.call, description["key"])
            self._run.trial(_runlog.trial_record(
                trial_id, task.attempt, description["params"], task.call if self._is_halving() else 0,
                item_status, final, metrics, value, item_error,
                s["startedAt"] if s else (task.started or now), s["endedAt"] if s else now,
                s["cpuSeconds"] if s else None, (s["peakRssBytes"] or s["peakAnonBytes"]) if s else None,
                task.peak_pss or None))
        self._meta_dirty = self._meta_dirty or time.time()

    def _is_halving(self):
        return getattr(self, "_halving", False)
