"""Pipe to the Headroom engine: JSON lines out on HEADROOM_OUT_FD, in on HEADROOM_IN_FD.

A reader thread owns the input pipe. When the engine goes away (crash, window reload) the pipe
reaches EOF and the thread kills the trial's whole process group, so no trial outlives its engine.
"""
import json
import math
import os
import queue
import signal
import threading

_out_fd = int(os.environ.get("HEADROOM_OUT_FD") or -1)
_in_fd = int(os.environ.get("HEADROOM_IN_FD") or -1)
_inbox = queue.Queue()
_lock = threading.Lock()
_reader = None


def connected():
    return _out_fd >= 0


def clean_metrics(metrics):
    """Numbers only (numpy scalars included); NaN and infinities become None so the JSON stays valid."""
    out = {}
    for key, value in metrics.items():
        if isinstance(value, bool):
            value = float(value)
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        out[str(key)] = number if math.isfinite(number) else None
    return out


def non_finite(metrics):
    """The metrics that clean_metrics turned into None because they were NaN or infinite: {name: 'NaN' | 'inf' | '-inf'}."""
    out = {}
    for key, value in metrics.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(number):
            out[str(key)] = "NaN" if math.isnan(number) else ("inf" if number > 0 else "-inf")
    return out


def send(message):
    if _out_fd < 0:
        return
    data = (json.dumps(message, allow_nan=False, default=str) + "\n").encode("utf-8")
    with _lock:
        view = memoryview(data)
        try:
            while view:
                written = os.write(_out_fd, view)
                view = view[written:]
        except OSError:
            # A child process that inherited the variables but not the pipe, or an engine already gone.
            pass


def _read_loop():
    buffer = b""
    while True:
        try:
            chunk = os.read(_in_fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                _inbox.put(json.loads(line))
    _inbox.put(None)
    # The engine is gone: take the whole process group (the trial and anything it started) with it.
    try:
        os.killpg(os.getpgrp(), signal.SIGKILL)
    except OSError:
        os._exit(137)


def start_reader():
    global _reader
    if _reader is None and _in_fd >= 0:
        _reader = threading.Thread(target=_read_loop, name="headroom-engine-pipe", daemon=True)
        _reader.start()


def receive(timeout=None):
    """Next message from the engine; None at EOF."""
    return _inbox.get(timeout=timeout)
