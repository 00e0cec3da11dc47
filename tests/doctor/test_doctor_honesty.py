"""The doctor says no more than it checked: ``unchecked`` (never ``ok``) without the signature checked, the
method stated when it was inferred, a fixed request that says where its time, method and headers come from,
and a fix text that names what actually differs."""

import hmac
import json
import subprocess
import sys

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor import Diagnoses, diagnose
from mexc_helpers.doctor.intake import infer_method
from mexc_helpers.lab.doctorpanel import doctor_panel
from tests.conftest import DOCS_KEY as KEY
from tests.conftest import DOCS_SECRET as SECRET
from tests.conftest import NOW
from tests.doctor.test_doctor import (
    CORPUS,
    FUT_POST,
    ORDER,
    QUERY,
    T,
    chrome_curl,
    futures_curl,
    q,
    sign,
    spot_url,
    with_ts,
)
from tests.doctor.test_doctor_properties import one_bug

# The example: the timestamp was appended after the order was signed.
ADDED_LATER = spot_url(QUERY, q(ORDER))
GREEN = "#1a7f37"


def test_a_parameter_added_after_signing_is_unchecked_without_the_secret_and_proven_with_it():
    without = diagnose(ADDED_LATER)
    assert without.verdict == "unchecked" and without.causes == ["unchecked"]
    assert not without.signature_checked and without.code == 0
    text = str(without)
    assert text.startswith("unchecked: the spot request's signature was not checked")
    assert "checked: where the signature sits, each parameter sent once" in text
    assert "not checked: the signature (no secret given); the time window (no server time given)" in text
    assert "ok" not in text.splitlines()[0] and GREEN not in without._repr_html_()
    report = without.to_dict()
    assert (report["verdict"], report["causes"], report["signature_checked"]) == ("unchecked", ["unchecked"], False)
    assert report["not_checked"][0] == "the signature (no secret given)"
    assert "the encoding sent" in report["checked"]
    assert Diagnoses([without]).summary() == {"unchecked": 1}
    proven = diagnose(ADDED_LATER, SECRET)
    assert proven.verdict == "fail" and proven.causes == ["param_added_after_signing"]


@pytest.mark.parametrize(("name", "request_text", "kwargs", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_no_request_of_the_corpus_is_ok_without_the_secret(name, request_text, kwargs, expected):
    diagnosis = diagnose(request_text, **{**kwargs, "secret": None})
    assert diagnosis.verdict != "ok" and "ok" not in diagnosis.causes
    proven = any(finding.proven for finding in diagnosis.findings)
    assert diagnosis.verdict == ("fail" if proven else "unchecked"), str(diagnosis)
    assert any(item.startswith("the signature (") for item in diagnosis.not_checked)
    assert str(diagnosis).startswith(f"{diagnosis.verdict}:")


@settings(max_examples=150, deadline=None)
@given(case=one_bug(), server_time=st.sampled_from([None, NOW, NOW - 3000]), curl=st.booleans())
def test_any_request_whose_signature_is_not_checked_is_never_ok(case, server_time, curl):
    pairs, signed, secret, _causes = case
    url = f"https://api.mexc.com/api/v3/account?{q(pairs)}&signature={sign(signed, secret)}"
    text = f"curl '{url}' -H 'X-MEXC-APIKEY: {KEY}'" if curl else url
    diagnosis = diagnose(text, server_time=server_time)
    report = diagnosis.to_dict()
    assert report["verdict"] in ("unchecked", "fail") and "ok" not in report["causes"]
    assert (report["verdict"] == "unchecked") == (not any(f["proven"] for f in report["findings"]))
    assert (report["causes"] == ["unchecked"]) == (report["verdict"] == "unchecked" and not report["findings"])
    assert ("the time window (no server time given)" in report["not_checked"]) == (server_time is None)


def test_the_cli_says_unchecked_and_exits_0():
    result = subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "doctor", "--json", ADDED_LATER], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "unchecked" and report["causes"] == ["unchecked"]
    assert report["not_checked"][0] == "the signature (no secret given)"


def test_the_panel_with_its_defaults_says_unchecked_in_amber_not_ok_in_green(exchange):
    panel = doctor_panel(exchange, request=ADDED_LATER)
    panel.run()
    assert panel.diagnosis.verdict == "unchecked"
    assert panel.result.value.startswith("<div><b style='color:#9a6700'>unchecked:")
    assert GREEN not in panel.result.value


# --- the method ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paste",
    [f"{QUERY}&signature={sign(QUERY)}", dict(with_ts, signature=sign(QUERY)), spot_url(QUERY)],
    ids=["query string", "dict", "bare URL"],
)
def test_an_order_placement_without_a_method_is_fixed_as_a_post_and_says_so(paste):
    diagnosis = diagnose(paste, SECRET, server_time=T)
    said = "method POST inferred from the endpoint and its parameters (the paste shows none)"
    assert diagnosis.fixed_request.method == "POST" and diagnosis.request_line.startswith("POST")
    assert diagnosis.notes == (said,) and said in diagnosis.fix_notes
    assert str(diagnosis).count(said) == 1  # said once, as a note, not again under the fixed request


