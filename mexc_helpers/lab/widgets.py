"""The notebooks' interactive labs: one function per lab, each returning a displayable widget.

Layout lives here; the logic lives in :mod:`mexc_helpers.lab.labs`. Every lab is a :class:`Lab` whose
``controls`` can be set from code (that is how the tests drive them), whose ``outcomes`` hold the
latest requests and verdicts, and whose ``message`` shows bad input as one line, never a traceback.
"""

from __future__ import annotations

import html
import logging
import random

from ..extras import require
from ..protocol.clock import AHEAD_LIMIT_MS, DEFAULT_FUTURES_WINDOW_S, DEFAULT_RECV_WINDOW_MS, MAX_RECV_WINDOW_MS
from ..server.exchange import LocalExchange
from . import labs
from .figures import window_figure_svg

w = require("ipywidgets", "lab", "the labs' widgets")

logger = logging.getLogger(__name__)

__all__ = ["Lab", "body_lab", "clock_lab", "doctor_panel", "encoding_lab", "order_lab", "overview_lab"]

GREEN, RED, AMBER, GREY = "#1a7f37", "#cf222e", "#9a6700", "#57606a"
_AUTO_WIDTH = {"button_width": "auto"}  # toggle buttons as wide as their labels, not truncated
_MONO = "font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px"


class Lab(w.VBox):
    """A lab: controls, the outcomes of the last update, and a one-line message for bad input."""

    def __init__(self, title: str, controls: dict, body: list, update, exchange: LocalExchange):
        self.controls = controls
        self.exchange = exchange
        self.outcomes: list[labs.Outcome] = []
        self.message = w.HTML()
        self._update = update
        self.title = title
        super().__init__([w.HTML(f"<h4 style='margin:4px 0'>{html.escape(title)}</h4>"), *body, self.message])
        for control in controls.values():
            if hasattr(control, "value"):
                control.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def __repr__(self) -> str:
        # Stable text for the notebook's text/plain output (the default repr embeds every child's state).
        return f"<{self.title}: interactive lab, run the notebook to use it>"

    def refresh(self) -> None:
        """Recompute and redraw from the controls' current values."""
        try:
            self.outcomes = self._update(self) or []
            self.message.value = ""
        except ValueError as error:  # bad input: say what is expected, keep what the user typed
            self.outcomes = []
            self.message.value = f"<span style='color:{RED}'>{html.escape(str(error))}</span>"
        except Exception as error:  # the outer edge: a lab must never put a traceback in front of a learner
            logger.exception("lab %r failed to refresh", self.title)
            self.outcomes = []
            self.message.value = (
                f"<span style='color:{RED}'>unexpected error ({type(error).__name__}): {html.escape(str(error))}</span>"
            )


def _exchange(exchange: LocalExchange | None) -> LocalExchange:
    return exchange if exchange is not None else labs.lab_exchange()


def verdict_badge(outcome: labs.Outcome) -> str:
    if outcome.accepted:
        color, text = GREEN, "accepted"
    elif outcome.signature_ok:
        color, text = AMBER, f"signature OK, then {outcome.code} {outcome.message}"
    else:
        color, text = RED, f"refused {outcome.code}: {outcome.message}"
    return f"<b style='color:{color}'>{html.escape(text)}</b>"


def _mono(text: str | None) -> str:
    return f"<code style='{_MONO}; white-space: pre-wrap; word-break: break-all'>{html.escape(text or '')}</code>"


def diff_html(reference: str, other: str) -> str:
    """``other`` with everything from its first difference to ``reference`` highlighted."""
    index = labs.first_difference(reference, other)
    if index is None:
        return _mono(other)
    return _mono(other[:index]) + f"<mark style='background:#ffd8b5'>{_mono(other[index:])}</mark>"


def outcome_card(outcome: labs.Outcome, *, title: str | None = None) -> str:
    """An outcome as HTML: verdict, what the client signed and sent, and the server's view."""
    rows = [
        ("client signed", _mono(outcome.signed_string)),
        ("sent", _mono(outcome.sent)),
        ("signature", _mono(outcome.signature)),
    ]
    if outcome.server_signed is not None:
        rows += [
            ("server rebuilt", diff_html(outcome.signed_string, outcome.server_signed)),
            ("server expected", _mono(outcome.expected_signature)),
        ]
    table = "".join(
        f"<tr><td style='color:{GREY}; padding-right:8px; vertical-align:top; white-space:nowrap'>{name}</td>"
        f"<td>{value}</td></tr>"
        for name, value in rows
    )
    heading = html.escape(title or outcome.label)
    return (
        f"<div style='border:1px solid #d0d7de; border-radius:6px; padding:6px 8px; margin:4px 0; line-height:1.4'>"
        f"<div><b>{heading}</b>: {verdict_badge(outcome)}</div>"
        f"<div style='color:{GREY}'>{html.escape(labs.answer_meaning(outcome.code))}</div>"
        f"<table>{table}</table></div>"
    )


