"""Figures for the notebooks, drawn as SVG by the package: no compiled plotting library, the same picture
in JupyterLab and in the browser (JupyterLite), and cheap enough to redraw on every slider step."""

from __future__ import annotations

from html import escape

from ..protocol.clock import AHEAD_LIMIT_MS, DEFAULT_FUTURES_WINDOW_S, timestamp_verdict

GREEN, RED, GREY, INK = "#1a7f37", "#cf222e", "#57606a", "#24292f"
_CLIENT, _SERVER, _SECRET = "#ddf4ff", "#fff8c5", "#ffebe9"
_ACCEPTED, _REFUSED = "#aceebb", "#ffd7d5"
_FONT = "font-family='system-ui, sans-serif'"


class SVG:
    """An SVG picture a notebook displays as itself (``_repr_svg_``), with a short text for plain output."""

    def __init__(self, markup: str, description: str):
        self.markup, self.description = markup, description

    def _repr_svg_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"<figure: {self.description}>"


def _box(x: float, y: float, lines: list[str], color: str, width: float = 190, height: float = 62) -> str:
    text = "".join(f"<tspan x='{x}' dy='{0 if i == 0 else 15}'>{escape(line)}</tspan>" for i, line in enumerate(lines))
    top = y - 7.5 * (len(lines) - 1)
    return (
        f"<rect x='{x - width / 2}' y='{y - height / 2}' width='{width}' height='{height}' rx='8' fill='{color}' "
        f"stroke='{GREY}'/><text x='{x}' y='{top}' text-anchor='middle' dominant-baseline='middle' "
        f"font-size='12' {_FONT}>{text}</text>"
    )


def _arrow(x1, y1, x2, y2, label: str = "", dashed: bool = False, anchor: str = "middle", dx=0, dy=-8) -> str:
    dash = " stroke-dasharray='5 4'" if dashed else ""
    note = (
        f"<text x='{(x1 + x2) / 2 + dx}' y='{(y1 + y2) / 2 + dy}' text-anchor='{anchor}' font-size='11' "
        f"fill='{GREY}' {_FONT}>{escape(label)}</text>"
        if label
        else ""
    )
    return (
        f"<line x1='{x1}' y1='{y1}' x2='{x2}' y2='{y2}' stroke='{INK}' stroke-width='1.5' "
        f"marker-end='url(#arrow)'{dash}/>{note}"
    )


def signing_anatomy() -> SVG:
    """The life of a signed spot request: the client signs a canonical string; the server rebuilds it
    from what arrived, signs it again with the same secret, and compares."""
    parts = [
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 900 380' width='900' height='380'>",
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' "
        f"orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='{INK}'/></marker></defs>",
        f"<text x='12' y='28' font-size='14' font-weight='bold' {_FONT}>your client</text>",
        f"<text x='12' y='218' font-size='14' font-weight='bold' {_FONT}>MEXC's server</text>",
        _box(115, 90, ["parameters", "symbol, side, type,", "quantity, price, timestamp"], _CLIENT),
        _box(335, 90, ["canonical string", "symbol=BTCUSDT&side=BUY", "...&timestamp=..."], _CLIENT),
        _box(555, 90, ["HMAC-SHA256", "keyed by your secret"], _SECRET, width=170),
        _box(775, 90, ["signature", "64 lowercase hex"], _CLIENT, width=170),
        _arrow(210, 90, 238, 90, "encode", dy=-40),
        _arrow(430, 90, 468, 90),
        _arrow(640, 90, 688, 90),
        _box(335, 285, ["rebuilt string", "from what arrived,", "re-encoded canonically"], _SERVER),
        _box(555, 285, ["HMAC-SHA256", "keyed by the same secret"], _SECRET, width=170),
        _box(775, 285, ["equal?", "yes: accepted", "no: 700002"], _SERVER, width=170),
        _arrow(430, 285, 468, 285),
        _arrow(640, 285, 688, 285),
        _arrow(115, 122, 238, 270, "the request: query + signature", dashed=True, anchor="start", dx=12, dy=0),
        _arrow(775, 122, 775, 252, "sent with it", dashed=True, anchor="start", dx=10, dy=0),
        f"<text x='450' y='362' text-anchor='middle' font-size='12' font-style='italic' fill='{GREY}' {_FONT}>"
        "The secret never travels. Any byte that differs between the two strings changes the HMAC.</text>",
        "</svg>",
    ]
    return SVG("".join(parts), "the life of a signed spot request: signed by the client, rebuilt by the server")


def window_figure_svg(offset_ms: int, recv_window: int) -> str:
    """The spot and futures acceptance windows as SVG, with the request's offset marked (green: accepted).

    The spot window is judged by :func:`mexc_helpers.protocol.clock.timestamp_verdict` itself.
    """
    futures_ms = DEFAULT_FUTURES_WINDOW_S * 1000
    low = min(-recv_window, -futures_ms, offset_ms) - 2000
    high = max(futures_ms, offset_ms) + 2000
    width, left, right = 700, 70, 680

    def x(ms: float) -> float:
        return round(left + (ms - low) * (right - left) / (high - low), 1)

    rows = []
    for top, (start, end, label) in zip(
        (14, 54), ((-recv_window, AHEAD_LIMIT_MS, "spot"), (-futures_ms, futures_ms, "futures")), strict=True
    ):
        rows.append(
            f"<rect x='{left}' y='{top}' width='{right - left}' height='26' fill='{_REFUSED}'/>"
            f"<rect x='{x(start)}' y='{top}' width='{x(end) - x(start)}' height='26' fill='{_ACCEPTED}'/>"
            f"<text x='6' y='{top + 17}' font-size='12' {_FONT}>{label}</text>"
        )
    accepted = timestamp_verdict(offset_ms, 0, recv_window).accepted
    marker = GREEN if accepted else RED
    ticks = "".join(
        f"<text x='{x(ms)}' y='102' text-anchor='middle' font-size='10' fill='{GREY}' {_FONT}>{ms // 1000:+d} s</text>"
        for ms in range((low // 5000 + 1) * 5000, high, 5000)
    )
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} 126' width='{width}' height='126' "
        f"role='img' aria-label='your timestamp is {offset_ms} ms from server time'>"
        + "".join(rows)
        + f"<line x1='{x(0)}' y1='8' x2='{x(0)}' y2='88' stroke='{GREY}' stroke-width='1'/>"
        f"<line class='offset' x1='{x(offset_ms)}' y1='8' x2='{x(offset_ms)}' y2='88' stroke='{marker}' "
        f"stroke-width='3'/>{ticks}"
        f"<text x='{(left + right) / 2}' y='120' text-anchor='middle' font-size='11' fill='{GREY}' {_FONT}>"
        "your timestamp minus server time: green is accepted</text></svg>"
    )
