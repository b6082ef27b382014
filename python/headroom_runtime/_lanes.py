"""The backend's worker processes (mixed into HeadroomBackend): each lane is a one-worker loky
executor; a task is pickled here and run there; a lane whose worker died or was stopped for memory is
retired and started afresh. Every worker is registered with the reaper (_reaper.py), so none outlives
this process, however it ends.
"""
import os
import signal
import time

from joblib.externals.loky.backend.reduction import dumps
from joblib.externals.loky.process_executor import ProcessPoolExecutor

from . import _reaper, _task


class LanesMixin:
    def _start(self, task, lane):
        if lane.executor is None:
            job_reducers, result_reducers = self._reducers
            lane.executor = ProcessPoolExecutor(
                max_workers=1, job_reducers=job_reducers, result_reducers=result_reducers, timeout=300, env=self._env)
            lane.pid = None
        task.lane = lane
        task.started = time.time()
        task.start_pss = lane.pss if lane.pid is not None else 0
        task.peak_pss = 0
        lane.task = task
        # Pickled here, one task at a time, with joblib's memory-mapping reducers: each lane's executor
        # would otherwise pickle in its own thread, and two threads dumping the same large array to the
        # shared temporary folder at once could hand a worker a half-written file.
        payload = _task.Payload(bytes(dumps(_task.HeadroomBatch(task.batch), reducers=self._reducers[0])))
        future = lane.executor.submit(payload)
        pid = next(iter(lane.executor._processes), lane.pid)
        if pid is not None and pid != lane.pid:
            _reaper.watch(pid)
        lane.pid = pid
        task.future = future
        future.add_done_callback(lambda f, task=task, lane=lane: (self._done.append((task, lane, f)), self._kick.set()))

    def _stop_for_memory(self, task, note):
        """Kills the task's worker; _finished puts the task back in the queue."""
        task.stop_note = note
        lane = task.lane
        if lane.pid is not None:
            try:
                os.kill(lane.pid, signal.SIGKILL)
            except OSError:
                pass

    def _complete(self, task, lane, future):
        """A lane's future is done (controller thread, lock held): what to hand joblib, or None."""
        if lane.task is task:
            lane.task = None
        now = time.time()
        error = future.exception() if not future.cancelled() else None
        if error is not None or future.cancelled():
            self._retire(lane)
        if task.stop_note is not None:
            if task.stop_note.startswith("stopped for memory") and not self._closed:
                self._record(task, None, "killed", False, task.stop_note, now)
                task.attempt += 1
                task.stop_note = None
                self._queue.appendleft(task)
            return None
        if error is not None:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            self._error = "%s: %s" % (type(error).__name__, first)
            self._record(task, None, "failed", True, self._error, now)
            return task.outer, task.outer.set_exception, error
        results, stats = future.result()
        for s in stats:
            self._peaks.append(max(0, s["peakAnonBytes"] - s["startAnonBytes"]))
        self._record(task, stats, "done", True, None, now, results)
        return task.outer, task.outer.set_result, results

    def _retire(self, lane):
        executor, pid, lane.executor, lane.pid = lane.executor, lane.pid, None, None
        lane.pss = 0
        if executor is not None:
            try:
                executor.shutdown(wait=False, kill_workers=True)
            except Exception:
                pass
        if pid is not None:
            _reaper.forget(pid)

    def _shutdown_lanes(self):
        for lane in self._lanes:
            if lane.pid is not None:
                try:
                    os.kill(lane.pid, signal.SIGKILL)
                except OSError:
                    pass
            self._retire(lane)

