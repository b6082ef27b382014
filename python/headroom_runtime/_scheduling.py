"""The backend's controller (mixed into HeadroomBackend): one thread that, every tick or when a task
ends, reads memory, lets the guard stop the newest task when memory runs short, admits queued tasks
whose forecast fits (_admission.decide, the tuning engine's rule) and records usage and decisions.
"""
import sys
import threading
import time

from . import _admission, _memory

TICK_S = 0.1
USAGE_EVERY_S = 1.0
META_EVERY_S = 0.3


class SchedulingMixin:
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
            # Decided even when every lane is busy, so the run states what holds between tasks too.
            lane = next((l for l in self._lanes if l.task is None and l.alive()), None) or next(
                (l for l in self._lanes if l.task is None), None)
            task = self._queue[0]
            forecast = self._forecast(task)
            # A new worker also brings its interpreter: as big as the measured idle workers are.
            idle = [l for l in self._lanes if l.task is None and l.alive()]
            if lane is not None and not lane.alive():
                forecast += self._worker_base
            decision = _admission.decide(
                self.slots, self.cores, self.threads, self._guard_limit,
                # Whole workers on both sides: what a running one was expected to reach, what it holds now
                # (memory-mapped data it reads included).
                [(t.start_pss + t.forecast, t.lane.pss if t.lane else 0) for t in running],
                sum(l.pss for l in idle), available, reserve, self.memory_budget, forecast,
                len(self._queue) - 1, int(time.time() * 1000))
            self._note_decision(decision)
            if lane is None or len(running) >= decision["allowed"]:
                return
            self._queue.popleft()
            task.forecast = forecast
            self._start(task, lane)
            running.append(task)

    def _note_decision(self, decision):
        # Admission acts on every decision; the run states a change only once it has held (see StableDecisions).
        decision = self._stable.offer(decision, time.time())
        if decision is None:
            return
        self.decisions.append(decision)
        if self._run is not None:
            self._run.decision(decision)
        if self.verbose:
            print("headroom: %s" % decision["reason"], file=sys.stderr)
