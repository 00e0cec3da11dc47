"""The coding exercises' checks: the right function and its equivalent variants pass; realistic wrong ones
fail with the misconception named, on the smallest input that shows it, and never with the worked answer.

The right functions are written here with the standard library (hmac, urllib.parse.quote, sorted), not
taken from the kit. The stubs and the buggy bots are read from the notebooks' exercise cells, so what
a learner starts from is what is tested.
"""

import base64
import hashlib
import hmac
import json
import pathlib
import re
import statistics
import string
from urllib.parse import quote, quote_plus, unquote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mexc_helpers import SignedRequest, checks, encode_params
from mexc_helpers.lab.checks import EXERCISES, coding, runner
from tests.conftest import DOCS_SECRET

ROOT = pathlib.Path(__file__).resolve().parents[2]


def hex_hmac(key: str, message: str, digest=hashlib.sha256) -> str:
    return hmac.new(key.encode(), message.encode(), digest).hexdigest()


def outcome(capsys, check, function):
    """The check's result, after asserting it printed exactly its message."""
    result = check(function)
    assert capsys.readouterr().out == result.message + "\n"
    return result


def exercise_cell(notebook: str) -> dict:
    """The namespace of ``notebook``'s exercise cell (tagged "exercise"), run as committed."""
    cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    [cell] = [cell for cell in cells if "exercise" in cell["metadata"].get("tags", [])]
    namespace = {"SignedRequest": SignedRequest}  # 06 imported it in an earlier cell
    exec("".join(cell["source"]), namespace)
    return namespace


# --- sign --------------------------------------------------------------------------------------------------

SIGN_RIGHT = {
    "hmac.new hexdigest": lambda secret, query: hex_hmac(secret, query),
    "hmac.digest().hex()": lambda secret, query: hmac.digest(secret.encode(), query.encode(), "sha256").hex(),
    "bytes(..., 'utf-8')": lambda secret, query: hmac.new(
        bytes(secret, "utf-8"), bytes(query, "utf-8"), hashlib.sha256
    ).hexdigest(),
}
SIGN_WRONG = {
    "uppercase hex": (lambda s, q: hex_hmac(s, q).upper(), "signature_uppercase"),
    "digest() bytes": (lambda s, q: hmac.new(s.encode(), q.encode(), hashlib.sha256).digest(), "returned bytes"),
    "base64": (
        lambda s, q: base64.b64encode(hmac.new(s.encode(), q.encode(), hashlib.sha256).digest()).decode(),
        "signature_base64",
    ),
    "key and message swapped": (lambda s, q: hex_hmac(q, s), "hmac_key_message_swapped"),
    "the query sorted": (lambda s, q: hex_hmac(s, "&".join(sorted(q.split("&")))), "signed_order_differs"),
    "the query decoded": (lambda s, q: hex_hmac(s, unquote(q)), "encoding_unescaped"),
    "a stray '&'": (lambda s, q: hex_hmac(s, q + "&"), "join_malformed"),
    "plain SHA-256": (lambda s, q: hashlib.sha256((s + q).encode()).hexdigest(), "plain SHA-256"),
    "SHA-1": (lambda s, q: hex_hmac(s, q, hashlib.sha1), "SHA-1"),
    "SHA-512": (lambda s, q: hex_hmac(s, q, hashlib.sha512), "SHA-512"),
    "no return": (lambda s, q: None, "a `return` is missing"),
}


def test_sign_never_shows_the_right_signature(capsys):
    for function, _ in SIGN_WRONG.values():
        message = outcome(capsys, checks.check_sign, function).message
        query = re.match(r"❌ FAIL: sign\(secret, '([^']*)'\)", message)[1]
        assert hex_hmac(DOCS_SECRET, query) not in message  # the input shown, never its right signature


def test_sign_shrinks_to_the_smallest_query_that_still_fails(capsys):
    """Uppercase hex fails on any query: the one shown is the bare timestamp."""
    result = outcome(capsys, checks.check_sign, SIGN_WRONG["uppercase hex"][0])
    assert result.message.startswith("❌ FAIL: sign(secret, 'timestamp=1700000000000'): the smallest")
    ordered = outcome(capsys, checks.check_sign, SIGN_WRONG["the query sorted"][0])
    assert re.match(r"❌ FAIL: sign\(secret, '\w+=\w&\w+=\w&timestamp=\d+'\)", ordered.message)  # two pairs, one char


