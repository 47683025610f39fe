"""OCPP meter values (1.6 and 2.0.1) to telemetry samples.

Stations report many measurands; the console charts six. Others are skipped, and so is a value
that cannot be read as a number, rather than failing the whole message: a station's answer must
not depend on one odd sampled value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ema_server.telemetry import Sample

MEASURANDS = {
    "Energy.Active.Import.Register": "energy",
    "Power.Active.Import": "power",
    "Current.Import": "current",
    "Voltage": "voltage",
    "SoC": "soc",
    "Temperature": "temperature",
}
DEFAULT_MEASURAND = "Energy.Active.Import.Register"
DEFAULT_UNITS = {"energy": "Wh", "power": "W", "current": "A", "voltage": "V", "soc": "Percent",
                 "temperature": "Celsius"}  # fmt: skip
PHASES = {"L1": "L1", "L2": "L2", "L3": "L3", "L1-N": "L1", "L2-N": "L2", "L3-N": "L3"}


def parse_time(value: str) -> datetime | None:
    """An OCPP dateTime (RFC 3339, 'Z' or an offset) as an aware datetime; None if unreadable."""
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    return at if at.tzinfo is not None else None


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def samples_16(meter_values: Iterable[dict[str, Any]], connector_no: int, fallback: datetime) -> list[Sample]:
    """Samples from 1.6 MeterValues/StopTransaction `meterValue`/`transactionData` entries."""
    samples = []
    for entry in meter_values:
        at = parse_time(entry.get("timestamp", "")) or fallback
        for sampled in entry.get("sampledValue", []):
            sample = _sample(sampled.get("measurand", DEFAULT_MEASURAND), _number(sampled.get("value")),
                             sampled.get("unit"), sampled.get("phase"), connector_no, at)
            if sample is not None:
                samples.append(sample)
    return samples


def samples_201(meter_values: Iterable[dict[str, Any]], connector_no: int, fallback: datetime) -> list[Sample]:
    """Samples from 2.0.1 MeterValues/TransactionEvent `meterValue` entries (unitOfMeasure with a
    power-of-ten multiplier)."""
    samples = []
    for entry in meter_values:
        at = parse_time(entry.get("timestamp", "")) or fallback
        for sampled in entry.get("sampledValue", []):
            value = _number(sampled.get("value"))
            unit_of_measure = sampled.get("unitOfMeasure") or {}
            multiplier = unit_of_measure.get("multiplier", 0)
            if value is not None and isinstance(multiplier, int) and -9 <= multiplier <= 9:
                value *= 10.0**multiplier
            sample = _sample(sampled.get("measurand", DEFAULT_MEASURAND), value, unit_of_measure.get("unit"),
                             sampled.get("phase"), connector_no, at)
            if sample is not None:
                samples.append(sample)
    return samples


def _sample(measurand: str, value: float | None, unit: str | None, phase: str | None, connector_no: int,
            at: datetime) -> Sample | None:
    name = MEASURANDS.get(measurand)
    if name is None or value is None:
        return None
    if phase is not None and phase not in PHASES:
        return None  # line-to-line voltages and neutral currents are not charted
    # A unit telemetry cannot convert makes record_samples skip the sample.
    unit = unit or DEFAULT_UNITS[name]
    return Sample(at=at, measurand=name, value=value, connector_no=connector_no, phase=PHASES.get(phase or "", ""),
                  unit=unit)


def energy_wh(samples: Iterable[Sample]) -> float | None:
    """The latest energy register reading among samples, in Wh."""
    latest: Sample | None = None
    for sample in samples:
        if sample.measurand == "energy" and sample.phase == "" and (latest is None or sample.at >= latest.at):
            latest = sample
    if latest is None:
        return None
    return latest.value * (1000.0 if latest.unit == "kWh" else 1.0)
