"""The instructor's dashboard: per-student counts from the class exchange, as a table and a chart.

The students' own requests and the labs' demos (what a lab widget sent for them, tagged
``X-Lab-Demo``) are counted apart. Each cause keeps one colour and one column position.
"""

from __future__ import annotations

import datetime
import html
import io
import os
import zlib

import requests

from ..client import LabSetupError, RemoteExchange, fetch_class_stats
from ..extras import require
from ..protocol.errors import CODES, MexcAPIError
from ..protocol.urls import LAB_URL_VARIABLE
from ..server.classroom import find_keys_file, read_keys_csv, read_token

w = require("ipywidgets", "lab", "the class dashboard")

ACCEPTED_GREEN = "#2da44e"
COLOURS = {0: ACCEPTED_GREEN, 700002: "#cf222e", 700003: "#bf8700", 602: "#8250df", 513: "#e16f24", 10211: "#57606a"}
OTHER_COLOURS = ("#0969da", "#bc4c00", "#a40e26", "#6e40c9", "#1b7c83", "#953800", "#4d2d00")  # none is green
KEYS_VARIABLE, TOKEN_VARIABLE = "MEXC_CLASS_KEYS", "MEXC_CLASS_TOKEN"


def cause_name(code: int) -> str:
    """A short column name for an answer code: "accepted", the code's label, or the bare code."""
    if code == 0:
        return "accepted"
    return CODES[code].label if code in CODES else str(code)


def cause_colour(code: int) -> str:
    """One fixed colour per answer code: green for accepted only, the same colour on every refresh."""
    return COLOURS.get(code) or OTHER_COLOURS[zlib.crc32(str(code).encode()) % len(OTHER_COLOURS)]


def stats_frame(stats: dict, keys: list[tuple[str, str, str]], part: str = "keys"):
    """``/lab/stats`` as a pandas DataFrame: one row per student, a column per answer in code order
    (accepted first). ``part``: "keys" for the students' own requests, "labs" for the labs' demos."""
    pd = require("pandas", "lab", "the class table")
    names = {api_key: student for student, api_key, _ in keys}
    counts = stats.get(part, {})
    codes = sorted({int(code) for answers in counts.values() for code in answers} | {0})
    rows = [
        {"student": names.get(api_key, api_key), **{cause_name(c): answers.get(str(c), 0) for c in codes}}
        for api_key, answers in counts.items()
    ]
    frame = pd.DataFrame(rows, columns=["student", *map(cause_name, codes)])
    frame.attrs["codes"] = codes
    return frame.sort_values("student").reset_index(drop=True)


def stats_chart_png(frame) -> bytes:
    """A stacked bar per student: accepted requests (green) and each kind of failure (its own colour)."""
    Figure = require("matplotlib.figure", "lab", "the class chart").Figure
    figure = Figure(figsize=(8, 3), dpi=90)
    axes = figure.subplots()
    bottom = [0] * len(frame)
    for code, column in zip(frame.attrs["codes"], frame.columns[1:], strict=True):
        values = list(frame[column])
        axes.bar(frame["student"], values, bottom=bottom, label=column, color=cause_colour(code))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("requests")
    axes.legend(fontsize=8, loc="upper right")
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def class_from_env(environ=os.environ, cwd: str = ".") -> tuple[str, list, str | None] | None:
    """(base_url, keys, token) of the class named by the environment, or None for the demo class.

    With MEXC_LAB_URL set, anything missing is a one-line :class:`LabSetupError`, never the demo class.
    """
    base_url = environ.get(LAB_URL_VARIABLE)
    if not base_url:
        return None
    keys_name = environ.get(KEYS_VARIABLE)
    try:
        if not keys_name:
            raise ValueError(f"{KEYS_VARIABLE} is not set: set it to the keys file `mexc-lab serve --class` printed")
        path = find_keys_file(keys_name, cwd)
        keys = read_keys_csv(path)
    except ValueError as error:
        raise LabSetupError(f"{LAB_URL_VARIABLE} is set, so this is the class dashboard, but {error}") from None
    token = environ.get(TOKEN_VARIABLE) or read_token(path)
    if not token:
        raise LabSetupError(f"no instructor token: {path.with_suffix('.token')} is missing; set {TOKEN_VARIABLE}")
    return base_url, keys, token


