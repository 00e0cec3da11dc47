"""The doctor as a notebook panel: paste a request, give the secret (never stored), get the proven
cause, the fix, and the corrected request as curl."""

from __future__ import annotations

import html
import os

from ..client import ServerTimeError, fetch_server_time
from ..doctor import Diagnosis, diagnose, read_request
from ..doctor.intake import server_time_shown
from ..doctor.report import TIME_CAUSES
from ..extras import require
from ..protocol.clock import looks_like_seconds, parse_ms
from ..protocol.encoding import EncodingError
from ..protocol.endpoints import SPOT_BASE_URL
from ..server.exchange import LocalExchange

w = require("ipywidgets", "lab", "the doctor panel")

PASTE_HELP = (
    "<details><summary>Paste what you have</summary><ul style='margin:2px 0'>"
    "<li>a <b>ccxt verbose log</b> (<code>verbose=True</code>, Python or JavaScript), responses included</li>"
    "<li>a <b>curl</b> command (devtools or Postman: Copy as cURL), or <b>Copy as fetch</b> / <b>PowerShell</b></li>"
    "<li><b>raw HTTP</b> from a proxy or devtools, or a <b>HAR</b> file's text (Save all as HAR)</li>"
    "<li>an <b>httpie</b> command, a <b>request config</b> ({'method', 'url', 'headers', 'data'}), "
    "a <b>URL</b> or a <b>query string</b></li>"
    "<li>your <b>bot's log</b> or an HTTP library's <b>debug output</b> or error (requests, axios, OkHttp, "
    "Guzzle, curl -v, .NET, Go), log prefixes and all</li></ul>"
    "Redact the key if you like (<code>xxxx</code>); the secret goes in the field below, never in the paste."
    "</details>"
)
# Where the server time comes from. By default ("auto") the time the paste itself shows (an answer's Date
# header, a serverTime), else the lab exchange's clock for a request made against it (its timestamp within
# an hour of that clock), else none: a real bot's request is never judged against the lab's frozen clock.
TIME_SOURCES = {
    "auto": "what the paste shows",
    "local": "the lab exchange",
    "live": "the live exchange",
    "number": "a number",
    "none": "don't judge the time",
}