# --- futures_param_string ----------------------------------------------------------------------------------


def quoted_pairs(pairs) -> str:
    return "&".join(f"{quote(str(name), safe='')}={quote(str(value), safe='')}" for name, value in pairs)


FUTURES_RIGHT = {
    "sorted, quote(safe='')": lambda params: quoted_pairs(sorted(params.items())),
    "urlencode(quote_via=quote)": lambda params: urlencode(sorted(params.items()), quote_via=quote, safe="~"),
    "sorted keys, one by one": lambda params: "&".join(
        f"{quote(key, safe='')}={quote(str(params[key]), safe='')}" for key in sorted(params)
    ),
}
FUTURES_WRONG = {
    "the order given": (lambda p: quoted_pairs(p.items()), "contract_unsorted"),
    "sorted by value": (lambda p: quoted_pairs(sorted(p.items(), key=lambda kv: str(kv[1]))), "contract_unsorted"),
    "urlencode": (lambda p: urlencode(sorted(p.items())), "encoding_plus_for_space"),
    "values not encoded": (lambda p: "&".join(f"{k}={v}" for k, v in sorted(p.items())), "encoding_unescaped"),
    "lowercase hex": (
        lambda p: re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quoted_pairs(sorted(p.items()))),
        "encoding_lowercase_hex",
    ),
    "JSON": (lambda p: json.dumps(dict(sorted(p.items()))), "a GET signs k=v pairs"),
    "a timestamp added": (
        lambda p: quoted_pairs(sorted({**p, "timestamp": 1700000000000}.items())),
        "Request-Time header",
    ),
    "a dict returned": (lambda p: dict(sorted(p.items())), "returned a dict"),
}


def test_futures_param_string_shows_the_smallest_unsorted_set(capsys):
    result = outcome(capsys, checks.check_futures_param_string, FUTURES_WRONG["the order given"][0])
    shown = re.match(r"❌ FAIL: futures_param_string\((\{.*?\})\)", result.message)[1]
    assert len(eval(shown)) == 2  # two names out of order: the least that shows the bug


def test_futures_param_string_gets_a_copy_it_may_change(capsys):
    def destructive(params):
        right = quoted_pairs(sorted(params.items()))
        params.clear()
        return right

    assert outcome(capsys, checks.check_futures_param_string, destructive).passed


# --- canonical ---------------------------------------------------------------------------------------------


def by_bytes(value: str) -> str:
    keep = string.ascii_letters + string.digits + "-._~"
    return "".join(chr(byte) if chr(byte) in keep else f"%{byte:02X}" for byte in value.encode("utf-8"))


CANONICAL_RIGHT = {
    "quote(safe='')": lambda value: quote(value, safe=""),
    "quote(safe='~')": lambda value: quote(value, safe="~"),
    "byte by byte": by_bytes,
}
CANONICAL_WRONG = {
    "quote_plus": (lambda v: quote_plus(v, safe=""), "quote_plus"),
    "quote's default safe='/'": (quote, "urllib.parse.quote leaves '/' raw unless given safe=''"),
    "lowercase hex": (lambda v: quote(v, safe="").lower(), "Lowercase hex"),
    "nothing encoded": (lambda v: v, "Unescaped"),
    "encodeURIComponent's set": (lambda v: quote(v, safe="-_.!~*'()"), "encodeURIComponent"),
    "encoded twice": (lambda v: quote(quote(v, safe=""), safe=""), "Encoded twice"),
    "'~' escaped": (lambda v: quote(v, safe="").replace("~", "%7E"), "Escaped '~'"),
    "latin-1 bytes": (lambda v: quote(v, safe="", encoding="latin-1", errors="replace"), "canonical returned"),
}


UNSAFE_IN_INPUTS = sorted(
    {char for value in coding.CANONICAL_INPUTS for char in value if char.isascii() and quote(char, safe="") != char}
)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(UNSAFE_IN_INPUTS))
def test_canonical_shows_the_one_character_an_encoder_gets_wrong(char):
    """An encoder wrong on exactly one character is shown that character alone, whatever it is."""
    result = checks.check_canonical(lambda value: quote(value, safe=char))
    assert not result.passed
    assert result.message.startswith(f"❌ FAIL: canonical({char!r}): the smallest")


# --- server_offset -----------------------------------------------------------------------------------------


