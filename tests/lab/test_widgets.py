"""The labs, driven the way a learner drives them: by setting widget values and pressing buttons."""

import pytest

from mexc_helpers import widgets
from mexc_helpers.lab import labs

NAMES = ["symbol", "side", "type", "quantity", "price", "recvWindow", "timestamp"]


def verdicts(lab):
    return [outcome.code for outcome in lab.outcomes]


@pytest.fixture
def order():
    return widgets.order_lab()


def test_order_lab_starts_with_the_order_as_written(order):
    assert list(order.controls["tags"].value) == NAMES
    assert verdicts(order) == [0, 602]  # spot accepts; futures wants dictionary order


def test_reordering_changes_the_verdicts_as_the_rules_say(order):
    order.controls["sort"].click()
    assert list(order.controls["tags"].value) == sorted(NAMES)
    assert verdicts(order) == [0, 0]
    order.controls["shuffle"].click()
    assert sorted(order.controls["tags"].value) == sorted(NAMES) and list(order.controls["tags"].value) != sorted(NAMES)
    assert verdicts(order) == [0, 602]
    order.controls["client"].value = "signs_sorted"
    assert verdicts(order) == [700002, 0]
    order.controls["client"].value = "sends_sorted"
    assert verdicts(order) == [700002, 602]
    order.controls["tags"].value = sorted(NAMES)
    assert verdicts(order) == [0, 0]  # sorted: every behaviour signs what it sends


def test_dragging_a_tag_is_a_new_order(order):
    dragged = ["timestamp"] + NAMES[:-1]
    order.controls["tags"].value = dragged
    spot, futures = order.outcomes
    assert spot.signed_string.startswith("timestamp=") and spot.accepted and futures.code == 602


def test_removing_a_parameter_shows_a_message_not_a_traceback(order):
    order.controls["tags"].value = ["symbol", "side"]
    assert "missing: type, quantity, price, recvWindow, timestamp" in order.message.value
    assert order.outcomes == [] and "Traceback" not in order.message.value
    order.controls["tags"].value = NAMES
    assert order.message.value == "" and verdicts(order) == [0, 602]


def test_order_lab_highlights_the_first_difference(order):
    order.controls["client"].value = "signs_sorted"
    html = order.children[4].value
    assert "<mark" in html and "signed:" in html and "sent:" in html


@pytest.mark.parametrize(
    ("offset", "spot", "futures"),
    [
        (0, 0, 0),
        (999, 0, 0),
        (1000, 700003, 0),
        (1100, 700003, 0),
        (-5000, 0, 0),
        (-5100, 700003, 0),
        (-10_000, 700003, 0),
        (-10_100, 700003, 513),
        (5000, 700003, 0),
    ],
)
def test_clock_lab_slider_moves_the_verdicts(offset, spot, futures):
    lab = widgets.clock_lab()
    lab.controls["offset"].value = offset
    assert verdicts(lab) == [spot, futures]


def test_clock_lab_recv_window_widens_only_the_behind_side():
    lab = widgets.clock_lab()
    lab.controls["offset"].value = -30_000
    assert verdicts(lab)[0] == 700003
    lab.controls["recv_window"].value = 30_000
    assert verdicts(lab)[0] == 0
    lab.controls["offset"].value = 1000
    assert verdicts(lab)[0] == 700003
    lab.controls["recv_window"].value = 61_000
    assert verdicts(lab)[0] == 700005


def test_clock_lab_draws_the_window_as_svg_and_marks_the_offset_by_the_rule():
    import re

    lab = widgets.clock_lab()
    picture = lab.children[3]

    def marker() -> tuple[float, str]:
        line = re.search(r"<line class='offset' x1='([\d.]+)'[^>]* stroke='(#\w+)'", picture.value)
        return float(line.group(1)), line.group(2)

    assert picture.value.startswith("<svg") and "spot" in picture.value and "futures" in picture.value
    inside_x, inside_color = marker()
    lab.controls["offset"].value = 999  # the last accepted millisecond ahead
    assert marker()[1] == inside_color == "#1a7f37"
    lab.controls["offset"].value = 1000  # refused: 1000 ms ahead
    ahead_x, ahead_color = marker()
    assert ahead_color == "#cf222e" and ahead_x > inside_x
    lab.controls["offset"].value = -5001  # refused: behind by more than recvWindow 5000
    assert marker()[1] == "#cf222e" and marker()[0] < inside_x


