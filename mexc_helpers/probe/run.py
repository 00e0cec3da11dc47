"""Running the probe: each experiment's requests go to an exchange, and to the kit's rules for a prediction.

The prediction comes from the kit's own local exchange (:class:`~mexc_helpers.server.app.ExchangeApp`),
created for this run only, holding your key and running on the server's clock as estimated by
:class:`~mexc_helpers.client.ServerClock`; the live answer comes from the exchange probed. Answers
are compared as outcomes: "signature accepted" (accepted, or refused for a business reason, which
MEXC checks only after the signature) or "refused N" (a business refusal too, when it is what the
request asks: an unknown symbol read from one place or the other). An experiment is

- ``agree`` when every request's outcome is the predicted one,
- ``disagree`` when one is not (and its answer does not hang on the clock's uncertainty),
- ``inconclusive`` when a request got no answer, or sits nearer a window's edge than the clock
  can be trusted: half the request's round trip plus the offset's uncertainty.

The report holds no secret, no key and no signature: only what was asked, predicted and answered.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import requests

from .. import __version__
from ..client import ServerClock
from ..protocol.clock import now_ms
from ..protocol.envelope import read_answer
from ..protocol.errors import codes_of_kind, signature_passed
from ..protocol.urls import futures_base_url_for
from ..server.app import ExchangeApp
from ..server.inprocess import InProcessTransport
from .experiments import EXPERIMENTS, Experiment, Target

SYNC_SAMPLES = 5  # /api/v3/time calls to estimate the server's clock (public, unsigned)
DEFAULT_SPACING_S = 0.25  # between two requests: about 4 a second, far under MEXC's limits
SIGNATURE_ACCEPTED = "signature accepted"
VERDICTS = ("agree", "disagree", "inconclusive")
# "Outside the window" (spot, futures): docs/protocol.md#spot-time-window, #futures-time-window.
OUTSIDE_WINDOW = frozenset((700003, 513))
# Refusals of the key (permissions, IP whitelist, unknown) or of the endpoint (404): about the account, not a rule.
NOT_ASKED = codes_of_kind("auth", "local")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_HEX64 = re.compile(r"\b[0-9a-fA-F]{64}\b")


@dataclass(frozen=True)
class Answer:
    """An exchange's answer reduced to its code and message; ``code`` None when there was no MEXC answer.

    ``told_apart`` are the business refusals the request asks about (its step's), kept apart from acceptance.
    """

    code: int | None
    msg: str
    told_apart: frozenset[int] = frozenset()

    @property
    def outcome(self) -> str:
        """What the answer proves: the signature accepted (business refusals included, but those told apart),
        or refused with a code."""
        if self.code is None:
            return "no answer"
        if signature_passed(self.code) and self.code not in self.told_apart:
            return SIGNATURE_ACCEPTED
        return f"refused {self.code}"


def answer_of(response, told_apart: frozenset[int] = frozenset()) -> Answer:
    """A spot ``{"code", "msg"}`` or futures ``{"success", "code", "message"}`` answer, its code read as every
    reader of the exchange's answers reads it (:func:`~mexc_helpers.protocol.envelope.read_answer`; a success is 0)."""
    answer = read_answer(response.status_code, response.text)
    if answer.code is None:
        return Answer(None, f"HTTP {response.status_code} without a MEXC code", told_apart)
    return Answer(answer.code, answer.message, told_apart)


@dataclass(frozen=True)
class StepResult:
    """One request of an experiment: what differs, the prediction, the live answer, and the clock's say."""

    method: str
    path: str
    differs: str
    label: str
    predicted: Answer
    live: Answer
    margin_ms: int | None = None
    uncertainty_ms: int | None = None

    @property
    def unclear(self) -> bool:
        """No answer; a refusal of the key itself (its permissions, its IP whitelist) or of the endpoint, which
        no experiment asks about; a clock edge nearer than the clock can be trusted; or a request signed well
        inside the window refused for its time (the clock estimate was wrong, not the rule under test)."""
        if self.live.code is None:
            return True
        if self.live.code in NOT_ASKED and self.predicted.code not in NOT_ASKED:
            return True
        if self.margin_ms is not None:
            return self.uncertainty_ms >= self.margin_ms
        return self.live.code in OUTSIDE_WINDOW and self.predicted.code not in OUTSIDE_WINDOW

    @property
    def agrees(self) -> bool:
        """Whether the live answer proves what the prediction does (both "signature accepted", or the same code)."""
        return self.predicted.outcome == self.live.outcome


@dataclass(frozen=True)
class Result:
    """An experiment and the outcomes of its requests."""

    experiment: Experiment
    outcomes: tuple[StepResult, ...]

    @property
    def verdict(self) -> str:
        """``disagree`` if a clear request contradicts the prediction, else ``inconclusive`` if one is unclear,
        else ``agree``."""
        if any(not o.agrees and not o.unclear for o in self.outcomes):
            return "disagree"
        return "inconclusive" if any(o.unclear for o in self.outcomes) else "agree"

    def line(self) -> str:
        """One line: the verdict, the name, and each request's outcome (predicted vs live where they differ)."""
        parts = [
            f"{o.label}: {o.live.outcome}"
            if o.agrees
            else f"{o.label}: predicted {o.predicted.outcome}, live {o.live.outcome}"
            for o in self.outcomes
        ]
        return f"{self.verdict:<13}{self.experiment.name:<37}{' | '.join(parts)}"


@dataclass(frozen=True)
class ProbeReport:
    """Everything the probe found, safe to attach to a public issue (no secret, key or signature)."""

    target: str
    futures_target: str
    date: str
    offset_ms: int
    offset_uncertainty_ms: int
    results: tuple[Result, ...]

    @property
    def counts(self) -> Counter:
        """How many experiments ended with each verdict."""
        return Counter(result.verdict for result in self.results)

    @property
    def exit_code(self) -> int:
        """0 if no experiment disagrees with the kit's rules, 1 if one does."""
        return 1 if self.counts["disagree"] else 0

    def summary(self) -> str:
        """The last line: experiments, requests sent, and the count of each verdict."""
        sent = sum(len(result.outcomes) for result in self.results)
        counts = ", ".join(f"{self.counts[verdict]} {verdict}" for verdict in VERDICTS)
        return f"{len(self.results)} experiments, {sent} signed requests (+{SYNC_SAMPLES} to read the clock): {counts}"

    def __str__(self) -> str:
        return "\n".join([result.line() for result in self.results] + [self.summary()])

    def to_dict(self, secrets: Iterable[str] = ()) -> dict:
        """The JSON report: kit version, date, target, and per experiment its rule, requests and verdict."""
        return {
            "kit": "mexc-signature-lab",
            "version": __version__,
            "date": self.date,
            "target": self.target,
            "futures_target": self.futures_target,
            "clock": {"offset_ms": self.offset_ms, "uncertainty_ms": self.offset_uncertainty_ms},
            "summary": {verdict: self.counts[verdict] for verdict in VERDICTS},
            "experiments": [_result_dict(result, tuple(secrets)) for result in self.results],
        }


def _safe(text: str, secrets: tuple[str, ...]) -> str:
    """An exchange's message fit for a public report: no key or secret, no digest, no IP address."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return _IPV4.sub("<ip>", _HEX64.sub("<hex>", text))[:200]


def _answer_dict(answer: Answer, secrets: tuple[str, ...]) -> dict:
    return {"code": answer.code, "msg": _safe(answer.msg, secrets), "outcome": answer.outcome}


def _result_dict(result: Result, secrets: tuple[str, ...]) -> dict:
    experiment = result.experiment
    requests_ = []
    for outcome in result.outcomes:
        entry = {"method": outcome.method, "path": outcome.path, "differs": outcome.differs}
        entry.update(prediction=_answer_dict(outcome.predicted, secrets), live=_answer_dict(outcome.live, secrets))
        if outcome.margin_ms is not None:
            entry.update(margin_ms=outcome.margin_ms, uncertainty_ms=outcome.uncertainty_ms)
        requests_.append(entry)
    return {
        "name": experiment.name,
        "question": experiment.question,
        "rule": experiment.rule,
        "requests": requests_,
        "verdict": result.verdict,
    }


def run_probe(
    api_key: str,
    secret: str,
    base_url: str,
    *,
    spacing: float = DEFAULT_SPACING_S,
    experiments: Iterable[Experiment] = EXPERIMENTS,
    session: requests.Session | None = None,
    clock: Callable[[], int] = now_ms,
    on_result: Callable[[Result], None] | None = None,
    timeout: float = 10.0,
) -> ProbeReport:
    """Run the experiments against the exchange at ``base_url`` (spot; futures derived as everywhere in the kit).

    The server's clock is estimated first from the smallest of several round trips; every
    timestamp is then placed on that clock, compensated for half that round trip, and the
    prediction exchange runs on the same estimate. ``spacing`` seconds pass between two requests.
    """
    session = session or requests.Session()
    server_clock = ServerClock(base_url, samples=SYNC_SAMPLES, clock=clock, session=session)
    server_clock.sync()
    fastest = min(sample.round_trip_ms for sample in server_clock.history)
    one_way, uncertainty = fastest // 2, fastest - fastest // 2

    def arrival() -> int:
        return server_clock.now() + one_way

    futures_base = futures_base_url_for(base_url)
    target = Target(api_key, secret, base_url, futures_base, arrival)
    predict = InProcessTransport(ExchangeApp({api_key: secret}, clock=arrival))
    results, first = [], True
    for experiment in experiments:
        outcomes = []
        for step in experiment.steps:
            if not first:
                time.sleep(spacing)
            first = False
            request = step.build(target)
            predicted = answer_of(predict(request), step.told_apart)
            started = clock()
            try:
                live = answer_of(request.send(session, timeout), step.told_apart)
            except requests.RequestException as error:
                live = Answer(None, f"network error: {type(error).__name__}")
            half_trip = -(-(clock() - started) // 2)
            method, path = experiment.endpoint
            outcomes.append(
                StepResult(
                    method, path, step.differs, step.label, predicted, live, step.margin_ms, uncertainty + half_trip
                )
            )
        results.append(Result(experiment, tuple(outcomes)))
        if on_result is not None:
            on_result(results[-1])
    date = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return ProbeReport(base_url, futures_base, date, server_clock.offset_ms, uncertainty, tuple(results))