def smallest_trip(samples):
    return min(samples, key=lambda sample: sample[2] - sample[0])


OFFSET_RIGHT = {
    "integer halves": lambda samples: (lambda s: s[1] - (s[0] + s[2]) // 2)(smallest_trip(samples)),
    "round()": lambda samples: (lambda s: round(s[1] - (s[0] + s[2]) / 2))(smallest_trip(samples)),
    "sent + half the trip": lambda samples: (lambda s: s[1] - s[0] - (s[2] - s[0]) // 2)(smallest_trip(samples)),
}


def offsets(samples):
    return [server - (sent + received) / 2 for sent, server, received in samples]


OFFSET_WRONG = {
    "the mean": (lambda ss: round(statistics.mean(offsets(ss))), "the mean of every sample"),
    "the median": (lambda ss: round(statistics.median_low(offsets(ss))), "the median"),
    "the first sample": (lambda ss: round(offsets(ss)[0]), "the first sample"),
    "the sign flipped": (lambda ss: -OFFSET_RIGHT["integer halves"](ss), "the sign flipped"),
    "no half trip": (lambda ss: smallest_trip(ss)[1] - smallest_trip(ss)[0], "no allowance for the trip out"),
    "seconds": (lambda ss: OFFSET_RIGHT["integer halves"](ss) // 1000, "seconds"),
    "a float": (lambda ss: smallest_trip(ss)[1] - (smallest_trip(ss)[0] + smallest_trip(ss)[2]) / 2, "a float"),
    "the slowest trip": (
        lambda ss: round(offsets(ss)[max(range(len(ss)), key=lambda i: ss[i][2] - ss[i][0])]),
        "largest round trip",
    ),
}


# --- the bots: post_order (03) and place_order (06) take the same arguments and return a SignedRequest ----------

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def query_and_body_bot(join="", headers=FORM, encode=encode_params, case=str, seconds=False, signed_body=None, late=""):
    """A bot with the time and signature in the query and the order in a form body; each argument one way to get it
    wrong (the defaults are right: query and body signed as one string, nothing between)."""

    def bot(params, timestamp, api_key, secret, base_url):
        query = f"timestamp={timestamp // 1000 if seconds else timestamp}"
        body = encode(params)
        signed = f"{query}{join}{signed_body(params) if signed_body else body}"
        url = f"{base_url}/api/v3/order/test?{query}&signature={case(hex_hmac(secret, signed))}{late}"
        return SignedRequest("POST", url, {"X-MEXC-APIKEY": api_key, **headers}, body)

    return bot


def all_in_body_bot(params, timestamp, api_key, secret, base_url):
    body = encode_params({**params, "timestamp": timestamp})
    body += f"&signature={hex_hmac(secret, body)}"  # the docs' own examples: everything in the form body
    return SignedRequest("POST", f"{base_url}/api/v3/order/test", {"X-MEXC-APIKEY": api_key, **FORM}, body)


def all_in_query_bot(params, timestamp, api_key, secret, base_url):
    query = encode_params({**params, "timestamp": timestamp})
    url = f"{base_url}/api/v3/order/test?{query}&signature={hex_hmac(secret, query)}"
    return SignedRequest("POST", url, {"X-MEXC-APIKEY": api_key, "Content-Type": "application/json"})


def keyless_bot(*args):
    request = query_and_body_bot()(*args)
    headers = {name: value for name, value in request.headers.items() if name != "X-MEXC-APIKEY"}
    return SignedRequest(request.method, request.url, headers, request.body)


BOT_RIGHT = {
    "query and body, one string": query_and_body_bot(),
    "everything in the body": all_in_body_bot,
    "everything in the query": all_in_query_bot,
}
BOT_WRONG = {
    "joined with '&'": (query_and_body_bot(join="&"), "The doctor proves body_joined_with_ampersand"),
    "no Content-Type": (query_and_body_bot(headers={}), "The doctor proves content_type_missing"),
    "body signed sorted": (
        query_and_body_bot(signed_body=lambda params: encode_params(dict(sorted(params.items())))),
        "The doctor proves signed_order_differs",
    ),
    "urlencode's '+'": (query_and_body_bot(encode=urlencode), "The doctor proves encoding_plus_for_space"),
    "uppercase hex": (query_and_body_bot(case=str.upper), "The doctor proves signature_uppercase"),
    "seconds": (query_and_body_bot(seconds=True), "The doctor proves timestamp_in_seconds"),
    "recvWindow after signing": (
        query_and_body_bot(late="&recvWindow=5000"),
        "The doctor proves param_added_after_signing",
    ),
    "no API key": (keyless_bot, "The doctor proves api_key_missing"),
}


# --- every check: the right variants pass, each wrong one fails naming its misconception ------------------------

EXERCISE_CASES = {  # the check, the function's name in its message, the right variants, the wrong ones
    checks.check_sign: ("sign", SIGN_RIGHT, SIGN_WRONG),
    checks.check_futures_param_string: ("futures_param_string", FUTURES_RIGHT, FUTURES_WRONG),
    checks.check_canonical: ("canonical", CANONICAL_RIGHT, CANONICAL_WRONG),
    checks.check_server_offset: ("server_offset", OFFSET_RIGHT, OFFSET_WRONG),
    checks.check_fixed_post_bot: ("post_order", BOT_RIGHT, BOT_WRONG),
    checks.check_fixed_bot: ("place_order", BOT_RIGHT, BOT_WRONG),
}


@pytest.mark.parametrize(
    ("check", "function"),
    [
        pytest.param(check, function, id=f"{name}: {variant}")
        for check, (name, right, _) in EXERCISE_CASES.items()
        for variant, function in right.items()
    ],
)
def test_right_functions_pass(capsys, check, function):
    result = outcome(capsys, check, function)
    assert result.passed, result.message
    assert result.message.startswith("✅ PASS: ")


@pytest.mark.parametrize(
    ("check", "function", "misconception"),
    [
        pytest.param(check, function, misconception, id=f"{name}: {variant}")
        for check, (name, _, wrong) in EXERCISE_CASES.items()
        for variant, (function, misconception) in wrong.items()
    ],
)
def test_wrong_functions_fail_naming_the_misconception(capsys, check, function, misconception):
    result = outcome(capsys, check, function)
    assert not result.passed
    assert result.message.startswith(f"❌ FAIL: {EXERCISE_CASES[check][0]}("), result.message
    assert misconception in result.message, result.message


def test_server_offset_names_each_misconception_alone(capsys):
    """On some inputs the first sample is also the median: the check names the one mistake consistent with every
    answer the function got wrong."""
    for function, _ in OFFSET_WRONG.values():
        message = outcome(capsys, checks.check_server_offset, function).message
        assert "; or " not in message, message


# --- the bots ----------------------------------------------------------------------------------------------


def test_the_post_bot_of_notebook_03_is_refused_for_both_its_bugs(capsys):
    bot = exercise_cell("03_post_query_vs_body.ipynb")["post_order"]
    result = outcome(capsys, checks.check_fixed_post_bot, bot)
    assert not result.passed
    assert "700013" in result.message
    assert "The doctor proves body_joined_with_ampersand" in result.message
    assert "The doctor proves content_type_missing" in result.message


def bot_06(**changes):
    """Notebook 06's bot with some of its lines repaired (``old line`` -> ``new line``)."""
    cells = json.loads((ROOT / "notebooks" / "06_workshop.ipynb").read_text(encoding="utf-8"))["cells"]
    [cell] = [cell for cell in cells if "exercise" in cell["metadata"].get("tags", [])]
    source = "".join(cell["source"])
    for old, new in changes.values():
        assert old in source
        source = source.replace(old, new)
    namespace = {"SignedRequest": SignedRequest}
    exec(source, namespace)
    return namespace["place_order"]


SORTED = ("signed = urlencode(sorted(params.items()))", "signed = urlencode(params)")
LATE = ('    params["recvWindow"] = 5000\n', "")
EARLY = ("params = dict(params, timestamp=timestamp)", "params = dict(params, timestamp=timestamp, recvWindow=5000)")
PLUS_SIGNED = ("urlencode(params)", "urlencode(params, quote_via=quote)")


@pytest.mark.parametrize(
    ("changes", "causes", "absent"),
    [
        pytest.param({}, ["signed_order_differs", "param_added_after_signing"], [], id="as given: two bugs show"),
        pytest.param({"sorted": SORTED}, ["param_added_after_signing"], ["signed_order_differs"], id="unsorted"),
        pytest.param(
            {"late": LATE, "early": EARLY},
            ["signed_order_differs"],
            ["param_added_after_signing"],
            id="recvWindow before signing",
        ),
        pytest.param(
            {"sorted": SORTED, "late": LATE, "early": EARLY},
            ["encoding_plus_for_space", "my bot 1"],
            ["signed_order_differs", "param_added_after_signing"],
            id="both fixed: the third bug, on the order with a space",
        ),
    ],
)
def test_the_workshop_bot_shows_its_bugs_one_fix_at_a_time(capsys, changes, causes, absent):
    result = outcome(capsys, checks.check_fixed_bot, bot_06(**changes))
    assert not result.passed
    for cause in causes:
        assert cause in result.message, result.message
    for cause in absent:
        assert cause not in result.message


def test_the_workshop_bot_repaired_passes(capsys):
    imports = ("from urllib.parse import urlencode", "from urllib.parse import quote, urlencode")
    repaired = bot_06(sorted=SORTED, late=LATE, early=EARLY, plus=PLUS_SIGNED, imports=imports)
    result = outcome(capsys, checks.check_fixed_bot, repaired)
    assert result.passed, result.message


def test_a_bot_sending_elsewhere_is_not_sent(capsys):
    def elsewhere(params, timestamp, api_key, secret, base_url):
        return SignedRequest("POST", "https://api.mexc.com/api/v3/order/test?timestamp=1&signature=ab", {})

    result = outcome(capsys, checks.check_fixed_bot, elsewhere)
    assert "sends to 'api.mexc.com': build the URL from base_url" in result.message


# --- what every coding check shares ------------------------------------------------------------------------

CODING_CHECKS = {
    "check_sign": ("00_start_here.ipynb", "sign"),
    "check_futures_param_string": ("01_parameter_order.ipynb", "futures_param_string"),
    "check_server_offset": ("02_clock_drift.ipynb", "server_offset"),
    "check_canonical": ("04_value_encoding.ipynb", "canonical"),
}


@pytest.mark.parametrize(("check", "where"), CODING_CHECKS.items(), ids=CODING_CHECKS)
def test_the_notebooks_stub_is_not_done_yet(capsys, check, where):
    notebook, name = where
    result = outcome(capsys, getattr(checks, check), exercise_cell(notebook)[name])
    assert not result.passed
    assert result.message == (
        f"❓ NOT DONE: {name} still raises NotImplementedError: write its body, run its cell, then run this one again."
    )


def test_an_exception_in_the_learners_code_is_its_last_line_and_the_input(capsys):
    def sign(secret, query):
        pairs = dict(pair.split("=") for pair in query.split("&"))
        return pairs["symbol"]

    message = outcome(capsys, checks.check_sign, sign).message
    assert message.startswith("❌ FAIL: sign(secret, 'timestamp=1700000000000'): the smallest")
    assert "Your function raised KeyError: 'symbol' (in sign: return pairs[\"symbol\"])" in message
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("given", "said"),
    [
        pytest.param(..., "Not answered yet: define sign", id="Ellipsis"),
        pytest.param("a1b2", "Give the check your function itself, sign (not sign(...)): this is a str", id="a str"),
    ],
)
def test_not_a_function_is_one_line(capsys, given, said):
    result = outcome(capsys, checks.check_sign, given)
    assert not result.passed
    assert said in result.message
    assert "\n" not in result.message


def test_each_check_reports_its_exercise_to_the_class(capsys, monkeypatch):
    reported = []
    monkeypatch.setattr(runner, "report_exercise", lambda exercise, passed: reported.append((exercise, passed)))
    checks.check_sign(SIGN_RIGHT["hmac.new hexdigest"])
    checks.check_canonical(quote_plus)
    checks.check_exercise_1(700002)
    checks.check_exercise_5("BEP20+%28BSC%29%2C1")
    checks.check_sign(...)  # not an answer: nothing to report
    checks.check_exercise_1(...)
    assert reported == [("sign", True), ("canonical", False), ("exercise_1", True), ("exercise_5", False)]
    assert {exercise for exercise, _ in reported} <= {name for name, _ in EXERCISES}


def test_a_result_is_shown_once_in_a_notebook(capsys):
    result = outcome(capsys, checks.check_canonical, CANONICAL_RIGHT["quote(safe='')"])
    assert result._ipython_display_() is None  # the check printed it; displaying the result adds nothing
    assert "passed=True" in repr(result)
