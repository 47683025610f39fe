"""Percentiles and the one-line figure format every benchmark prints."""

from __future__ import annotations

import statistics


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(name: str, figure: str, baseline: str = "", ratio: float | None = None, target: str = "") -> None:
    parts = [f"{name:<44} {figure}"]
    if baseline:
        parts.append(f"baseline {baseline}")
    if ratio is not None:
        parts.append(f"ratio {ratio:.2f}x")
    if target:
        parts.append(f"target {target}")
    print(" | ".join(parts), flush=True)
