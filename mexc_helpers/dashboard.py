"""The instructor's dashboard: per-student counts from the class exchange, as a table and a chart."""

from __future__ import annotations

import html
import io

import ipywidgets as w
from matplotlib.figure import Figure

from .classroom import fetch_stats, stats_frame


def stats_chart_png(frame) -> bytes:
    """A stacked bar per student: accepted requests and each kind of failure."""
    figure = Figure(figsize=(8, 3), dpi=90)
    axes = figure.subplots()
    bottom = [0] * len(frame)
    for column in frame.columns[1:]:
        values = list(frame[column])
        axes.bar(
            frame["student"], values, bottom=bottom, label=column, color="#2da44e" if column == "accepted" else None
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("requests")
    if len(frame.columns) > 1:
        axes.legend(fontsize=8, loc="upper right")
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class ClassDashboard(w.VBox):
    """The dashboard: a Refresh button, the table and the chart; ``refresh()`` returns the latest DataFrame."""

    def __init__(self, base_url: str, keys: list[tuple[str, str, str]]):
        self.base_url, self.class_keys = base_url, keys  # not "keys": that is a Widget trait
        self.table, self.chart, self.message = w.HTML(), w.Image(format="png"), w.HTML()
        self.button = w.Button(description="Refresh", icon="refresh")
        self.button.on_click(lambda _button: self.refresh())
        super().__init__([w.HBox([self.button, self.message]), self.table, self.chart])
        self.refresh()

    def __repr__(self) -> str:
        return "<Class dashboard: press Refresh for the latest counts>"

    def refresh(self):
        try:
            frame = stats_frame(fetch_stats(self.base_url), self.class_keys)
        except Exception as error:  # the class exchange may be down or restarting: say so, keep the last view
            self.message.value = (
                f"<span style='color:#cf222e'>cannot read {html.escape(self.base_url)}/lab/stats: "
                f"{html.escape(type(error).__name__)}</span>"
            )
            return None
        self.message.value = ""
        self.table.value = frame.to_html(index=False)
        self.chart.value = stats_chart_png(frame) if len(frame) else b""
        return frame


def class_dashboard(base_url: str, keys: list[tuple[str, str, str]]) -> ClassDashboard:
    """The instructor's live view: per-student counts of accepted requests and of each failure, with a refresh."""
    return ClassDashboard(base_url, keys)
