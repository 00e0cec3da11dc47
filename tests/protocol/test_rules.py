"""The evidence label of every refusal and every proven client bug: one table in the package
(mexc_helpers/protocol/rules.py), the same table in docs/protocol.md ("Where the sources disagree"), and
each label one of the **Label:** lines of the rule it cites."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

from mexc_helpers.doctor import FIXES
from mexc_helpers.protocol import rules, verify
from tests.lab.test_labels import PROTOCOL, RULES

ROOT = pathlib.Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (spot|futures|bug) \| `(\w+)` \| [^|]* \| (\w+) \|", re.M)
TABLE = PROTOCOL.read_text(encoding="utf-8").split('<a id="sources-disagree"></a>', 1)[1]
SHARED = ("_check_key", "_check_window", "_check_signature", "_mismatch_cause", "_window")
# Causes that are no rule of MEXC's: the verdicts themselves, a failure whose cause is not known, a paste repaired.
NOT_RULES = {"ok", "unchecked", "signature_unexplained", "url_repaired"}


def causes_in(function: ast.FunctionDef) -> set[str]:
    """The cause names a verifier function can produce: ``refuse(code, cause, ...)``'s second argument, and the
    first of the pairs ``_mismatch_cause`` returns."""
    found = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "refuse":
            cause = node.args[1]
            if isinstance(cause, ast.Constant):  # else a name, bound to one of _mismatch_cause's
                found.add(cause.value)
        elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
            first = node.value.elts[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def verifier_causes() -> dict[str, set[str]]:
    tree = ast.parse(pathlib.Path(verify.__file__).read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    shared = set().union(*(causes_in(functions[name]) for name in SHARED))
    return {
        "spot": causes_in(functions["spot_verdicts"]) | shared,
        "futures": causes_in(functions["futures_verdicts"]) | shared,
    }


@pytest.mark.parametrize("api", ["spot", "futures"])
def test_every_refusal_the_verifier_can_make_has_a_label(api):
    causes = verifier_causes()[api]
    assert causes, "the verifier's causes were not found: the test would prove nothing"
    assert causes == set(rules.REFUSALS[api]), "a refusal without a label, or a label for no refusal"


def test_every_cause_of_the_doctor_has_a_label():
    labelled = set(rules.BUGS) | set(rules.REFUSALS["spot"]) | set(rules.REFUSALS["futures"])
    assert set(FIXES) - NOT_RULES <= labelled
    # Every labelled cause has a fix to show, but those the doctor never reports: it proves a mismatch's cause,
    # and it holds the secret, so no key is unknown to it.
    assert labelled - {"signature_mismatch", "api_key_unknown"} <= set(FIXES)


def all_rules() -> list:
    return [
        pytest.param(where, cause, rule, id=f"{where}-{cause}")
        for where, table in (*rules.REFUSALS.items(), ("bug", rules.BUGS))
        for cause, rule in table.items()
    ]


@pytest.mark.parametrize(("where", "cause", "rule"), all_rules())
def test_each_label_is_one_of_its_rules_labels_in_the_docs(where, cause, rule):
    assert rule.label in rules.LABELS
    assert rule.anchor in RULES, f"{rule.anchor} is no anchor of docs/protocol.md"
    assert rule.label in RULES[rule.anchor], f"{rule.link} carries no '{rule.label}' label"


def test_the_docs_table_is_the_packages_table():
    rows = {(where, cause): label for where, cause, label in ROW.findall(TABLE)}
    package = {(where, cause): rule.label for where, cause, rule in (p.values for p in all_rules())}
    assert rows == package


def test_an_inferred_refusal_is_reported_as_a_risk_and_a_documented_one_as_a_finding():
    from mexc_helpers.doctor import diagnose
    from tests.conftest import DOCS_KEY, DOCS_SECRET

    def url(query: str) -> str:
        import hmac

        signature = hmac.new(DOCS_SECRET.encode(), query.encode(), "sha256").hexdigest()
        return (
            f"curl 'https://api.mexc.com/api/v3/account?{query}&signature={signature}' -H 'X-MEXC-APIKEY: {DOCS_KEY}'"
        )

    twice = diagnose(url("symbol=BTCUSDT&symbol=ETHUSDT&timestamp=1700000000000"), DOCS_SECRET)
    assert [(f.cause, f.proven, f.label) for f in twice.findings] == [("param_sent_twice", False, "inferred")]
    assert twice.verdict == "unchecked" and "signature is right" in twice.headline
    window = diagnose(url("recvWindow=70000&timestamp=1700000000000"), DOCS_SECRET)
    assert [(f.cause, f.proven, f.label) for f in window.findings] == [("recv_window_too_large", True, "documented")]
    assert window.verdict == "fail"
