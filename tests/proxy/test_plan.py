"""What `mexc-lab proxy` checks before it starts: where it listens and where it forwards (the kit's one plain-http
policy), and a missing [proxy] extra as one line. None of it needs mitmproxy."""

import subprocess
import sys

import pytest

from mexc_helpers.proxy.har import MASK
from mexc_helpers.proxy.run import ProxySetupError, listening_warning, plan

LOCAL = dict(host="127.0.0.1", port=8080, futures_port=8081, futures_upstream=None, class_network=False)


def test_mexc_is_the_default_upstream_and_futures_goes_to_its_own_host():
    chosen = plan(**LOCAL, upstream="https://api.mexc.com")
    assert chosen.modes == ["reverse:https://api.mexc.com@8080", "reverse:https://contract.mexc.com@8081"]


def test_a_local_exchange_serves_both_apis():
    chosen = plan(**LOCAL, upstream="http://127.0.0.1:9000/")
    assert chosen.modes == ["reverse:http://127.0.0.1:9000@8080", "reverse:http://127.0.0.1:9000@8081"]


@pytest.mark.parametrize(
    ("upstream", "options", "said"),
    [
        ("http://203.0.113.5:8080", {}, "refusing plain http to 203.0.113.5"),
        ("http://api.mexc.com", {"class_network": True}, "refusing plain http to api.mexc.com: MEXC is https only"),
        ("http://127.0.0.1:8080", {}, "is this proxy itself (is MEXC_BASE_URL or MEXC_LAB_URL pointing at the proxy?)"),
        ("https://api.mexc.com/api/v3", {}, "has a path: give just scheme, host and port"),
        ("https://api.mexc.com", {"futures_port": 8080}, "--port and --futures-port are both 8080"),
        ("ftp://example.com", {}, "is not an http(s) URL"),
    ],
)
def test_an_upstream_keys_must_not_reach_is_refused_in_one_line(upstream, options, said):
    with pytest.raises(ProxySetupError, match="^[^\n]+$") as refused:
        plan(**{**LOCAL, **options}, upstream=upstream)
    assert said in str(refused.value)


def test_a_class_exchange_over_plain_http_needs_the_opt_in():
    assert plan(**{**LOCAL, "class_network": True}, upstream="http://192.168.1.20:8080").upstream.startswith("http:")


def test_listening_beyond_this_machine_warns():
    assert listening_warning("127.0.0.1") is None
    assert listening_warning("0.0.0.0").startswith("warning: listening on 0.0.0.0, not only this machine")


def run_cli(*arguments: str, hide_mitmproxy: bool = False) -> subprocess.CompletedProcess:
    hide = "sys.modules['mitmproxy'] = None; " if hide_mitmproxy else ""
    code = f"import sys; {hide}from mexc_helpers.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_a_missing_mitmproxy_is_one_line():
    ran = run_cli("proxy", "--upstream", "http://127.0.0.1:9", hide_mitmproxy=True)
    assert ran.returncode == 2 and ran.stdout == ""
    assert ran.stderr == (
        "error: mexc-lab proxy needs mitmproxy, which is not installed: pip install 'mexc-signature-lab[proxy]'\n"
    )


@pytest.mark.slow
def test_a_bad_port_is_one_line():
    ran = run_cli("proxy", "--port", "70000")
    assert (ran.returncode, ran.stderr) == (2, "error: --port must be a port from 1 to 65535\n")


def test_the_har_mask_hides_keys_and_signatures_not_the_rest():
    mitmproxy = pytest.importorskip("mitmproxy.test.tflow")
    from mexc_helpers.proxy.har import masked_copy

    flow = mitmproxy.tflow()
    flow.request.path = "/api/v3/order?symbol=A&signature=abc123&timestamp=1"
    flow.request.headers["X-MEXC-APIKEY"] = "mx0key"
    flow.request.headers["Signature"] = "def456"
    flow.request.raw_content = b"quantity=1&signature=fff"
    masked = masked_copy(flow)
    assert masked.request.path == f"/api/v3/order?symbol=A&signature={MASK}&timestamp=1"
    assert masked.request.headers["X-MEXC-APIKEY"] == masked.request.headers["Signature"] == MASK
    assert masked.request.raw_content == f"quantity=1&signature={MASK}".encode()
    assert flow.request.headers["Signature"] == "def456"  # the flow itself, already forwarded, is untouched


@pytest.mark.slow
def test_a_port_in_use_is_one_line():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ran = run_cli("proxy", "--port", str(port), "--futures-port", str(port + 1 if port < 65535 else port - 1))
    assert ran.returncode == 2
    assert ran.stderr == f"error: cannot listen on 127.0.0.1:{port} (Address already in use): choose another --port\n"