@pytest.mark.parametrize(
    ("choice", "code"),
    [
        ("query", 0),
        ("json_body", 700002),
        ("form_body", 0),  # the docs' own examples (docs/protocol.md#spot-signature)
        ("query_plus_body", 0),
        ("joined_with_ampersand", 700002),
    ],
)
def test_body_lab_spot_choices(choice, code):
    lab = widgets.body_lab()
    lab.controls["spot"].value = choice
    assert lab.outcomes[0].code == code


@pytest.mark.parametrize(
    ("choice", "code"), [("raw_json", 0), ("json_kwarg", 602), ("key_value", 602), ("reordered", 602)]
)
def test_body_lab_futures_choices(choice, code):
    lab = widgets.body_lab()
    lab.controls["futures"].value = choice
    assert lab.outcomes[1].code == code


SIGNATURE_OK = 10211  # the lab's withdrawal endpoint answers 10211 once the signature is verified


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("BEP20(BSC)", [SIGNATURE_OK, SIGNATURE_OK, SIGNATURE_OK, 700002]),
        ("my order 1", [SIGNATURE_OK, 700002, SIGNATURE_OK, 700002]),
        ("1,2,3", [SIGNATURE_OK, SIGNATURE_OK, 700002, 700002]),
        ("façade", [SIGNATURE_OK, SIGNATURE_OK, 700002, 700002]),
        ("abc", [SIGNATURE_OK] * 4),
    ],
)
def test_encoding_lab_verdicts(value, expected):
    lab = widgets.encoding_lab()
    lab.controls["value"].value = value
    assert verdicts(lab) == expected
    assert [o.signature_ok for o in lab.outcomes] == [code == SIGNATURE_OK for code in expected]


@pytest.mark.parametrize(
    ("bad", "message"), [("", "type a value"), ("x" * 201, "under 200 characters"), ("\ud800", "broken character")]
)
def test_encoding_lab_bad_input_keeps_the_text_and_says_what_is_expected(bad, message):
    lab = widgets.encoding_lab()
    lab.controls["value"].value = bad
    assert message in lab.message.value
    assert lab.controls["value"].value == bad  # nothing the user typed is lost


@pytest.mark.parametrize(
    ("order", "offset", "placement", "code"),
    [
        ("same", 0, "query", 0),
        ("sorted", 0, "query", 700002),
        ("same", 1500, "query", 700003),
        ("same", -6000, "query", 700003),
        ("same", 0, "json_body", 700002),
        ("same", 0, "form_body", 0),
        ("sorted", 0, "form_body", 700002),
        ("sorted", 1500, "query", 700003),
        ("sorted", 1500, "form_body", 700003),
    ],
)
def test_overview_lab_each_fault_alone_and_combined(order, offset, placement, code):
    lab = widgets.overview_lab()
    lab.controls["order"].value = order
    lab.controls["clock"].value = offset
    lab.controls["placement"].value = placement
    assert verdicts(lab) == [code]


def test_overview_lab_columns_explain_each_control():
    lab = widgets.overview_lab()
    lab.controls["clock"].value = 1500
    columns = lab.children[1].children
    assert [column.children[0].value for column in columns] == [
        "<b>1. Parameter order</b>",
        "<b>2. Clock</b>",
        "<b>3. Query vs body</b>",
    ]
    assert "1000 ms or more ahead is refused" in columns[1].children[2].value


def test_an_unexpected_failure_shows_one_line_in_the_lab(monkeypatch):
    lab = widgets.encoding_lab()

    def broken(*args):
        raise RuntimeError("the exchange went away")

    monkeypatch.setattr(labs, "encoding_cases", broken)
    lab.controls["value"].value = "abc"
    assert "unexpected error (RuntimeError): the exchange went away" in lab.message.value


def test_labs_repr_is_stable_text():
    assert repr(widgets.body_lab()) == "<POST: query or body?: interactive lab, run the notebook to use it>"
