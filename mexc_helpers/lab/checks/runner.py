"""How a coding exercise is checked: the learner's function on many inputs, the first that fails made small.

A check calls the learner's function on a fixed list of inputs (the same every run: simple ones first,
then the values real bugs trip on), judges each output by the kit's own rules (and, for a signer, by
the exchange's answer and the doctor's proof), and on the first failure shrinks the input, step by
step, to the smallest one that still fails *the same way*. The message names the misconception with
that input, what the function returned and what the exchange rebuilt, never the worked solution.

An exception in the learner's code is a failure too: its last line, the line of their code it came
from, and the input that caused it. :class:`CheckResult` is what every coding check returns.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ...classmode import report_exercise
from ...doctor import UnusableInput, diagnose
from ...protocol.envelope import read_answer
from ...protocol.signing import SignedRequest

# Each shrinking step runs the learner's function (and may send a request): past this many, the input found so far.
MAX_SHRINK_STEPS = 200
# What the learner's function returned, shown up to this many characters (a runaway string stays readable).
SHOWN_CHARS = 160
REFUSED = "refused"  # the kind of a refusal without a proven cause


@dataclass(frozen=True)
class CheckResult:
    """A coding check's verdict: ``passed``, and the ``message`` it printed (``PASS`` or ``FAIL`` and why)."""

    exercise: str
    passed: bool
    message: str

    def _ipython_display_(self) -> None:
        """Nothing: the check printed the message already (a cell ending in ``check_sign(sign)`` shows it once)."""


class Failure(NamedTuple):
    """What is wrong with one output: ``kind`` (the same kind while shrinking) and the lines that explain it."""

    kind: str
    lines: tuple[str, ...]


class LearnerError(Exception):
    """The learner's function raised: their exception's last line and the line of their code it came from."""


def shown(value: object) -> str:
    """A value as the message shows it: its repr, cut short when long."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[: SHOWN_CHARS - 20]}... ({len(text)} characters)"


def call(function: Callable, *args):
    """``function(*args)``, with an exception in it turned into a :class:`LearnerError` (NotImplementedError passes)."""
    try:
        return function(*args)
    except NotImplementedError:
        raise
    except Exception as error:
        raise LearnerError(_where(error, function)) from None


def _where(error: Exception, function: Callable) -> str:
    """``ZeroDivisionError: division by zero (in sign: return 1 / 0)``: the last line, and the line of theirs."""
    last = traceback.format_exception_only(type(error), error)[-1].strip()
    code = getattr(function, "__code__", None)
    theirs = [
        frame for frame in traceback.extract_tb(error.__traceback__) if code and frame.filename == code.co_filename
    ]
    if not theirs:
        return last
    frame = theirs[-1]
    return f"{last} (in {frame.name}: {(frame.line or '').strip()})"


def exchange_failure(request: SignedRequest, exchange) -> Failure | None:
    """Send ``request`` to ``exchange``; None if it accepts, else its answer with the doctor's proven cause.

    The doctor reads the request as raw HTTP (exactly these headers and bytes) with the exchange's secret
    and clock, so a cause it names is proven by reproducing the signature, and an unexplained signature
    is said to be unexplained, never blamed on the secret.
    """
    response = request.send()
    answer = read_answer(response.status_code, response.text)
    if answer.code == 0:
        return None
    lines = [f"The exchange refused it: {answer.code} {answer.message}".rstrip()]
    try:
        diagnosis = diagnose(request.to_http(), exchange.secret, server_time=exchange.server_time())
    except UnusableInput:  # a signature without the shape of a SHA-256 digest: nothing the doctor can prove
        return Failure(f"{REFUSED} {answer.code}", tuple(lines))
    proven = [finding for finding in diagnosis.findings if finding.proven]
    for finding in proven:
        lines.append(f"The doctor proves {finding.cause}: {finding.evidence}")
        lines.append(f"  Fix: {finding.fix}")
    if diagnosis.server_signed:
        lines.append(f"The exchange rebuilt and signed: {shown(diagnosis.server_signed)}")
    if diagnosis.client_signed and diagnosis.client_signed != diagnosis.server_signed:
        lines.append(f"Your code signed:                {shown(diagnosis.client_signed)}")
    causes = "+".join(finding.cause for finding in proven) or f"{REFUSED} {answer.code}"
    return Failure(causes, tuple(lines))


def unexplained(failure: Failure | None) -> bool:
    """True for a refusal whose cause the doctor could not prove (a signature no known client bug reproduces)."""
    return failure is not None and failure.kind.startswith(REFUSED)


def first_failure(inputs: Iterable, judge: Callable[[object], Failure | None]) -> tuple[object, Failure] | None:
    """The first input ``judge`` finds wrong, with its failure; None when every input passes."""
    for given in inputs:
        failure = judge(given)
        if failure is not None:
            return given, failure
    return None


def shrink(given, failure: Failure, judge: Callable, smaller: Callable[[object], Iterable]) -> tuple[object, Failure]:
    """The smallest input reached from ``given`` by ``smaller`` steps that still fails the same way."""
    steps = 0
    improved = True
    while improved and steps < MAX_SHRINK_STEPS:
        improved = False
        for candidate in smaller(given):
            steps += 1
            found = judge(candidate)
            if found is not None and found.kind == failure.kind:
                given, failure, improved = candidate, found, True
                break
            if steps >= MAX_SHRINK_STEPS:
                break
    return given, failure


def guarded(judge: Callable[[object], Failure | None]) -> Callable[[object], Failure | None]:
    """``judge`` with the learner's exception turned into a failure of its own kind."""

    def judged(given):
        try:
            return judge(given)
        except LearnerError as error:
            return Failure(f"raised {str(error).split(':')[0]}", (f"Your function raised {error}",))

    return judged


def verdict(exercise: str, passed: bool, text: str, report: bool = True) -> CheckResult:
    """Print the verdict (``PASS``/``FAIL`` beside its symbol), tell the class exchange, return the result."""
    message = ("✅ PASS: " if passed else "❌ FAIL: ") + text
    print(message)
    if report:
        report_exercise(exercise, passed)
    return CheckResult(exercise, passed, message)


def run(
    exercise: str,
    function: object,
    name: str,
    inputs: Sequence,
    judge: Callable[[object], Failure | None],
    smaller: Callable[[object], Iterable],
    describe: Callable[[object], str],
    praise: str,
) -> CheckResult:
    """Check ``function`` (the learner's ``name``) on ``inputs``: PASS with ``praise``, or FAIL on the smallest
    failing input, described by ``describe`` (the call as the learner would write it), and why."""
    if not callable(function):
        return verdict(exercise, False, _not_a_function(name, function), report=False)
    judge = guarded(judge)
    try:
        found = first_failure(inputs, judge)
        if found is not None:
            found = shrink(*found, judge, smaller)
    except NotImplementedError:
        text = f"{name} still raises NotImplementedError: write its body, run its cell, then run this one again."
        print("❓ NOT DONE: " + text)
        return CheckResult(exercise, False, "❓ NOT DONE: " + text)
    if found is None:
        return verdict(exercise, True, f"{praise} ({len(inputs)} inputs tried).")
    given, failure = found
    lines = [f"{describe(given)}: the smallest of the failing inputs.", *failure.lines]
    return verdict(exercise, False, "\n   ".join(lines))


def _not_a_function(name: str, value: object) -> str:
    if value is ...:
        return f"Not answered yet: define {name} in the exercise's cell and run it, then this one."
    return f"Give the check your function itself, {name} (not {name}(...)): this is a {type(value).__name__}."
