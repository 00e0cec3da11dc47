"""The instructor's dashboard: per-student counts from the class exchange, as a table and a chart."""

from __future__ import annotations

import html
import io

import requests

from ..client import fetch_class_stats
from ..extras import require
from ..protocol.errors import CODES, MexcAPIError

w = require("ipywidgets", "lab", "the class dashboard")


def cause_name(code: int) -> str:
    """A short column name for an answer code: "accepted", the code's label, or the bare code."""
    if code == 0:
        return "accepted"
    return CODES[code].label if code in CODES else str(code)


def stats_frame(stats: dict, keys: list[tuple[str, str, str]]):
    """``/lab/stats`` as a pandas DataFrame: one row per student, a column per answer, most common first."""
    pd = require("pandas", "lab", "the class table")
    names = {api_key: student for student, api_key, _ in keys}
    rows = []
    for api_key, counts in stats.get("keys", {}).items():
        row = {"student": names.get(api_key, api_key)}
        for code, count in counts.items():
            row[cause_name(int(code))] = count
        rows.append(row)
    frame = pd.DataFrame(rows).fillna(0)
    if frame.empty:
        return pd.DataFrame(columns=["student", "accepted"])
    columns = [c for c in frame.columns if c != "student"]
    ordered = sorted(columns, key=lambda c: (c != "accepted", -frame[c].sum(), c))
    frame[ordered] = frame[ordered].astype(int)
    return frame[["student", *ordered]].sort_values("student").reset_index(drop=True)


def stats_chart_png(frame) -> bytes:
    """A stacked bar per student: accepted requests and each kind of failure."""
    Figure = require("matplotlib.figure", "lab", "the class chart").Figure
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

    def __init__(self, base_url: str, keys: list[tuple[str, str, str]], token: str | None = None):
        self.base_url, self.class_keys = base_url, keys  # not "keys": that is a Widget trait
        self._token = token  # a plain attribute, never a trait: it stays out of the saved widget state
        self.table, self.chart, self.message = w.HTML(), w.Image(format="png"), w.HTML()
        self.button = w.Button(description="Refresh", icon="refresh")
        self.button.on_click(lambda _button: self.refresh())
        super().__init__([w.HBox([self.button, self.message]), self.table, self.chart])
        self.refresh()

    def __repr__(self) -> str:
        return "<Class dashboard: press Refresh for the latest counts>"

    def refresh(self):
        try:
            frame = stats_frame(fetch_class_stats(self.base_url, self._token), self.class_keys)
        except MexcAPIError as error:  # the exchange refused: a missing or wrong instructor token
            self.message.value = f"<span style='color:#cf222e'>{html.escape(str(error))}</span>"
            return None
        except (requests.RequestException, ValueError) as error:  # down, restarting, or not a class exchange
            self.message.value = (
                f"<span style='color:#cf222e'>cannot read {html.escape(self.base_url)}/lab/stats: "
                f"{html.escape(type(error).__name__)}</span>"
            )
            return None
        self.message.value = ""
        self.table.value = frame.to_html(index=False)
        self.chart.value = stats_chart_png(frame) if len(frame) else b""
        return frame


def class_dashboard(base_url: str, keys: list[tuple[str, str, str]], token: str | None = None) -> ClassDashboard:
    """The instructor's live view: per-student counts of accepted requests and of each failure, with a refresh.

    ``token`` is the instructor token that ``mexc-lab serve --class`` printed and wrote beside the keys.
    """
    return ClassDashboard(base_url, keys, token)
