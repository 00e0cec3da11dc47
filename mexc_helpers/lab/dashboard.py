"""The instructor's dashboard: per-student counts from the class exchange, as a table and a chart, the
exercises each student passed, and the doctor's proven cause of each of a student's refused requests.

The students' own requests and the labs' demos (what a lab widget sent for them, tagged
``X-Lab-Demo``) are counted apart. Each cause keeps one colour and one column position. The counts
and the exercise results live in the class exchange's memory: they start again from zero when it restarts.
"""

from __future__ import annotations

import datetime
import html
import io
import os
import zlib
from urllib.parse import urlsplit

import requests

from ..classmode import fetch_class_stats
from ..client import LabSetupError, RemoteExchange, log_entry
from ..doctor import UnusableInput, diagnose
from ..extras import require
from ..protocol.errors import CODES, MexcAPIError
from ..protocol.signing import SignedRequest
from ..protocol.urls import LAB_URL_VARIABLE
from ..server.classroom import find_keys_file, read_keys_csv, read_token
from ..server.log import was_truncated
from .checks import EXERCISES

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


def exercises_frame(stats: dict, keys: list[tuple[str, str, str]]):
    """The exercise results of ``/lab/stats`` as a DataFrame: per student, how many exercises they passed, then
    one column per exercise in teaching order (EXERCISES; names it does not know after them): "✓" passed (at
    least once), "✗ n" tried n times and never passed, blank not reported."""
    pd = require("pandas", "lab", "the class table")
    names = {api_key: student for student, api_key, _ in keys}
    results = stats.get("exercises", {})
    known = [name for name, _ in EXERCISES]
    columns = known + sorted({name for mine in results.values() for name in mine} - set(known))
    rows = []
    for api_key, mine in results.items():
        row = {"student": names.get(api_key, api_key), "passed": sum(bool(r.get("passed")) for r in mine.values())}
        for name in columns:
            result = mine.get(name)
            row[name] = "" if result is None else "✓" if result.get("passed") else f"✗ {result.get('attempts', 0)}"
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["student", "passed", *columns])
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


def logged_request(record: dict, host: str) -> SignedRequest:
    """A ``/lab/log`` record as the request that arrived: its method and target, the headers the exchange logged,
    its body (the doctor reads it as raw HTTP, :meth:`SignedRequest.to_http`)."""
    target = record["path"] + (f"?{record['query']}" if record["query"] else "")
    return SignedRequest(record["method"], f"http://{host}{target}", record.get("headers", {}), record["body"] or None)


def doctor_causes(record: dict, secret: str, host: str) -> str:
    """What the doctor proves about a logged request, run with the student's secret and the exchange's time then:
    its causes (``signature_unexplained`` when no known bug reproduces the signature: never a guess that the
    secret is wrong), or "unchecked: why" when the log does not hold the whole request."""
    if "headers" not in record:
        return "unchecked: this exchange's log keeps no headers (a kit older than the dashboard)"
    if was_truncated(record["query"]) or was_truncated(record["body"]):
        return "unchecked: the log kept only the start of this request"
    try:
        diagnosis = diagnose(
            logged_request(record, host).to_http(), secret, api_key=record["api_key"], server_time=record["server_time"]
        )
    except (UnusableInput, ValueError) as error:
        return f"unchecked: {str(error).splitlines()[0]}"
    return ", ".join(diagnosis.causes) or diagnosis.verdict


def refused_requests(base_url: str, student: tuple[str, str, str], count: int = 5) -> list[tuple]:
    """A student's last ``count`` refused requests of their own (not the labs' demos), newest first, each with
    the doctor's causes: ``[(LogEntry, causes), ...]`` (:func:`doctor_causes`).

    Read from ``/lab/log`` signed with the student's key (the instructor holds keys.csv).
    """
    _, api_key, secret = student
    records = RemoteExchange(base_url, api_key, secret).log.records()
    refused = [record for record in reversed(records) if not record["demo"] and record["code"] != 0][:count]
    host = urlsplit(base_url).netloc
    return [(log_entry(record), doctor_causes(record, secret, host)) for record in refused]


def _answer(code: int) -> str:
    """The code and its label, the code once (some labels begin with it)."""
    label = cause_name(code)
    return label if label.startswith(str(code)) else f"{code} {label}"


def refused_html(refused: list[tuple]) -> str:
    """The refused requests as a small table: what, the answer, the server's reason, the doctor's causes and
    what the server signed."""
    if not refused:
        return "<i>no refused request of their own in the server's recent log</i>"
    rows = "".join(
        f"<tr><td>{html.escape(e.method)} {html.escape(e.path)}</td><td>{html.escape(_answer(e.code))}"
        f"</td><td>{html.escape(e.reason)}</td><td><b>{html.escape(causes)}</b></td>"
        f"<td><code>{html.escape(e.signed_string or '')}</code></td></tr>"
        for e, causes in refused
    )
    head = "<th>request</th><th>answer</th><th>why</th><th>the doctor's proven cause</th><th>server signed</th>"
    return f"<table><tr>{head}</tr>{rows}</table>"


class ClassDashboard(w.VBox):
    """Refresh, the students' table and chart, the labs' demos apart, and one student's refused requests."""

    def __init__(self, base_url: str, keys: list[tuple[str, str, str]], token: str | None = None):
        self.base_url, self.class_keys = base_url, keys  # not "keys": that is a Widget trait
        self._token = token  # a plain attribute, never a trait: it stays out of the saved widget state
        self.table, self.chart, self.message, self.demos = w.HTML(), w.Image(format="png"), w.HTML(), w.HTML()
        self.exercises = w.HTML()
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
                w.HTML("<b>Exercises passed</b> (✓ passed, ✗ n: tried n times, not passed yet)"),
                self.exercises,
                w.HTML("<b>Their last refused requests</b> (from the server's log, with the doctor's proven cause)"),
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
        self.exercises.value = exercises_frame(stats, self.class_keys).to_html(index=False)
        self.chart.value = stats_chart_png(frame) if len(frame) else b""
        self.demos.value = stats_frame(stats, self.class_keys, "labs").to_html(index=False)
        self.show_student()
        return frame

    def show_student(self) -> None:
        """The picked student's last refused requests of their own, with the doctor's proven causes."""
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
