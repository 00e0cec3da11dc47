"""What the doctor tells the user: the cause vocabulary with its fixes, a finding, and a diagnosis.

The causes are the contract scripts parse (``mexc-lab doctor --json``); docs/protocol.md has the
rule behind each one.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field

from ..extras import require
from ..protocol.signing import SignedRequest
from ..tables import table

FIXES = {
    "ok": "Nothing to fix.",
    "unchecked": "Give the secret (futures: and the API key) to check the signature, and the server time to judge "
    "the timestamp: only then can the doctor say the request would be accepted.",
    "signed_order_differs": "Sign the query exactly as you send it, in the same order (spot does not need sorting).",
    "param_added_after_signing": "Add every parameter before signing, and sign the same set you send.",
    "encoding_plus_for_space": "Encode a space as %20 before signing, not '+' (form encoding), and send those bytes.",
    "encoding_lowercase_hex": "Use uppercase hex escapes (%2C, not %2c) in what you sign.",
    "encoding_unescaped": "Percent-encode values (UTF-8, uppercase hex) before signing: ( is %28, , is %2C.",
    "encoding_over_escaped": "Leave A-Z a-z 0-9 - . _ ~ as they are when signing (~ is not %7E): MEXC keeps them.",
    "json_body_signed": "Spot signs the query and the body together: put every parameter in the query and sign "
    "that (the safe form), not a JSON body on its own.",
    "signature_in_json_body": "Send the signature in the query string (&signature=...): a signature inside a JSON "
    "body would have to sign itself.",
    "futures_signing_on_spot": "Spot signs differently: X-MEXC-APIKEY header, timestamp and signature in the query.",
    "content_type_missing": "Send Content-Type: application/json on spot POST/PUT/DELETE (MEXC answers 700013).",
    "signature_missing": "Sign the request: add timestamp, then &signature=HMAC of the query (futures: the Signature "
    "header), also for an empty parameter list and a listenKey renewal.",
    "url_repaired": "Copy the request from its source (devtools, your log), not from a web page that renders it.",
    "join_malformed": "Join k=v pairs with single '&' only: no leading or trailing '&', no '&&', no '?' signed.",
    "body_joined_with_ampersand": "Concatenate query and body with nothing between: ...type=LIMITquantity=1...",
    "signature_uppercase": "Send the hex digest in lowercase.",
    "secret_whitespace": "Strip the secret: it has whitespace (a newline, carriage return, tab or space) around it.",
    "secret_quoted": "Read only the secret's value: your bot signs with the quotes or the whole NAME=... line of "
    "its env file (use a dotenv loader, or strip the quotes and the NAME= part).",
    "hmac_key_message_swapped": "Key the HMAC with the secret and hash the signed string, not the other way round.",
    "signature_base64": "Send the digest as lowercase hex, not base64.",
    "newline_signed": "Sign the string without a line ending (echo -n, or strip the newline your code adds).",
    "method_path_signed": "Sign only the parameters (the query, then the body): not the method, the path or the '?'.",
    "signature_unexplained": "Print the exact string your bot signs and compare it byte for byte with the "
    "'server signs:' line: Python print(repr(payload)) before hmac.new; JavaScript console.log(JSON.stringify("
    'payload)); Go fmt.Printf("%q\\n", payload); Java System.out.println(payload); PHP var_dump($payload); '
    "C# Console.WriteLine(payload). Where they differ is the bug. Only if they are identical, check that the "
    "secret belongs to this API key.",
    "timestamp_ahead": "Your clock runs ahead: sync it (NTP) or offset timestamps by the server time (/api/v3/time).",
    "timestamp_expired": "Sign just before sending, sync your clock, or (within 60000 ms) raise recvWindow.",
    "timestamp_in_seconds": "Send milliseconds since the epoch (13 digits), not seconds.",
    "timestamp_missing": "Add timestamp=<milliseconds> to every signed request.",
    "recv_window_too_large": "Use a recvWindow of at most 60000 ms (Recv-Window at most 60 s for futures).",
    "contract_unsorted": "Sign futures GET/DELETE parameters sorted by name.",
    "contract_post_not_raw_json": "Sign the raw JSON body of a futures POST, not k=v pairs.",
    "contract_json_bytes_differ": "Serialize the JSON once; sign and send that same string.",
    "param_sent_twice": "Send each parameter once: a repeated name is refused before the signature is checked.",
    "recv_window_invalid": "Send recvWindow as whole milliseconds (0 to 60000); futures Recv-Window as 1 to 60 s.",
    "api_key_missing": "Send the API key in the X-MEXC-APIKEY header (futures: ApiKey).",
    "api_key_malformed": "Copy the Access Key again: MEXC's keys are 8-64 ASCII letters and digits.",
    "body_not_json": "Send the futures POST body as JSON, the same string you signed.",
}
# Rules about time: their findings come after the signature's (the order of findings).
FINDING_COLUMNS = ["cause", "evidence", "fix", "proven"]
TIME_CAUSES = ("timestamp_ahead", "timestamp_expired", "timestamp_in_seconds", "timestamp_missing")
# A signature checked and not reproduced by any known bug: a failure, whose cause is not known.
UNEXPLAINED = ("signature_unexplained",)


@dataclass(frozen=True)
class Finding:
    """One cause, the evidence for it, the fix, and whether the evidence is proof.

    ``label`` says how sure the kit is of the rule the finding rests on (documented, observed or
    inferred; docs/protocol.md#where-the-sources-disagree), ``rule`` links to it. A finding that rests
    on an inferred rule is a risk (``proven`` False) with the safe form as its fix, never a proven failure.
    """

    cause: str
    evidence: str
    fix: str
    proven: bool = True
    label: str | None = None
    rule: str | None = None  # "docs/protocol.md#duplicate-parameters"

    @property
    def certainty(self) -> str:
        """``proven``, ``inferred`` (a risk: the rule is the kit's inference) or ``possible`` (not checked)."""
        if self.proven:
            return "proven"
        return "inferred" if self.label == "inferred" else "possible"

    def to_dict(self) -> dict:
        return {
            "cause": self.cause,
            "evidence": self.evidence,
            "fix": self.fix,
            "proven": self.proven,
            "label": self.label,
            "rule": self.rule,
        }


@dataclass(repr=False)
class Diagnosis:
    """What the doctor found: a verdict, the findings (most certain first) and the fixed request.

    ``code`` is what the exchange answers for the request as far as the doctor could judge it (0:
    accepted): with the secret and the server time, exactly what the local exchange answers.
    """

    api: str
    findings: list[Finding] = field(default_factory=list)
    server_signed: str = ""
    signature_checked: bool = False
    fixed_request: SignedRequest | None = None
    code: int = 0
    request_line: str = ""  # "POST /api/v3/order", to tell many diagnoses apart
    answer_code: int | None = None  # what the exchange answered, when the paste shows it
    client_signed: str | None = None  # the string the user's signature was made from, once proven
    notes: tuple[str, ...] = ()  # what the doctor assumed (a method inferred, headers not shown)
    checked: tuple[str, ...] = ()  # what was judged ("the time window against the server time", ...)
    not_checked: tuple[str, ...] = ()  # what could not be, and why ("the signature (no secret given)")
    fix_notes: tuple[str, ...] = ()  # why the fixed request looks as it does (method, time, headers)

    @property
    def verdict(self) -> str:
        """``fail``: something is proven wrong (or the signature was checked and does not match); ``ok``: the
        signature was checked and nothing is wrong; ``unchecked``: nothing proven wrong, but the signature was
        not checked, so the doctor cannot say the request would be accepted."""
        if any(finding.proven or finding.cause in UNEXPLAINED for finding in self.findings):
            return "fail"
        if self.signature_checked and self.findings:  # the signature is right; only inferred risks remain
            return "unchecked"
        return "ok" if self.signature_checked else "unchecked"

    @property
    def causes(self) -> list[str]:
        """The findings' causes, most certain first; ``["ok"]`` or ``["unchecked"]`` when there are none."""
        return [finding.cause for finding in self.findings] or [self.verdict]

    def __repr__(self) -> str:
        return f"<Diagnosis {self.verdict}: {', '.join(self.causes)}>"

    def to_dict(self) -> dict:
        """The CLI's JSON: verdict, code, causes, findings (cause, evidence, fix, proven), signature_checked."""
        return {
            "verdict": self.verdict,
            "request": self.request_line,
            "code": self.code,
            "answer_code": self.answer_code,
            "causes": self.causes,
            "findings": [f.to_dict() for f in self.findings],
            "signature_checked": self.signature_checked,
            "checked": list(self.checked),
            "not_checked": list(self.not_checked),
            "server_signs": self.server_signed or None,
            "you_signed": self.client_signed,
        }

    def to_frame(self):
        """The findings as a pandas DataFrame (the ``[lab]`` extra)."""
        pd = require("pandas", "lab", "Diagnosis.to_frame()")
        return pd.DataFrame([f.to_dict() for f in self.findings], columns=FINDING_COLUMNS)

    def table(self, *columns: str):
        """The findings as a table to show: a pandas DataFrame where pandas is installed, the same table as HTML
        where it is not (the browser). ``columns`` picks some of cause, evidence, fix, proven (default: all)."""
        unknown = set(columns) - set(FINDING_COLUMNS)
        if unknown:
            raise ValueError(f"no column {', '.join(sorted(unknown))}: a finding has {', '.join(FINDING_COLUMNS)}")
        return table([f.to_dict() for f in self.findings], list(columns or FINDING_COLUMNS))

    @property
    def headline(self) -> str:
        """The first line: the verdict and its causes, or what was not checked."""
        if self.verdict == "ok":
            return f"ok: the {self.api} request would be accepted (signature verified)"
        if self.verdict == "fail":
            return f"fail: {', '.join(self.causes)}"
        if self.signature_checked:
            return (
                f"unchecked: the {self.api} request's signature is right; it breaks a rule MEXC does not document"
                f" (inferred: {', '.join(self.causes)}), so whether MEXC accepts it is not known"
            )
        possible = f"; possible: {', '.join(self.causes)}" if self.findings else ""
        return f"unchecked: the {self.api} request's signature was not checked, nothing proven wrong{possible}"

    @property
    def scope_lines(self) -> list[str]:
        """What was checked (for an unchecked verdict) and what was not."""
        lines = [f"checked: {', '.join(self.checked)}"] if self.verdict == "unchecked" and self.checked else []
        return lines + ([f"not checked: {'; '.join(self.not_checked)}"] if self.not_checked else [])

    @property
    def fix_why(self) -> tuple[str, ...]:
        """The fixed request's explanation as shown under it: what the notes above already said is not repeated."""
        return tuple(why for why in self.fix_notes if why not in self.notes)

    def brief(self) -> list[str]:
        """The verdict, each finding with its fix, and the string the server signs beside the one signed: what a
        live view shows under a refused request (``mexc-lab proxy``)."""
        lines = [self.headline]
        for finding in self.findings:
            lines += [f"- {finding.cause} ({finding.certainty}): {finding.evidence}", f"  fix: {finding.fix}"]
        if self.strings_differ:
            lines += ["you signed:   " + self.client_signed, "server signs: " + self.server_signed]
        elif self.shows_server_string:
            lines.append("server signs: " + self.server_signed)
        return lines

    def __str__(self) -> str:
        lines = self.brief() + self.scope_lines + [f"note: {note}" for note in self.notes]
        if self.answer_code is not None:
            lines.append(f"note: {self.answer_seen}")
        if self.fixed_request is not None:
            lines += ["fixed request:", "  " + self.fixed_request.to_curl(), *(f"  - {why}" for why in self.fix_why)]
        return "\n".join(lines)

    @property
    def answer_seen(self) -> str:
        """What the paste shows MEXC answered, next to what the doctor predicts."""
        agree = "as the doctor predicts" if self.answer_code == self.code else f"the doctor predicts {self.code}"
        return f"the paste shows MEXC answered {self.answer_code} ({agree})"

    @property
    def strings_differ(self) -> bool:
        return self.client_signed is not None and self.client_signed != self.server_signed

    @property
    def shows_server_string(self) -> bool:
        """Every failing request shows the string the server signs, to compare with the one the bot signed."""
        return self.verdict == "fail" and bool(self.server_signed)

    def _repr_html_(self) -> str:
        color = VERDICT_COLORS[self.verdict]
        rows = "".join(
            f"<tr><td style='{_CELL}'><code>{f.cause}</code></td><td style='{_CELL}'>"
            f"{f.certainty}</td><td style='{_CELL}'>{html.escape(f.evidence)}</td>"
            f"<td style='{_CELL}'>{html.escape(f.fix)}</td></tr>"
            for f in self.findings
        )
        table = (
            f"<table style='width:100%; table-layout:fixed; border-collapse:collapse'>{_COLUMNS}"
            f"<tr><th style='{_CELL}'>cause</th><th style='{_CELL}'></th><th style='{_CELL}'>evidence</th>"
            f"<th style='{_CELL}'>fix</th></tr>{rows}</table>"
            if rows
            else ""
        )
        strings = ""
        if self.strings_differ:
            you, server = highlight_difference(self.client_signed, self.server_signed)
            strings = (
                f"<div style='{_MONO}'><div>you signed:&nbsp;&nbsp; {you}</div><div>server signs: {server}</div></div>"
            )
        elif self.shows_server_string:
            strings = f"<div style='{_MONO}'><div>server signs: {html.escape(self.server_signed)}</div></div>"
        seen = (self.answer_seen,) if self.answer_code is not None else ()
        notes = "".join(
            f"<div style='color:#57606a'>{html.escape(n)}</div>"
            for n in (*self.scope_lines, *(f"note: {n}" for n in (*self.notes, *seen)))
        )
        fixed = (
            f"<p>Fixed request:</p><pre style='{_MONO}'>{html.escape(self.fixed_request.to_curl())}</pre>"
            + "".join(f"<div style='color:#57606a'>{html.escape(why)}</div>" for why in self.fix_why)
            if self.fixed_request is not None
            else ""
        )
        head = html.escape(self.headline)
        return f"<div><b style='color:{color}'>{head}</b>{table}{strings}{notes}{fixed}</div>"


# The verdict's colour wherever a diagnosis is shown: green only for a checked, accepted request.
VERDICT_COLORS = {"ok": "#1a7f37", "fail": "#cf222e", "unchecked": "#9a6700"}
_CELL = "text-align:left; vertical-align:top; padding:2px 6px; overflow-wrap:anywhere; white-space:normal"
_COLUMNS = (
    "<colgroup><col style='width:22%'><col style='width:9%'><col style='width:42%'><col style='width:27%'></colgroup>"
)
_MONO = "font-family:ui-monospace,Menlo,monospace; font-size:12px; white-space:pre-wrap; word-break:break-all"


def highlight_difference(signed: str, server: str) -> tuple[str, str]:
    """Both strings as HTML, each marked from the first character where they differ."""
    index = next(
        (i for i, (a, b) in enumerate(zip(signed, server, strict=False)) if a != b), min(len(signed), len(server))
    )

    def marked(text: str) -> str:
        return html.escape(text[:index]) + f"<mark style='background:#ffd8b5'>{html.escape(text[index:])}</mark>"

    return marked(signed), marked(server)


class Diagnoses(list):
    """The diagnoses of many requests (a bot's log, a HAR): one row each, and how often each cause came up."""

    def summary(self) -> dict[str, int]:
        """Each cause (``ok`` and ``unchecked`` included) and how many requests it was found in, most frequent first."""
        return dict(Counter(cause for diagnosis in self for cause in diagnosis.causes).most_common())

    def to_dict(self) -> dict:
        """The CLI's JSON for ``doctor --all``: every diagnosis, and the summary."""
        return {"diagnoses": [diagnosis.to_dict() for diagnosis in self], "summary": self.summary()}

    def to_frame(self):
        """One row per request: request, verdict, code, answer (if the paste shows it), causes ([lab] extra)."""
        pd = require("pandas", "lab", "Diagnoses.to_frame()")
        rows = [
            {
                "request": d.request_line,
                "verdict": d.verdict,
                "code": d.code,
                "answer": d.answer_code,
                "causes": ", ".join(d.causes),
            }
            for d in self
        ]
        return pd.DataFrame(rows, columns=["request", "verdict", "code", "answer", "causes"])

    def __repr__(self) -> str:
        counts = ", ".join(f"{cause} x{count}" for cause, count in self.summary().items())
        return f"<Diagnoses of {len(self)} requests: {counts}>"

    def __str__(self) -> str:
        lines = [f"{d.request_line or d.api}: {str(d).splitlines()[0]}" for d in self]
        counts = ", ".join(f"{cause} x{count}" for cause, count in self.summary().items())
        return "\n".join([*lines, f"{len(self)} requests: {counts}"])

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{html.escape(d.request_line)}</code></td><td>{d.verdict}</td><td>{d.code}</td>"
            f"<td>{'' if d.answer_code is None else d.answer_code}</td><td>{html.escape(', '.join(d.causes))}</td></tr>"
            for d in self
        )
        counts = ", ".join(f"<code>{cause}</code> &times;{count}" for cause, count in self.summary().items())
        return (
            "<table><tr><th>request</th><th>verdict</th><th>code</th><th>answer</th><th>causes</th></tr>"
            f"{rows}</table><p>{len(self)} requests: {counts}</p>"
        )
