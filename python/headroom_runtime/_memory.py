"""Memory and CPU readings for the joblib backend, the same ones the tuning engine takes (Linux /proc
and the cgroup files; plain fallbacks elsewhere). Cheap enough to call several times a second.
"""
import os

UNLIMITED = 2**60  # cgroup v1 reports "no limit" as a huge page-aligned number
GIB = 1024**3
MIB = 1024**2


def _read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def _stat_value(text, key):
    for line in (text or "").splitlines():
        name, _, value = line.partition(" ")
        if name == key:
            return int(value)
    return 0


def _cgroup_dirs(root="/sys/fs/cgroup"):
    v1 = v2 = None
    for line in (_read("/proc/self/cgroup") or "").splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        if parts[1] == "":
            v2 = parts[2]
        elif "memory" in parts[1].split(","):
            v1 = parts[2]
    dirs = [("v2", root)] + ([("v2", root + v2)] if v2 else [])
    dirs += [("v1", root + "/memory")] + ([("v1", root + "/memory" + v1)] if v1 else [])
    return dirs


def cgroup_memory():
    """(limit, used) of this process's cgroup, used = charged minus inactive file cache; None without a limit."""
    for kind, directory in _cgroup_dirs():
        if kind == "v2":
            limit = (_read(directory + "/memory.max") or "").strip()
            if not limit or limit == "max":
                continue
            current = int((_read(directory + "/memory.current") or "0").strip() or 0)
            inactive = _stat_value(_read(directory + "/memory.stat"), "inactive_file")
            return int(limit), max(0, current - inactive)
        text = (_read(directory + "/memory.limit_in_bytes") or "").strip()
        if not text or int(text) >= UNLIMITED:
            continue
        usage = int((_read(directory + "/memory.usage_in_bytes") or "0").strip() or 0)
        inactive = _stat_value(_read(directory + "/memory.stat"), "total_inactive_file")
        return int(text), max(0, usage - inactive)
    return None


def _meminfo():
    total = available = None
    for line in (_read("/proc/meminfo") or "").splitlines():
        if line.startswith("MemTotal:"):
            total = int(line.split()[1]) * 1024
        elif line.startswith("MemAvailable:"):
            available = int(line.split()[1]) * 1024
    if total is None:
        try:
            total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
            available = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")
        except (ValueError, OSError, AttributeError):
            total, available = 8 * GIB, 4 * GIB
    return total, available if available is not None else total


def read_memory():
    """(total, available, source): MemAvailable, or what is left under the cgroup limit when lower."""
    total, available = _meminfo()
    cgroup = cgroup_memory()
    if cgroup:
        limit, used = cgroup
        left = limit - used
        if left < available:
            return min(total, limit), max(0, left), "cgroup"
    return total, available, "host"


def default_reserve(total):
    """What is never handed to tasks: 10% of memory, at least 256 MiB, at most 2 GiB (as for tuning runs)."""
    return min(2 * GIB, max(256 * MIB, round(total * 0.1)))


def cpu_count():
    """Cores this process may use: affinity, then the cgroup CPU quota (v2 cpu.max, v1 cfs)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = None
    text = (_read("/sys/fs/cgroup/cpu.max") or "").split()
    if len(text) == 2 and text[0] != "max":
        quota = int(text[0]) / int(text[1])
    else:
        q = (_read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") or "").strip()
        p = (_read("/sys/fs/cgroup/cpu/cpu.cfs_period_us") or "").strip()
        if q and p and int(q) > 0:
            quota = int(q) / int(p)
    if quota:
        cores = min(cores, max(1, int(quota + 0.999)))
    return max(1, cores)


def process_memory(pid):
    """(pss, anonymous) bytes of one process; pss None where smaps_rollup is missing. (0, 0) when gone."""
    text = _read("/proc/%d/smaps_rollup" % pid)
    if text:
        pss = anon = 0
        for line in text.splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
            elif line.startswith("Anonymous:"):
                anon = int(line.split()[1]) * 1024
        return pss, anon
    statm = (_read("/proc/%d/statm" % pid) or "").split()
    if len(statm) < 3:
        return 0, 0
    page = os.sysconf("SC_PAGE_SIZE")
    return None, (int(statm[1]) - int(statm[2])) * page


def process_cpu_seconds(pid):
    """User + system CPU seconds of one process (and its waited-for children), None when unknown."""
    text = _read("/proc/%d/stat" % pid)
    if not text:
        return None
    fields = text.rsplit(")", 1)[-1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(v) for v in fields[11:15]) / ticks


def self_anonymous():
    """Anonymous resident bytes of this process (statm: resident minus shared), for the worker's own sampling."""
    statm = (_read("/proc/self/statm") or "").split()
    if len(statm) < 3:
        return 0
    return (int(statm[1]) - int(statm[2])) * os.sysconf("SC_PAGE_SIZE")


def reset_peak():
    """Resets this process's VmHWM (Linux 4.0+); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def self_peak_rss():
    for line in (_read("/proc/self/status") or "").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except Exception:
        return 0


def parse_bytes(value):
    """2147483648, "2G", "1.5GiB", "800M" -> bytes; None stays None."""
    if value is None or isinstance(value, (int, float)):
        return None if value is None else int(value)
    text = str(value).strip().upper().replace("IB", "").replace("B", "")
    units = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(float(text))
