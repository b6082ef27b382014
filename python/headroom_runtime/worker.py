"""Objective mode: `python -m headroom_runtime.worker MODULE FUNCTION`.

Imports MODULE once (its data loading, imports and warm-up are paid once per worker), then runs
one trial per message from the engine: objective(params) -> a number or a dict of metrics.
"""
import importlib
import os
import sys
import time
import traceback

from . import TrialPruned, _begin_trial, _channel, _state, _usage


# Written to stdout and stderr after each trial: tells the engine the trial's output is complete.
_END_MARK = b"\x1e\x1fheadroom-trial-end\x1f\x1e"


def _flush():
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass


def _end_of_output():
    _flush()
    for fd in (1, 2):
        try:
            os.write(fd, _END_MARK)
        except OSError:
            pass


def _raw_metrics(value, metric):
    if value is None:
        return None
    return value if isinstance(value, dict) else {metric: value}


def main():
    module_name, func_name = sys.argv[1], sys.argv[2]
    sys.path.insert(0, os.getcwd())
    _channel.start_reader()
    try:
        module = importlib.import_module(module_name)
        objective = getattr(module, func_name)
    except BaseException:
        _flush()
        _channel.send({"type": "fatal", "error": "cannot load objective %s:%s\n%s" % (module_name, func_name, traceback.format_exc())})
        return 1
    _channel.send({"type": "ready", "pid": os.getpid()})
    while True:
        message = _channel.receive()
        if message is None or message.get("type") == "exit":
            return 0
        if message.get("type") != "trial":
            continue
        _begin_trial(message)
        cpu0, wall0 = _usage.cpu_seconds(), time.time()
        try:
            value = objective(dict(message["params"]))
            _flush()
            raw = _raw_metrics(value, message["metric"])
            if raw is None:
                reply = {"type": "result", "metrics": _state["final"] or {}, "nonFinite": _state.get("nonFinite") or {}}
            else:
                reply = {"type": "result", "metrics": _channel.clean_metrics(raw), "nonFinite": _channel.non_finite(raw)}
        except TrialPruned as pruned:
            _flush()
            reply = {"type": "pruned", "error": str(pruned)}
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            traceback.print_exc()
            _flush()
            reply = {"type": "error", "error": "%s: %s" % (type(error).__name__, error)}
        reply["cpuSeconds"] = _usage.cpu_seconds() - cpu0
        reply["wallSeconds"] = time.time() - wall0
        reply["maxRssBytes"] = _usage.max_rss_bytes()
        _end_of_output()
        _channel.send(reply)


if __name__ == "__main__":
    sys.exit(main())