def test_a_query_without_an_endpoint_says_which_path_stands_in_for_it():
    diagnosis = diagnose(f"{QUERY}&signature={sign(QUERY)}", SECRET, server_time=T)
    assert "the paste shows no endpoint: /api/v3/order stands in for yours" in " ".join(diagnosis.fix_notes)
    assert not any("no endpoint" in note for note in diagnose(spot_url(QUERY), SECRET).fix_notes)


def test_a_method_assumed_from_a_bare_url_is_stated_with_the_other_method_it_could_be():
    query = f"symbol=BTCUSDT&orderId=1&timestamp={T}"
    diagnosis = diagnose(spot_url(query), SECRET, server_time=T)
    assert diagnosis.fixed_request.method == "GET"
    assert diagnosis.notes[0].startswith("method GET inferred from the endpoint and its parameters")
    assert "DELETE takes the same parameters" in diagnosis.notes[0]
    account = diagnose(spot_url(f"timestamp={T}", path="/api/v3/account"), SECRET)
    assert account.notes == ("method GET inferred from the endpoint and its parameters (the paste shows none)",)


@pytest.mark.parametrize(
    ("path", "query", "method"),
    [
        (None, "symbol=BTCUSDT&side=BUY&type=LIMIT", "POST"),
        ("/api/v3/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=1", "POST"),
        ("/api/v3/order", "symbol=BTCUSDT&orderId=1", "GET"),
        (None, "symbol=BTCUSDT&orderId=1", "GET"),
        ("/api/v3/openOrders", "symbol=BTCUSDT", "GET"),
        ("/api/v3/userDataStream", "listenKey=abc", "PUT"),
        ("/api/v3/capital/withdraw", "coin=USDT", "POST"),
    ],
)
def test_infer_method_from_the_endpoint_and_parameters(path, query, method):
    assert infer_method(path, query) == method


# --- the fixed request's time --------------------------------------------------------------------------------


def test_the_panel_judges_the_time_against_the_lab_exchange_by_default_and_fixes_it_fresh(exchange):
    ahead = chrome_curl(spot_url(f"symbol=BTCUSDT&timestamp={NOW + 2000}", path="/api/v3/openOrders"), method="GET")
    panel = doctor_panel(exchange, request=ahead)
    panel.controls["secret"].value = SECRET
    panel.run()
    assert panel.diagnosis.causes == ["timestamp_ahead"]
    fixed = panel.diagnosis.fixed_request
    assert f"timestamp={NOW}&" in fixed.url  # the lab exchange's clock, not the 2 s ahead one sent
    sent = requests.get(fixed.url.replace("https://api.mexc.com", exchange.base_url), headers=fixed.headers)
    assert sent.status_code == 200, sent.text
    assert f"timestamp {NOW} is the server time used for this diagnosis: sign again at send time" in str(
        panel.diagnosis
    )


