"""How the benchmark measures: the process's peak memory, a step's throughput against COPY,
the machine, percentiles, and production settings (no debug query log)."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from .figures import ThroughputResult


def _status_kb(name: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakMemory:
    """Peak resident memory (MB) of this process during the block."""

    def __init__(self):
        self.peak_mb = 0.0
        self.start_mb = 0.0
        self._stop = threading.Event()

    def __enter__(self) -> PeakMemory:
        self.start_mb = (_status_kb("VmRSS") or 0) / 1024
        try:  # Linux: writing 5 resets the peak (VmHWM) to the current size.
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            self._reset = True
        except OSError:
            self._reset = False
        self._sampled = self.start_mb
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._sampled = max(self._sampled, (_status_kb("VmRSS") or 0) / 1024)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        hwm = (_status_kb("VmHWM") or 0) / 1024 if self._reset else 0.0
        self.peak_mb = max(hwm, self._sampled)


def throughput(
    name: str,
    rows: int,
    seconds: float,
    memory: PeakMemory,
    ok: bool,
    copy: Callable[[], tuple[int, float]],
    note: str = "",
) -> ThroughputResult:
    """A step's figures; on PostgreSQL also its rows by COPY, run straight after it.

    ``copy()`` does the COPY and gives the rows it wrote and its seconds (``ratio_to_copy``:
    how many times slower the step was); a different row count is noted.
    """
    result = ThroughputResult(
        name=name,
        rows=rows,
        seconds=seconds,
        rows_per_s=rows / seconds if seconds else 0.0,
        peak_mb=memory.peak_mb,
        start_mb=memory.start_mb,
        ok=ok,
        note=note,
    )
    if connection.vendor == "postgresql":
        copy_rows, copy_seconds = copy()
        result.copy_seconds = copy_seconds
        result.copy_rows_per_s = copy_rows / copy_seconds
        result.ratio_to_copy = seconds / copy_seconds
        if copy_rows != rows:
            result.note = f"COPY wrote {copy_rows:,} rows"
    return result


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "python": os.sys.version.split()[0]}
    try:
        with open("/proc/cpuinfo") as cpu:
            for line in cpu:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        info["memory_gb"] = round((_status_meminfo("MemTotal") or 0) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["database"] = f"PostgreSQL {cursor.fetchone()[0]}"
            cursor.execute("SHOW shared_buffers")
            info["shared_buffers"] = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            info["database"] = f"SQLite {cursor.fetchone()[0]}"
    return info


def _status_meminfo(name: str) -> int | None:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return None


def release_memory() -> None:
    """Give freed memory back to the system, so a step's peak starts from what is live."""
    gc.collect()
    # glibc keeps freed heap; trimming it makes the resident size a fair baseline.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def settings_for_benchmark() -> None:
    """Measure production behaviour: no debug query log, no template debug."""
    settings.DEBUG = False
    for engine in settings.TEMPLATES:
        engine.setdefault("OPTIONS", {})["debug"] = False
