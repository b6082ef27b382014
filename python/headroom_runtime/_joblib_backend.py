"""The "headroom" joblib backend: joblib's loky workers and memory-mapping pickler, with each task
started only when its memory forecast fits (admission as for tuning runs) and the search recorded as a
Headroom run. Results are the batch's own return values: only the scheduling differs.

Each worker is a one-process loky executor (a "lane"), so the memory guard can stop one task (the
newest) by killing its worker without breaking the others' executor, and run the task again later.
This file is joblib's interface; the controller is in _scheduling.py, the workers in _lanes.py, the
run's files in _recording.py.
"""
import atexit
import collections
import os
import threading
import time
import weakref
from concurrent.futures import Future

from joblib._memmapping_reducer import TemporaryResourcesManager, get_memmapping_reducers
from joblib._parallel_backends import (
    AutoBatchingMixin,
    FallbackToBackend,
    ParallelBackendBase,
    SequentialBackend,
)
from joblib._multiprocessing_helpers import mp

from . import _admission, _memory, _reaper, _task
from ._lanes import LanesMixin
from ._recording import RecordingMixin
from ._scheduling import SchedulingMixin

_live = weakref.WeakSet()

class HeadroomBackend(RecordingMixin, SchedulingMixin, LanesMixin, AutoBatchingMixin, ParallelBackendBase):
    """joblib backend: parallel_config(backend="headroom") or headroom_runtime.parallel()."""

    supports_retrieve_callback = True
    supports_inner_max_num_threads = True
    # n_jobs=None stays sequential, as scikit-learn documents; only the calls that ask for workers get them.
    default_n_jobs = 1

    def __init__(self, memory_budget=None, reserve=None, record=None, name=None, verbose=False, **kwargs):
        super().__init__(**kwargs)
        self.memory_budget = _memory.parse_bytes(memory_budget if memory_budget is not None else os.environ.get("HEADROOM_MEMORY_BUDGET"))
        self.reserve_override = _memory.parse_bytes(reserve)
        self.record = record
        self.name = name
        self.verbose = verbose
        self.cores = _memory.cpu_count()
        self.slots = 1
        self.threads = 1
        self._lock = threading.RLock()
        # Loky calls the done-callbacks from its own thread, possibly holding its locks: they only queue
        # the future here and wake the controller, which does the rest (no lock order to get wrong).
        self._kick = threading.Event()
        self._done = collections.deque()
        self._queue = collections.deque()
        self._lanes = []
        self._peaks = []
        # Memory of an idle worker (interpreter, imports), as measured: what a new worker adds before its task.
        self._worker_base = 0
        self._guard_limit = float("inf")
        self._controller = None
        self._closed = False
        self._in_call = False
        self._manager = None
        self._reducers = None
        self._reducer_args = None
        self._env = None
        self._counter = 0
        self._call = -1
        self._call_totals = {}
        self._run = None
        self._run_decided = False
        self._error = None
        self._aborted = False
        self._stable = _admission.StableDecisions()
        self._last_usage = 0.0
        self._meta_dirty = 0.0
        self._cpu_at = None
        self.decisions = []
        self.peak_workers_pss = 0
        _live.add(self)

    # -- joblib's backend interface -------------------------------------------------------------

    def effective_n_jobs(self, n_jobs):
        if n_jobs == 0:
            raise ValueError("n_jobs == 0 in Parallel has no meaning")
        if mp is None or n_jobs is None:
            return 1
        if mp.current_process().daemon or not (self.in_main_thread() or self.nesting_level == 0):
            return 1
        if n_jobs < 0:
            n_jobs = max(self.cores + 1 + n_jobs, 1)
        # Workers x BLAS threads never exceed the cores.
        return max(1, min(n_jobs, self.cores))

    def configure(self, n_jobs=1, parallel=None, prefer=None, require=None, **backend_kwargs):
        n = self.effective_n_jobs(n_jobs)
        if n == 1:
            raise FallbackToBackend(SequentialBackend(nesting_level=self.nesting_level))
        self.parallel = parallel
        with self._lock:
            self.slots = n
            self.threads = self.inner_max_num_threads or max(1, self.cores // n)
            env = {var: str(self.threads) for var in self.MAX_NUM_THREADS_VARS}
            if self.TBB_ENABLE_IPC_VAR not in os.environ:
                env[self.TBB_ENABLE_IPC_VAR] = "1"
            args = {k: backend_kwargs[k] for k in ("max_nbytes", "mmap_mode", "temp_folder") if k in backend_kwargs}
            if self._manager is None or args != self._reducer_args or env != self._env:
                self._shutdown_lanes()
                self._manager = TemporaryResourcesManager(args.get("temp_folder"))
                self._reducers = get_memmapping_reducers(
                    unlink_on_gc_collect=True,
                    temp_folder_resolver=self._manager.resolve_temp_folder_name,
                    max_nbytes=args.get("max_nbytes", 1e6),
                    mmap_mode=args.get("mmap_mode", "r"),
                )
                self._reducer_args, self._env = args, env
            self._manager.set_current_context(parallel._id)
            while len(self._lanes) < n:
                self._lanes.append(_task.Lane(len(self._lanes)))
            self._closed = False
            self._ensure_controller()
        return n

    def start_call(self):
        with self._lock:
            self._call += 1
            self._in_call = True
            self._aborted = False
            self._error = None
            self._guard_limit = float("inf")
            if self._run is not None:
                self._run.write_meta(status="running", endedAt=None)

    def stop_call(self):
        with self._lock:
            self._in_call = False
            # After an abort (a task's error, Ctrl+C) the run already says failed or stopped.
            if self._run is not None and not self._aborted:
                self._run.write_meta(status="failed" if self._error else "done", endedAt=int(time.time() * 1000), total=self._total(), **({"error": self._error} if self._error else {}))

    def submit(self, func, callback=None):
        outer = Future()
        if callback is not None:
            outer.add_done_callback(callback)
        items = getattr(func, "items", None)
        with self._lock:
            if items is None:
                items = [(func, (), {})]
            descriptions = [_task.describe(f, a, k, self._counter + i) for i, (f, a, k) in enumerate(items)]
            self._counter += len(items)
            task = _task.Task(func, outer, descriptions, _task.data_estimate(items), self._call)
            self._note_call(descriptions)
            self._queue.append(task)
            self._ensure_controller()
        self._kick.set()
        return outer

    def retrieve_result_callback(self, future):
        return future.result()

    def abort_everything(self, ensure_ready=True):
        with self._lock:
            self._aborted = True
            queued = list(self._queue)
            self._queue.clear()
            running = [lane.task for lane in self._lanes if lane.task is not None]
            for task in running:
                task.stop_note = "cancelled: the search stopped"
            if self._run is not None:
                now = time.time()
                for task in running:
                    self._record(task, None, "cancelled", False, task.stop_note, now)
                status = "failed" if self._error else "stopped"
                self._run.write_meta(status=status, endedAt=int(now * 1000), total=self._total(), **({"error": self._error} if self._error else {}))
            self._shutdown_lanes()
        for task in queued:
            task.outer.cancel()
        if not ensure_ready:
            self.shutdown()

    def terminate(self):
        with self._lock:
            if self._manager is not None and self.parallel is not None:
                self._manager._clean_temporary_resources(context_id=self.parallel._id, force=False)
        self.reset_batch_stats()

    def shutdown(self):
        """Kills the workers and stops the controller (end of `with headroom_runtime.parallel()`)."""
        with self._lock:
            self._closed = True
            self._shutdown_lanes()
            if self._manager is not None:
                self._manager._clean_temporary_resources(force=True, allow_non_empty=True)
        self._kick.set()
        controller = self._controller
        if controller is not None and controller is not threading.current_thread():
            controller.join(timeout=5)
        # No backend left with workers: the reaper has nothing to watch (a later backend starts it again).
        if all(b._closed for b in list(_live)):
            _reaper.close()


@atexit.register
def _shutdown_all():
    for backend in list(_live):
        try:
            backend.shutdown()
        except Exception:
            pass
    _reaper.close()
