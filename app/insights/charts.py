"""The insights as bar charts: plain SVG drawn by the template (charts.html), sized here.

pygal was tried first: it adds a finder without find_spec to sys.meta_path, which breaks
pytest's importlib mode, and bars are all these charts need.
"""

from dataclasses import dataclass
from typing import Any

WIDTH, BAR, GAP, LABEL = 360, 22, 8, 110


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    y: int
    width: float


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    unit: str = ""


def charts(figures: dict[str, Any]) -> list[Chart]:
    """The page's charts, in order; every bar scaled against the largest of its chart."""
    rate = figures["first_time_fix"]["rate"]
    return [
        _chart("First-time fix", {"rate": round(100 * (rate or 0), 1)}, unit=" %", top=100),
        _chart("Contacts before resolution", figures["attempts_before_resolution"]),
        _chart("Channels before resolution", figures["channels_before_resolution"]),
        _chart("Visits by outcome", figures["visits_by_outcome"]),
        _chart("Wrong-technician refusals", figures["wrong_technician_refusals"]["by_reason"]),
        _chart("Messages", figures["messages"]),
    ]


def _chart(title: str, counts: dict[str, float], *, unit: str = "", top: float = 0) -> Chart:
    top = max([top, *counts.values(), 1])
    scale = (WIDTH - LABEL - 40) / top
    bars = [
        Bar(label.replace("_", " "), value, index * (BAR + GAP), value * scale)
        for index, (label, value) in enumerate(counts.items())
    ]
    return Chart(title, bars, max(len(bars), 1) * (BAR + GAP), unit)


LAYOUT = {"width": WIDTH, "bar": BAR, "label": LABEL}
