"""The benchmark's figures: one result per page, export and import, a run per data size,
printed as one plain-text table and written as JSON."""

from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass, field


@dataclass
class PageResult:
    name: str
    url: str
    status: int
    queries: int
    cold_ms: float
    median_ms: float
    p95_ms: float
    bytes: int


@dataclass
class ThroughputResult:
    name: str
    rows: int
    seconds: float
    rows_per_s: float
    peak_mb: float
    start_mb: float
    copy_seconds: float | None = None
    copy_rows_per_s: float | None = None
    ratio_to_copy: float | None = None  # how many times slower than COPY
    ok: bool = True
    note: str = ""


@dataclass
class ComparisonResult:
    """One view asked of defrel and of Datasette on the same SQLite file (``datasettebench``):
    milliseconds of each side cold and warm (medians), and the meetings each counted."""

    name: str
    defrel_url: str
    datasette_url: str
    defrel_cold_ms: float
    datasette_cold_ms: float
    defrel_warm_ms: float
    datasette_warm_ms: float
    defrel_count: int | None = None
    datasette_count: int | None = None
    #: Whether the counts agree (defrel's is a lower bound past ``caching.COUNT_LIMIT``).
    same_count: bool = False
    note: str = ""


@dataclass
class Run:
    meetings: int
    vendor: str
    machine: dict
    synthesize_seconds: float | None = None
    load_average: list[float] = field(default_factory=list)  # 1-minute load, before/after
    pages: list[PageResult] = field(default_factory=list)
    export: ThroughputResult | None = None
    imports: ThroughputResult | None = None
    #: The other export paths (command, admin, JSON), each against COPY (``exportbench``).
    exports: list[ThroughputResult] = field(default_factory=list)
    #: defrel beside Datasette on the same file (SQLite only), and the Datasette measured.
    datasette: list[ComparisonResult] = field(default_factory=list)
    datasette_version: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def table(runs: list[Run]) -> str:
    """One plain-text table: a row per measurement, a column group per data size."""
    sizes = [f"{r.meetings:,}" for r in runs]
    out = io.StringIO()
    head = f"{'measurement':<34}" + "".join(f" | {s + ' meetings':^34}" for s in sizes)
    out.write(head + "\n")
    sub = f"{'':<34}" + " | q  cold ms  median ms   p95 ms   " * len(runs)
    out.write(sub.rstrip() + "\n" + "-" * len(head) + "\n")
    names = list(dict.fromkeys(p.name for r in runs for p in r.pages))
    for name in names:
        line = f"{name:<34}"
        for run in runs:
            page = next((p for p in run.pages if p.name == name), None)
            if page is None:
                line += f" | {'—':^34}"
                continue
            flag = "" if page.status == 200 else f" [{page.status}]"
            line += (
                f" | {page.queries:>2} {page.cold_ms:>8.1f} {page.median_ms:>10.1f} "
                f"{page.p95_ms:>8.1f}{flag:<5}"
            )
        out.write(line + "\n")
    for label, attr in (("export", "export"), ("import", "imports")):
        line = f"{label + ' rows/s peak(+step) ×COPY':<34}"
        for run in runs:
            line += _throughput(getattr(run, attr))
        out.write(line + "\n")
    for name in dict.fromkeys(e.name for r in runs for e in r.exports):
        line = f"{name[:34]:<34}"
        for run in runs:
            r = next((e for e in run.exports if e.name == name), None)
            line += _throughput(r)
        out.write(line + "\n")
    synth = f"{'synthesize seconds':<34}" + "".join(
        f" | {r.synthesize_seconds or 0:>10.1f}{'':<23}" for r in runs
    )
    out.write(synth + "\n")
    load = f"{'load average (1 min) before/after':<34}" + "".join(
        f" | {'/'.join(f'{x:.1f}' for x in r.load_average):>10}{'':<23}" for r in runs
    )
    out.write(load + "\n")
    return out.getvalue()


def _throughput(r: ThroughputResult | None) -> str:
    """One size's cell of a throughput row: rows/s, peak memory (+ the step's), ×COPY."""
    if r is None:
        return f" | {'—':^34}"
    ratio = f"{r.ratio_to_copy:.1f}×" if r.ratio_to_copy else "n/a"
    failed = "" if r.ok else " FAIL"
    peak = f"{r.peak_mb:.0f} (+{max(r.peak_mb - r.start_mb, 0):.0f})"
    return f" | {r.rows_per_s:>9,.0f} {peak:>11} {ratio:>6}{failed:<5}"


def write_json(runs: list[Run], path: str) -> None:
    with open(path, "w") as f:
        json.dump([r.as_dict() for r in runs], f, indent=2)
