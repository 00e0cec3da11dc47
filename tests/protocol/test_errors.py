"""The error table holds every code docs/protocol.md#error-codes lists, with its real meaning."""

import pathlib

import pytest

from mexc_helpers.protocol.errors import (
    CODES,
    MexcAPIError,
    UnknownErrorCode,
    codes_of_kind,
    explain,
    signature_passed,
)

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
    assert info.meaning and info.reasons and info.fix
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


def documented_table() -> dict[int, tuple[str, int, str, str]]:
    """docs/protocol.md#error-codes as {code: (api, http, message, kind)}."""
    text = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = text.split('<a id="error-codes"></a>', 1)[1].split("<a id=", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].lstrip("-").isdigit():
            rows[int(cells[0])] = (cells[1], int(cells[2]), cells[3], cells[4])
    return rows


def test_every_code_has_the_kind_docs_protocol_md_gives_it():
    documented = documented_table()
    assert len(documented) >= 25
    assert documented == {code: (info.api, info.http_status, info.message, info.kind) for code, info in CODES.items()}


def test_lists_of_codes_derive_from_the_kinds():
    assert codes_of_kind("time") == {700003, 700005, 513}
    assert codes_of_kind("signature") == {700002, 700004, 700008, 700013, 602}
    assert signature_passed(0) and signature_passed(10211) and signature_passed(30002)
    assert not any(signature_passed(code) for code in (700002, 700003, 10072, 602, 513, 401, 404))
    with pytest.raises(ValueError, match="unknown error kind"):
        codes_of_kind("signatures")


def test_the_exchanges_verdict_decides_where_it_is_known():
    """33333 is a business code, and also the local exchange's answer to a parameter sent twice, which it
    refuses before the signature: its log's cause tells the two apart, the code alone cannot."""
    assert signature_passed(33333)
    assert not signature_passed(33333, "param_sent_twice")
    assert signature_passed(33333, "business") and signature_passed(0, "ok")
    assert not signature_passed(700002, "signature_mismatch")


def test_a_logged_duplicate_parameter_did_not_pass_the_signature_checks():
    from mexc_helpers import LocalExchange, sign_spot

    with LocalExchange(in_process=True) as exchange:
        signed = sign_spot(
            "GET", "/api/v3/account", {}, api_key=exchange.api_key, secret=exchange.secret, base_url=exchange.base_url
        )
        url = signed.url.replace("?", "?recvWindow=5000&recvWindow=5000&", 1)
        assert type(signed)(signed.method, url, signed.headers).send().json()["code"] == 33333
        assert exchange.log.last.code == 33333 and not exchange.log.last.signature_passed
