"""Figures for the notebooks, drawn with matplotlib so they are real pictures, not ASCII art."""

from __future__ import annotations

from ..extras import require

_CLIENT, _SERVER, _SECRET = "#ddf4ff", "#fff8c5", "#ffebe9"


def _box(axes, x, y, text, color, width=2.3, height=0.9):
    patches = require("matplotlib.patches", "lab", "the signing figure")
    axes.add_patch(
        patches.FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.05",
            facecolor=color,
            edgecolor="#57606a",
        )
    )
    axes.text(x, y, text, ha="center", va="center", fontsize=8.5, wrap=True)


def _arrow(axes, start, end, text="", dashed=False):
    patches = require("matplotlib.patches", "lab", "the signing figure")
    axes.add_patch(
        patches.FancyArrowPatch(
            start, end, arrowstyle="-|>", mutation_scale=12, color="#24292f", linestyle="--" if dashed else "-"
        )
    )
    if text:
        axes.text(
            (start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.18, text, ha="center", fontsize=7.5, color="#57606a"
        )


def signing_anatomy():
    """The life of a signed spot request: the client signs a canonical string; the server rebuilds it
    from what arrived, signs it again with the same secret, and compares."""
    figure = require("matplotlib.figure", "lab", "the signing figure").Figure(figsize=(10, 4.2), dpi=90)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, 13)
    axes.set_ylim(0, 5.4)
    axes.axis("off")
    axes.text(0.2, 5.05, "your client", fontsize=10, weight="bold")
    axes.text(0.2, 2.35, "MEXC's server", fontsize=10, weight="bold")
    _box(axes, 1.5, 4.2, "parameters\nsymbol, side, type,\nquantity, price, timestamp", _CLIENT)
    _box(axes, 4.6, 4.2, "canonical string\nsymbol=BTCUSDT&side=BUY\n...&timestamp=...", _CLIENT)
    _box(axes, 7.7, 4.2, "HMAC-SHA256\nkeyed by your secret", _SECRET)
    _box(axes, 10.9, 4.2, "signature\n64 lowercase hex", _CLIENT)
    _arrow(axes, (2.7, 4.2), (3.4, 4.2), "encode")
    _arrow(axes, (5.8, 4.2), (6.5, 4.2))
    _arrow(axes, (8.9, 4.2), (9.7, 4.2))
    _box(axes, 4.6, 1.4, "rebuilt string\nfrom what arrived,\nre-encoded canonically", _SERVER)
    _box(axes, 7.7, 1.4, "HMAC-SHA256\nkeyed by the same secret", _SECRET)
    _box(axes, 10.9, 1.4, "equal?\nyes: accepted\nno: 700002", _SERVER)
    _arrow(axes, (5.8, 1.4), (6.5, 1.4))
    _arrow(axes, (8.9, 1.4), (9.7, 1.4))
    _arrow(axes, (1.5, 3.7), (3.4, 1.6), "the request: query + signature", dashed=True)
    _arrow(axes, (10.9, 3.7), (10.9, 1.9), "sent with it", dashed=True)
    axes.text(
        6.5,
        0.25,
        "The secret never travels. Any byte that differs between the two strings changes the HMAC.",
        ha="center",
        fontsize=8.5,
        style="italic",
    )
    return figure