class DoctorPanel(w.VBox):
    """Paste box, secret, server time source and a Diagnose button; ``diagnosis`` holds the last result."""

    def __init__(self, exchange: LocalExchange | None = None, request: str = ""):
        self.exchange = exchange
        self.diagnosis: Diagnosis | None = None
        self.request = w.Textarea(
            value=request,
            placeholder="Paste what you have: a ccxt verbose log, a curl command, raw HTTP, a HAR file, ...",
            layout=w.Layout(width="98%", height="110px"),
        )
        self.help = w.HTML(PASTE_HELP)
        # The typed secret leaves the widget the moment it reaches Python (on Enter or leaving the field):
        # the widget's value, which a saved notebook keeps, is only ever "".
        self.secret = w.Password(
            placeholder="your secret: used once here, never stored",
            continuous_update=False,
            layout=w.Layout(width="60%"),
        )
        self._typed_secret: str | None = None
        self.secret.observe(self._take_secret, names="value")
        self.use_env = w.Checkbox(value=False, description="use MEXC_SECRET_KEY from the environment", indent=False)
        self.time_source = w.ToggleButtons(
            options=[(v, k) for k, v in TIME_SOURCES.items()], value="auto", style={"button_width": "auto"}
        )
        self.server_time = w.IntText(value=0, description="server time (ms)", style={"description_width": "initial"})
        self.button = w.Button(description="Diagnose", button_style="primary", icon="stethoscope")
        self.message, self.result = w.HTML(), w.HTML()
        self.controls = {
            "request": self.request,
            "secret": self.secret,
            "use_env": self.use_env,
            "time_source": self.time_source,
            "server_time": self.server_time,
            "button": self.button,
        }
        self.button.on_click(lambda _button: self.run())
        super().__init__(
            [
                w.HTML("<h4 style='margin:4px 0'>The request doctor</h4>"),
                self.help,
                self.request,
                w.HBox([self.secret, self.use_env]),
                w.HTML("server time:"),
                self.time_source,
                self.server_time,
                self.button,
                self.message,
                self.result,
            ]
        )

    def __repr__(self) -> str:
        return "<The request doctor: paste a request, run the notebook to use it>"

    def _take_secret(self, change) -> None:
        if change["new"]:
            self._typed_secret = change["new"]
            self.secret.value = ""
            self.secret.placeholder = "secret received: it is used for the next diagnosis, then forgotten"

    def _secret(self) -> str | None:
        typed, self._typed_secret = self._typed_secret, None  # used once
        self.secret.placeholder = "your secret: used once here, never stored"
        if self.use_env.value:
            value = os.environ.get("MEXC_SECRET_KEY")
            if not value:
                raise ValueError("MEXC_SECRET_KEY is not set: export it before starting JupyterLab, or type the secret")
            return value
        return typed or None

    def _lab_time(self) -> int:
        from .labs import lab_exchange

        return (self.exchange or lab_exchange()).server_time()

    def _server_time(self) -> int | None:
        source = self.time_source.value
        if source == "local":
            return self._lab_time()
        if source == "live":
            try:
                return fetch_server_time(SPOT_BASE_URL, timeout=5)
            except ServerTimeError as error:
                raise ValueError(f"{error}: pick 'a number'") from None
        if source == "number":
            if looks_like_seconds(self.server_time.value):
                raise ValueError("type the server time in milliseconds, like 1700000000000")
            return self.server_time.value
        return None

    def _diagnose_auto(self, secret: str | None) -> Diagnosis:
        """The time the paste shows, else the lab's clock for a request made against it, else not judged (noted)."""
        text = self.request.value
        shown = server_time_shown(text)
        if shown is not None:
            earliest, latest = shown
            diagnosis = diagnose(text, secret, server_time=latest)
            if earliest == latest:
                return _noted(diagnosis, "the time window is judged against the server time the paste shows")
            other = diagnose(text, secret, server_time=earliest)
            if _time_causes(other) == _time_causes(diagnosis):
                return _noted(diagnosis, "the time window is judged against the answer's Date header (whole seconds)")
            diagnosis = diagnose(text, secret)
            return _noted(
                diagnosis,
                "the time window is not judged: the answer's Date header, in whole seconds, is "
                "too coarse for this timestamp; pick 'a number' or 'the live exchange'",
            )
        sent = _timestamp(text)
        lab = self._lab_time()
        if sent is not None and abs(sent - lab) <= LAB_REQUEST_MS:
            return _noted(
                diagnose(text, secret, server_time=lab),
                "the time window is judged against the lab exchange's clock: the request was made against it",
            )
        return _noted(
            diagnose(text, secret),
            "the time window is not judged: the paste shows no server time (an "
            "answer's Date header or a serverTime) and the request was not made against the lab exchange; "
            "pick 'the live exchange' or 'a number' to judge it",
        )

    def run(self) -> Diagnosis | None:
        """Diagnose what is in the paste box; show the findings, or one line saying what is wrong with the input."""
        try:
            secret = self._secret()
            if self.time_source.value == "auto":
                self.diagnosis = self._diagnose_auto(secret)
            else:
                self.diagnosis = diagnose(self.request.value, secret, server_time=self._server_time())
        except ValueError as error:
            self.diagnosis = None
            self.result.value = ""
            self.message.value = f"<span style='color:#cf222e'>{html.escape(str(error))}</span>"
            return None
        self.message.value = ""
        self.result.value = self.diagnosis._repr_html_()
        return self.diagnosis


# A paste whose timestamp is this close to the lab exchange's clock was made against it.
LAB_REQUEST_MS = 3_600_000


def _time_causes(diagnosis: Diagnosis) -> set[str]:
    return {cause for cause in diagnosis.causes if cause in TIME_CAUSES}


def _noted(diagnosis: Diagnosis, note: str) -> Diagnosis:
    diagnosis.notes = (*diagnosis.notes, note)
    return diagnosis


def _timestamp(text: str) -> int | None:
    try:
        return parse_ms(read_request(text).request.timestamp_text)
    except (ValueError, EncodingError):
        return None


def doctor_panel(exchange: LocalExchange | None = None, request: str = "") -> DoctorPanel:
    """The request doctor as a panel: paste, give the secret, Diagnose."""
    return DoctorPanel(exchange, request)
