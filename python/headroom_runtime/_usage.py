"""CPU time and peak memory of this process (and its finished children), for the trial record."""
import os

try:
    import resource
except ImportError:  # Windows
    resource = None


def cpu_seconds():
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def max_rss_bytes():
    if resource is None:
        return 0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(self_kb, children_kb) * 1024
