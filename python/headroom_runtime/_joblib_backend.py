"""The "headroom" joblib backend: joblib's loky workers and memory-mapping pickler, with each task
started only when its memory forecast fits (admission as for tuning runs) and the search recorded as a
Headroom run. Results are the batch's own return values: only the scheduling differs.

Each worker is a one-process loky executor (a "lane"), so the memory guard can stop one task (the
newest) by killing its worker without breaking the others' executor, and run the task again later.
"""
import atexit
import collections
import os
import signal
import sys
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
from joblib.externals.loky.backend.reduction import dumps
from joblib.externals.loky.process_executor import ProcessPoolExecutor

from . import _admission, _memory, _task
from ._recording import RecordingMixin

TICK_S = 0.1
USAGE_EVERY_S = 1.0
META_EVERY_S = 0.3
_live = weakref.WeakSet()


class HeadroomBackend(RecordingMixin, AutoBatchingMixin, ParallelBackendBase):
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
        self._last_decision = None
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

    # -- scheduling ------------------------------------------------------------------------------

    def _ensure_controller(self):
        if self._controller is None or not self._controller.is_alive():
            self._controller = threading.Thread(target=self._control_loop, name="headroom-admission", daemon=True)
            self._controller.start()

    def _control_loop(self):
        while True:
            self._kick.wait(TICK_S)
            self._kick.clear()
            deliveries = []
            with self._lock:
                if self._closed:
                    self._controller = None
                    return
                while self._done:
                    deliveries.append(self._complete(*self._done.popleft()))
                try:
                    self._tick()
                except Exception as error:  # a reading that failed must not stop the search
                    if self.verbose:
                        print("headroom: admission tick failed: %r" % (error,), file=sys.stderr)
                idle = not self._in_call and not self._queue and not self._done and all(l.task is None for l in self._lanes)
                stop = idle and self._meta_dirty == 0
                if stop:
                    self._controller = None
            # Outside the lock: joblib's callback dispatches the next batch through submit().
            for outer, method, value in filter(None, deliveries):
                if not outer.cancelled():
                    method(value)
            if stop:
                return

    def _tick(self):
        now = time.time()
        total, available, _source = _memory.read_memory()
        reserve = self.reserve_override if self.reserve_override is not None else _memory.default_reserve(total)
        critical = reserve // 4
        used = 0
        for lane in self._lanes:
            if lane.pid is not None:
                pss, anon = _memory.process_memory(lane.pid)
                lane.pss = pss if pss is not None else anon
                used += lane.pss
                if lane.task is not None:
                    lane.task.peak_pss = max(lane.task.peak_pss, lane.pss)
                else:
                    self._worker_base = max(self._worker_base, lane.pss)
        self.peak_workers_pss = max(self.peak_workers_pss, used)
        running = [lane.task for lane in self._lanes if lane.task is not None]
        stop = _admission.guard([(t, t.started) for t in running], available, critical, used, self.memory_budget)
        if stop is not None:
            task, note = stop
            self._guard_limit = max(1, len(running) - 1)
            self._stop_for_memory(task, note)
            running.remove(task)
        self._admit(available, reserve, running)
        if self._run is not None:
            if now - self._last_usage >= USAGE_EVERY_S:
                self._usage_point(now, used, len(running))
            if self._meta_dirty and now - self._meta_dirty >= 0 and now - getattr(self, "_meta_at", 0) >= META_EVERY_S:
                self._meta_at = now
                self._meta_dirty = 0
                self._run.write_meta(total=self._total(), updatedAt=int(now * 1000))

    def _usage_point(self, now, used, running):
        cpu = 0.0
        for lane in self._lanes:
            seconds = _memory.process_cpu_seconds(lane.pid) if lane.pid else None
            if seconds is not None and lane.cpu is not None:
                cpu += max(0.0, seconds - lane.cpu[0]) / max(1e-3, now - lane.cpu[1]) * 100
            lane.cpu = (seconds, now) if seconds is not None else None
        self._last_usage = now
        self._run.usage(int(now * 1000), used, round(cpu, 1), running)

    def _forecast(self, task):
        return _admission.forecast(task.estimate, self._peaks)

    def _admit(self, available, reserve, running):
        while self._queue and not self._closed:
            lane = next((l for l in self._lanes if l.task is None and l.alive()), None) or next(
                (l for l in self._lanes if l.task is None), None)
            if lane is None:
                return
            task = self._queue[0]
            forecast = self._forecast(task)
            # A new worker also brings its interpreter: as big as the measured idle workers are.
            idle = [l for l in self._lanes if l.task is None and l.alive()]
            if not lane.alive():
                forecast += self._worker_base
            decision = _admission.decide(
                self.slots, self.cores, self.threads, self._guard_limit,
                # Whole workers on both sides: what a running one was expected to reach, what it holds now
                # (memory-mapped data it reads included).
                [(t.start_pss + t.forecast, t.lane.pss if t.lane else 0) for t in running],
                sum(l.pss for l in idle), available, reserve, self.memory_budget, forecast,
                len(self._queue) - 1, int(time.time() * 1000))
            self._note_decision(decision)
            if len(running) >= decision["allowed"]:
                return
            self._queue.popleft()
            task.forecast = forecast
            self._start(task, lane)
            running.append(task)

    def _note_decision(self, decision):
        key = (decision["allowed"], decision["bound"])
        if self._last_decision == key:
            return
        self._last_decision = key
        self.decisions.append(decision)
        if self._run is not None:
            self._run.decision(decision)
        if self.verbose:
            print("headroom: %s" % decision["reason"], file=sys.stderr)

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
        lane.pid = next(iter(lane.executor._processes), lane.pid)
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
        executor, lane.executor, lane.pid = lane.executor, None, None
        lane.pss = 0
        if executor is not None:
            try:
                executor.shutdown(wait=False, kill_workers=True)
            except Exception:
                pass

    def _shutdown_lanes(self):
        for lane in self._lanes:
            if lane.pid is not None:
                try:
                    os.kill(lane.pid, signal.SIGKILL)
                except OSError:
                    pass
            self._retire(lane)


@atexit.register
def _shutdown_all():
    for backend in list(_live):
        try:
            backend.shutdown()
        except Exception:
            pass