def test_without_a_server_time_the_fixed_request_says_its_timestamp_is_not_fresh():
    diagnosis = diagnose(ADDED_LATER, SECRET)
    assert f"timestamp={T}&" in diagnosis.fixed_request.url
    assert f"timestamp {T} is the one your request carried (no server time given), so it is not fresh" in str(diagnosis)
    assert "sign again at send time" in diagnosis._repr_html_()


# --- the Content-Type ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paste", "explained"),
    [
        (spot_url(QUERY), "MEXC answered 700013"),  # an order placement: POST
        (chrome_curl(spot_url(QUERY), method="DELETE"), "MEXC answered 700013"),
        (chrome_curl(spot_url(f"timestamp={T}", path="/api/v3/account"), method="GET"), None),
        (futures_curl("POST", FUT_POST, body='{"symbol":"BTC_USDT"}'), "futures private calls require it"),
    ],
)
def test_the_content_type_of_the_fixed_request_is_explained_where_it_appears(paste, explained):
    diagnosis = diagnose(paste, SECRET, server_time=T)
    has_header = "Content-Type" in diagnosis.fixed_request.headers
    why = [note for note in diagnosis.fix_notes if note.startswith("Content-Type")]
    assert has_header == (explained is not None) and len(why) == int(has_header)
    assert all(explained in note for note in why)


# --- the futures JSON ------------------------------------------------------------------------------------------

ORDER_BODY = {"vol": 1, "symbol": "BTC_USDT", "side": 1}


@pytest.mark.parametrize(
    ("signed_options", "sent_options", "named", "not_named"),
    [
        ({"separators": (",", ":"), "sort_keys": True}, {"separators": (",", ":")}, "in its key order", "spacing"),
        ({"separators": (",", ":")}, {}, "in its spacing", "key order"),
        ({"separators": (",", ":"), "sort_keys": True}, {}, "in its key order and spacing", "escaping"),
    ],
    ids=["key order only", "spacing only", "both"],
)
def test_the_futures_json_fix_names_the_actual_difference(signed_options, sent_options, named, not_named):
    """Named for any paste; the Python calls that cause it only for a Python paste (a requests request)."""
    signed, sent = json.dumps(ORDER_BODY, **signed_options), json.dumps(ORDER_BODY, **sent_options)
    diagnosis = diagnose(futures_curl("POST", FUT_POST, body=sent, signed_params=signed), SECRET, server_time=T)
    assert diagnosis.causes == ["contract_json_bytes_differ"]
    fix = diagnosis.findings[0].fix
    assert named in fix and not_named not in fix
    assert "json" not in fix.lower().replace("the json you signed", "")  # no Python advice for a curl paste
    headers = {"ApiKey": KEY, "Request-Time": str(T), "Content-Type": "application/json"}
    headers["Signature"] = hmac.new(SECRET.encode(), f"{KEY}{T}{signed}".encode(), "sha256").hexdigest()
    python = requests.Request("POST", f"https://contract.mexc.com{FUT_POST}", headers=headers, data=sent).prepare()
    fix = diagnose(python, SECRET, server_time=T).findings[0].fix
    assert f"{named} (" in fix and not_named not in fix
    assert ("json=" in fix) == ("spacing" in named)  # requests' json= adds spaces: blamed only for spacing


def test_non_ascii_escaping_is_named_as_such():
    body = {"symbol": "BTC_USDT", "note": "é"}
    signed = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    sent = json.dumps(body, separators=(",", ":"))
    diagnosis = diagnose(futures_curl("POST", FUT_POST, body=sent, signed_params=signed), SECRET, server_time=T)
    assert "in its escaping of non-ASCII characters" in diagnosis.findings[0].fix
