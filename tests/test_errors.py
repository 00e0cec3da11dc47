"""The error table holds every code docs/protocol.md#error-codes lists, with its real meaning."""

import pytest

from mexc_helpers.protocol.errors import CODES, MexcAPIError, UnknownErrorCode, explain

# (code, message) as docs/protocol.md#error-codes states them, spot and futures.
PROTOCOL_CODES = {
    700001: "API-key format invalid",
    700002: "Signature for this request is not valid.",
    700003: "Timestamp for this request is outside of the recvWindow.",
    700004: "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
    700005: "recvWindow",
    700006: "",
    700007: "",
    700008: "Illegal characters",
    10072: "Api key info invalid",
    10211: "transfer is forbidden",
    602: "Signature verification failed!",
    513: "",
    401: "Unauthorized",
    402: "Api_key expired",
    406: "",
    600: "",
}


@pytest.mark.parametrize(("code", "message"), sorted(PROTOCOL_CODES.items()))
def test_every_protocol_code_is_explained(code, message):
    info = explain(code)
    assert info.code == code
    assert message in info.message
    assert info.meaning and info.causes and info.fix
    assert info.http_status in (200, 400, 401, 402, 403, 406)
    text = str(info)
    assert str(code) in text and "Fix:" in text and info.meaning in text
    assert "<b>Fix:</b>" in info._repr_html_()


def test_spot_signature_and_time_errors_are_http_400():
    assert {explain(c).http_status for c in (700002, 700003, 700004)} == {400}


def test_10211_is_a_withdrawal_error_and_the_guide_is_corrected():
    info = explain("10211")
    assert info.message == "transfer is forbidden"
    assert "not a signature error" in info.meaning
    assert "700002" in info.note and "602" in info.note and "wrong" in info.note


def test_unknown_code_gets_a_one_line_error_saying_what_is_known():
    with pytest.raises(UnknownErrorCode, match="not an error code the kit knows: expected one of") as raised:
        explain(123456)
    assert "\n" not in str(raised.value)
    with pytest.raises(ValueError):
        explain("seven")


def test_api_error_str_includes_the_explanation():
    error = MexcAPIError(700002, "Signature for this request is not valid.", 400)
    text = str(error)
    assert text.startswith("MEXC error 700002 (HTTP 400): Signature for this request is not valid.")
    assert CODES[700002].fix in text
    assert error.code == 700002 and error.http_status == 400 and error.info is CODES[700002]
    assert "no explanation" in str(MexcAPIError(99, "odd"))