def _column(title: str, control, note: w.HTML) -> w.VBox:
    return w.VBox([w.HTML(f"<b>{title}</b>"), control, note], layout=w.Layout(width="33%", padding="0 6px"))


# --- 00: the three causes side by side -------------------------------------------------------

_ORDER_NOTES = {
    "same": "Spot signs what it receives, in that order: any order works if you sign what you send.",
    "sorted": "Sorted before signing, sent as written: the server rebuilds another string.",
}
_PLACEMENT_NOTES = {
    "query": "Spot verifies the query string; the signature goes there too.",
    "form_body": "The docs' own examples: the server signs query + body, and reads the signature from either.",
    "json_body": "The server signs the query and the body together, not the JSON body alone.",
}


def _clock_note(offset_ms: int) -> str:
    if offset_ms >= AHEAD_LIMIT_MS:
        return f"{offset_ms} ms ahead: {AHEAD_LIMIT_MS} ms or more ahead is refused."
    if offset_ms < -DEFAULT_RECV_WINDOW_MS:
        return f"{-offset_ms} ms behind: more than recvWindow ({DEFAULT_RECV_WINDOW_MS} ms) behind is refused."
    return (
        f"{offset_ms:+d} ms: inside the window (up to {AHEAD_LIMIT_MS - 1} ms ahead, "
        f"{DEFAULT_RECV_WINDOW_MS} ms behind)."
    )


def overview_lab(exchange: LocalExchange | None = None) -> Lab:
    """Three causes, three columns, one request: see each fault alone, combined, and which one MEXC reports first."""
    order = w.ToggleButtons(options=[(v, k) for k, v in labs.OVERVIEW_ORDER.items()], value="same", style=_AUTO_WIDTH)
    clock = w.IntSlider(value=0, min=-10_000, max=3_000, step=250, description="clock (ms)", continuous_update=False)
    placement = w.RadioButtons(options=[(v, k) for k, v in labs.OVERVIEW_PLACEMENT.items()], value="query")
    notes = {name: w.HTML() for name in ("order", "clock", "placement")}
    result = w.HTML()

    def update(lab: Lab):
        notes["order"].value = _ORDER_NOTES[order.value]
        notes["clock"].value = _clock_note(clock.value)
        notes["placement"].value = _PLACEMENT_NOTES[placement.value]
        outcome = labs.overview_case(lab.exchange, order.value, clock.value, placement.value)
        result.value = outcome_card(outcome)
        return [outcome]

    columns = w.HBox(
        [
            _column("1. Parameter order", order, notes["order"]),
            _column("2. Clock", clock, notes["clock"]),
            _column("3. Query vs body", placement, notes["placement"]),
        ]
    )
    return Lab(
        "The three causes, side by side",
        {"order": order, "clock": clock, "placement": placement},
        [columns, result],
        update,
        _exchange(exchange),
    )


# --- 01: parameter order ---------------------------------------------------------------------


def order_lab(exchange: LocalExchange | None = None, seed: int = 7) -> Lab:
    """Drag the parameters into any order; see what spot and futures make of it, for three client behaviours."""
    names = list(labs.ORDER) + ["recvWindow", "timestamp"]
    tags = w.TagsInput(value=list(names), allowed_tags=list(names), allow_duplicates=False)
    sort_button, shuffle_button = w.Button(description="sort", icon="sort-alpha-asc"), w.Button(description="shuffle")
    client = w.ToggleButtons(options=[(v, k) for k, v in labs.ORDER_CLIENTS.items()], value="same", style=_AUTO_WIDTH)
    strings, verdicts = w.HTML(), w.HTML()
    rng = random.Random(seed)
    sort_button.on_click(lambda _button: setattr(tags, "value", sorted(tags.value)))
    shuffle_button.on_click(lambda _button: setattr(tags, "value", labs.shuffled(list(tags.value), rng)))

    def update(lab: Lab):
        spot, futures = labs.order_case(lab.exchange, list(tags.value), client.value)
        sent_query = spot.sent.split("?", 1)[1].rsplit("&signature=", 1)[0]
        strings.value = (
            f"<div>signed: {_mono(spot.signed_string)}</div>"
            f"<div>sent:&nbsp;&nbsp; {diff_html(spot.signed_string, sent_query)}</div>"
        )
        verdicts.value = (
            "<div style='display:flex; gap:8px'>"
            f"<div style='flex:1'>{outcome_card(spot)}</div>"
            f"<div style='flex:1'>{outcome_card(futures)}</div></div>"
        )
        return [spot, futures]

    return Lab(
        "Parameter order: drag the tags",
        {"tags": tags, "client": client, "sort": sort_button, "shuffle": shuffle_button},
        [tags, w.HBox([sort_button, shuffle_button]), client, strings, verdicts],
        update,
        _exchange(exchange),
    )


