"""How every check answers, and the mistakes several exercises share (a query string, a JSON body).

A check finds the *mistake* in an answer: a function that returns one line naming the misconception,
or None when the answer is right. :func:`report` prints the verdict and returns it (a
:class:`~.runner.CheckResult`). A mistake names what is wrong and why, never the right answer.
"""

from __future__ import annotations

from collections.abc import Callable

from ...protocol.encoding import EncodingError, parse_query
from ...protocol.request import parse_json
from .runner import CheckResult, verdict


def unanswered(exercise: str, *answers: object) -> CheckResult | None:
    """The result for an answer still the exercise's ``...`` (said in one line), or None when answered."""
    if any(answer is ... for answer in answers):
        text = "❓ NOT ANSWERED: replace the ... with your answer and run the cell again."
        print(text)
        return CheckResult(exercise, False, text)
    return None


def report(exercise: str, answers: tuple, mistake: Callable[..., str | None], praise: str) -> CheckResult:
    """Unanswered, right (praise), or the mistake found in the answers: one line printed, the result returned."""
    found = unanswered(exercise, *answers)
    if found is not None:
        return found
    mistake_found = mistake(*answers)
    return verdict(exercise, mistake_found is None, praise if mistake_found is None else mistake_found)


def wrong_type(answer: object, expected: type, what: str) -> str | None:
    """The mistake of an answer that is not an ``expected`` (a bool is not an int), or None."""
    if isinstance(answer, expected) and (expected is bool or not isinstance(answer, bool)):
        return None
    name = type(answer).__name__
    return f"That is {'an' if name[0] in 'aeiou' else 'a'} {name}: {what}."


def query_mistake(answer: str, right: str) -> str | None:
    """What is wrong with a query string meant to hold the same parameters as ``right``, or None.

    None also when only the order differs: which order is right is the exercise's lesson.
    """
    if answer.lstrip().startswith("{"):
        return "JSON is a futures POST body: a query signs k=v pairs joined by '&'."
    if "?" in answer or "/" in answer:
        return "Sign the parameters only: no path and no '?' in the signed string."
    if "&" not in answer and "&" in right:
        return "Join the k=v pairs with '&' (not commas or spaces)."
    if answer.startswith("&") or answer.endswith("&") or "&&" in answer:
        return "A stray '&': single '&' between the pairs, nothing before the first or after the last."
    try:
        given, wanted = parse_query(answer), dict(parse_query(right))
    except EncodingError as exc:
        return f"Not a query string ({exc})."
    names = [name for name, _ in given]
    if "signature" in names:
        return "The signature is not part of what you sign: it is computed from the string without it."
    if any(name.endswith(want) and name != want for name in names for want in wanted):
        return "Only the parameters: the API key and the time that come before them are not part of this string."
    extra = [name for name in names if name not in wanted]
    if extra:
        return f"Not among the parameters sent: {', '.join(extra)}. Sign exactly the parameters sent, nothing added."
    missing = [name for name in wanted if name not in names]
    if missing:
        return f"Missing: {', '.join(missing)}. Sign every parameter sent."
    if len(names) != len(wanted):
        return "A parameter appears twice: sign each one once, as it is sent."
    changed = [name for name, value in given if value != wanted[name]]
    if changed:
        return f"Other values for {', '.join(changed)}: sign each value exactly as it is sent."
    return None


def json_mistake(signed: str, body: str) -> str | None:
    """What is wrong with a futures POST paramString ``signed`` for the JSON ``body`` sent, or None."""
    if signed == body:
        return None
    if signed.endswith(body):
        return "Only the body: the API key and Request-Time come before it in the signed string, not in paramString."
    try:
        decoded, sent = parse_json(signed), parse_json(body)
    except ValueError:
        if "=" in signed:
            return "A futures POST does not sign k=v pairs: it signs the raw JSON body, byte for byte."
        return "Not JSON: a futures POST signs the body it sends, byte for byte."
    if decoded != sent:
        return "Another JSON than the body sent: sign the very string you send."
    if isinstance(decoded, dict) and list(decoded) != list(sent):
        return "Same JSON, keys in another order (sort_keys?): sign the bytes as sent, keys in the order sent."
    return "Same JSON, other spacing (json.dumps' default separators, what json= sends): sign the very bytes sent."
