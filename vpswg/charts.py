"""Server-drawn charts: geometry for small, accessible SVGs (no JavaScript, no inline style).

Templates draw rectangles from these numbers; every chart is shown beside a table holding the
same figures, and has a text description.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    value: int
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    css: str = ""


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Bar] = field(default_factory=list)  # axis labels (value unused)
    series: list[tuple[str, str]] = field(default_factory=list)  # (css class, legend label)


def horizontal(
    rows: list[tuple[str, int]],
    *,
    width: int = 420,
    bar: int = 18,
    gap: int = 8,
    label_width: int = 150,
) -> Chart:
    """One bar per row, longest = full width."""
    top = max((v for _, v in rows), default=0) or 1
    span = width - label_width - 50
    chart = Chart(width=width, height=max(len(rows) * (bar + gap) - gap, 0))
    for index, (label, value) in enumerate(rows):
        y = index * (bar + gap)
        chart.bars.append(
            Bar(
                label,
                value,
                x=label_width,
                y=y,
                width=round(value / top * span, 1),
                height=bar,
                css=f"series-{index % 8}",
            )
        )
        chart.labels.append(Bar(label, value, x=label_width - 6, y=y + bar - 5))
    return chart


def stacked_columns(
    columns: list[str],
    series: list[tuple[str, str, list[int]]],
    *,
    width: int = 560,
    height: int = 200,
) -> Chart:
    """Columns (e.g. years) stacked by series (css class, label, one value per column)."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(columns))]
    top = max(totals, default=0) or 1
    plot = height - 22
    slot = width / max(len(columns), 1)
    column_width = max(min(slot * 0.7, 48), 4)
    chart = Chart(width=width, height=height, series=[(css, label) for css, label, _ in series])
    for i, column in enumerate(columns):
        x = round(i * slot + (slot - column_width) / 2, 1)
        base = plot
        for css, label, values in series:
            h = round(values[i] / top * (plot - 4), 1)
            if h:
                base -= h
                chart.bars.append(
                    Bar(
                        f"{column}: {label}",
                        values[i],
                        x=x,
                        y=round(base, 1),
                        width=round(column_width, 1),
                        height=h,
                        css=css,
                    )
                )
        chart.labels.append(Bar(column, totals[i], x=round(i * slot + slot / 2, 1), y=height - 4))
    return chart