# --- 02: clock drift -------------------------------------------------------------------------


def clock_lab(exchange: LocalExchange | None = None) -> Lab:
    """Move your clock and recvWindow; see the asymmetric window and the live verdicts."""
    offset = w.IntSlider(
        value=0,
        min=-70_000,
        max=5_000,
        step=100,
        description="your clock",
        continuous_update=False,
        layout=w.Layout(width="95%"),
    )
    window = w.IntSlider(
        value=DEFAULT_RECV_WINDOW_MS,
        min=1000,
        max=65_000,
        step=1000,
        description="recvWindow",
        continuous_update=False,
        layout=w.Layout(width="95%"),
    )
    picture, verdicts = w.HTML(), w.HTML()

    def update(lab: Lab):
        spot, futures = labs.clock_case(lab.exchange, offset.value, window.value)
        futures_title = f"futures, Recv-Window {DEFAULT_FUTURES_WINDOW_S} s"
        picture.value = window_figure_svg(offset.value, min(window.value, MAX_RECV_WINDOW_MS))
        verdicts.value = (
            "<div style='display:flex; gap:8px'>"
            f"<div style='flex:1'>{outcome_card(spot, title=f'spot, recvWindow {window.value} ms')}</div>"
            f"<div style='flex:1'>{outcome_card(futures, title=futures_title)}</div></div>"
        )
        return [spot, futures]

    return Lab(
        "Clock drift: the window is asymmetric",
        {"offset": offset, "recv_window": window},
        [offset, window, picture, verdicts],
        update,
        _exchange(exchange),
    )


# --- 03: query vs body -----------------------------------------------------------------------


def body_lab(exchange: LocalExchange | None = None) -> Lab:
    """Place a spot and a futures POST order in each of the ways clients really do it."""
    spot_choice = w.RadioButtons(
        options=[(v, k) for k, v in labs.SPOT_BODY_CHOICES.items()], value="query", layout=w.Layout(width="auto")
    )
    futures_choice = w.RadioButtons(
        options=[(v, k) for k, v in labs.FUTURES_BODY_CHOICES.items()], value="raw_json", layout=w.Layout(width="auto")
    )
    spot_card, futures_card = w.HTML(), w.HTML()

    def update(lab: Lab):
        spot = labs.spot_body_case(lab.exchange, spot_choice.value)
        futures = labs.futures_body_case(lab.exchange, futures_choice.value)
        spot_card.value = outcome_card(spot, title="spot POST /api/v3/order/test")
        futures_card.value = outcome_card(futures, title="futures POST /api/v1/private/order/submit")
        return [spot, futures]

    spot_side = w.VBox([w.HTML("<b>Spot V3</b>"), spot_choice, spot_card], layout=w.Layout(width="50%"))
    futures_side = w.VBox([w.HTML("<b>Futures</b>"), futures_choice, futures_card], layout=w.Layout(width="50%"))
    return Lab(
        "POST: query or body?",
        {"spot": spot_choice, "futures": futures_choice},
        [w.HBox([spot_side, futures_side])],
        update,
        _exchange(exchange),
    )


# --- 04: value encoding ----------------------------------------------------------------------


def encoding_lab(exchange: LocalExchange | None = None, value: str = "BEP20(BSC)") -> Lab:
    """Type a value; see how each client encoding signs and sends it, and the exchange's verdict on each."""
    text = w.Text(value=value, description="network", continuous_update=False, layout=w.Layout(width="60%"))
    table = w.HTML()

    def update(lab: Lab):
        outcomes = labs.encoding_cases(lab.exchange, text.value)
        rows = "".join(
            f"<tr><td>{html.escape(o.label)}</td><td>{_mono(o.signed_string.split('&')[1])}</td>"
            f"<td>{_mono(o.sent.split('&')[1])}</td><td>{verdict_badge(o)}</td></tr>"
            for o in outcomes
        )
        table.value = (
            "<table><tr><th>client encoding</th><th>signed</th><th>sent</th><th>verdict</th></tr>"
            f"{rows}</table><div style='color:{GREY}'>The lab exchange never withdraws: "
            '10211 "transfer is forbidden" means your signature was right.</div>'
        )
        return outcomes

    return Lab("Value encoding: one value, four clients", {"value": text}, [text, table], update, _exchange(exchange))


# --- 05: the request doctor (its own module; re-exported so every lab is in one place) ---------

from .doctorpanel import doctor_panel  # noqa: E402