def refused_requests(base_url: str, student: tuple[str, str, str], count: int = 5) -> list:
    """A student's last ``count`` refused requests of their own (not the labs' demos), from the server log.

    Read from ``/lab/log`` signed with the student's key (the instructor holds keys.csv), newest first.
    """
    _, api_key, secret = student
    entries = RemoteExchange(base_url, api_key, secret).log.entries()
    return [entry for entry in reversed(entries) if not entry.demo and not entry.accepted][:count]


def refused_html(entries: list) -> str:
    """The refused requests as a small table: when, what, the answer and the server's reason."""
    if not entries:
        return "<i>no refused request of their own in the server's recent log</i>"
    rows = "".join(
        f"<tr><td>{html.escape(e.method)} {html.escape(e.path)}</td><td>{e.code} {html.escape(cause_name(e.code))}"
        f"</td><td>{html.escape(e.reason)}</td><td><code>{html.escape(e.signed_string or '')}</code></td></tr>"
        for e in entries
    )
    return f"<table><tr><th>request</th><th>answer</th><th>why</th><th>server signed</th></tr>{rows}</table>"


class ClassDashboard(w.VBox):
    """Refresh, the students' table and chart, the labs' demos apart, and one student's refused requests."""

    def __init__(self, base_url: str, keys: list[tuple[str, str, str]], token: str | None = None):
        self.base_url, self.class_keys = base_url, keys  # not "keys": that is a Widget trait
        self._token = token  # a plain attribute, never a trait: it stays out of the saved widget state
        self.table, self.chart, self.message, self.demos = w.HTML(), w.Image(format="png"), w.HTML(), w.HTML()
        self.button = w.Button(description="Refresh", icon="refresh")
        self.button.on_click(lambda _button: self.refresh())
        self.student = w.Dropdown(options=["(pick a student)"] + [s for s, *_ in keys], description="student")
        self.student.observe(lambda _change: self.show_student(), names="value")
        self.refused = w.HTML()
        super().__init__(
            [
                w.HBox([self.button, self.message]),
                w.HTML("<b>The students' own requests</b>"),
                self.table,
                self.chart,
                w.HTML("<b>Their last refused requests</b> (from the server's log)"),
                self.student,
                self.refused,
                w.HTML("<b>The labs' built-in demos</b> (what the lab widgets sent: not counted above)"),
                self.demos,
            ]
        )
        self.refresh()

    def __repr__(self) -> str:
        return "<Class dashboard: press Refresh for the latest counts>"

    def _error(self, error: Exception, what: str) -> None:
        reason = str(error) if isinstance(error, MexcAPIError) else f"cannot read {self.base_url}{what}: "
        reason += "" if isinstance(error, MexcAPIError) else type(error).__name__
        self.message.value = f"<span style='color:#cf222e'>{html.escape(reason)}</span>"

    def refresh(self):
        """Read ``/lab/stats`` again; returns the students' DataFrame (None if the exchange did not answer)."""
        try:
            stats = fetch_class_stats(self.base_url, self._token)
        except (MexcAPIError, requests.RequestException, ValueError) as error:  # refused, down, or not a class
            self._error(error, "/lab/stats")
            return None
        frame = stats_frame(stats, self.class_keys)
        self.message.value = f"updated at {datetime.datetime.now():%H:%M:%S}"
        self.table.value = frame.to_html(index=False)
        self.chart.value = stats_chart_png(frame) if len(frame) else b""
        self.demos.value = stats_frame(stats, self.class_keys, "labs").to_html(index=False)
        self.show_student()
        return frame

    def show_student(self) -> None:
        """The picked student's last refused requests of their own."""
        chosen = [row for row in self.class_keys if row[0] == self.student.value]
        if not chosen:
            self.refused.value = ""
            return
        try:
            self.refused.value = refused_html(refused_requests(self.base_url, chosen[0]))
        except (MexcAPIError, requests.RequestException, ValueError) as error:
            self._error(error, "/lab/log")


def class_dashboard(base_url: str, keys: list[tuple[str, str, str]], token: str | None = None) -> ClassDashboard:
    """The instructor's live view: per-student counts of accepted requests and of each failure, with a refresh.

    ``token`` is the instructor token that ``mexc-lab serve --class`` printed and wrote beside the keys.
    """
    return ClassDashboard(base_url, keys, token)
