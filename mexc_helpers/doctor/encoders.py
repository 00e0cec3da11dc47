"""How client libraries percent-encode a parameter, one model per library call.

MEXC rebuilds every value in one canonical form before it checks a signature (uppercase hex, a space
as ``%20``, only ``A-Z a-z 0-9 - . _ ~`` left raw; docs/protocol.md#canonical-encoding). Most
languages' everyday calls differ from it on a few characters, and a bot that signs what such a call
produced gets 700002 (spot) or 602 (futures). Each :class:`Encoder` here says which characters the
call leaves raw, what it does with a space and which hex case it writes, and names the call, its
language and the kit's example that encodes right, so the doctor can name the bug in the user's
own language. Each model is checked against the real library where it is installed (tests).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
CANONICAL_SAFE = _ALNUM + "-._~"
_ESCAPE = re.compile(r"%[0-9A-F]{2}")


def _lower(match: re.Match) -> str:
    return match.group(0).lower()


# The function in each language's example (examples/<folder>/<file>) that encodes canonically.
EXAMPLE_FIX = {
    "Python": "urllib.parse.quote(value, safe='') (mexc_helpers.encode_params)",
    "JavaScript": "encode() in examples/javascript/mexc_signing.mjs",
    "Go": "encode() in examples/go/main.go",
    "Java": "encode() in examples/java/MexcSigning.java",
    "PHP": "encode() (rawurlencode) in examples/php/mexc_signing.php",
    "C#": "Encode() in examples/csharp/MexcSigning.cs",
    "Shell": "the encode function in examples/shell/mexc_signing.sh",
}


class Encoder(NamedTuple):
    """One library call's percent-encoding: what it keeps raw, how it writes a space and hex digits."""

    name: str  # a short id: "encodeURIComponent"
    call: str  # as a user would recognise it in their code
    language: str | None  # None: no one language's habit
    safe: str  # characters left as they are (besides a space, see ``space``)
    space: str = "%20"  # "+" for form encoding
    lowercase: bool = False
    raw: bool = False  # no encoding at all: values signed as they are

    def encode(self, text: str) -> str:
        """``text`` as this call encodes it (UTF-8 bytes, ``%XX`` for what is not safe)."""
        if self.raw:
            return text
        # quote() always keeps "_.-~" raw: every call here keeps "_.-", and "~" is put back where it is not kept.
        out = quote(text, safe=self.safe + (" " if self.space == "+" else ""), errors="surrogatepass")
        if "~" not in self.safe:
            out = out.replace("~", "%7E")
        if self.space == "+":
            out = out.replace(" ", "+")
        return _ESCAPE.sub(_lower, out) if self.lowercase else out

    def differences(self, text: str) -> tuple[str, ...]:
        """The doctor's causes for what this call does differently from the canonical form on ``text``."""
        chars = set(text)
        safe, canonical = set(self.safe), set(CANONICAL_SAFE)
        causes = []
        if not self.raw and self.space == "+" and " " in chars:
            causes.append("encoding_plus_for_space")
        if self.lowercase and chars - safe - {" "}:
            causes.append("encoding_lowercase_hex")
        if (chars - canonical) & (chars if self.raw else safe):
            causes.append("encoding_unescaped")
        if not self.raw and (chars & canonical) - safe:
            causes.append("encoding_over_escaped")
        return tuple(causes)

    @property
    def fix(self) -> str:
        """The call to use instead, in the same language."""
        how = EXAMPLE_FIX.get(self.language or "", "UTF-8 bytes, uppercase %XX, %20 for a space")
        return f"encode each key and value canonically before signing, and send those same bytes: {how}"


# One model per library behaviour, each checked against the library itself where it is installed
# (tests/doctor/test_encoders.py: Python in-process; JavaScript, PHP, Go, Java and C# in a subprocess). Every one
# writes non-ASCII as its UTF-8 bytes, %XX each.
CANONICAL = Encoder("canonical", "RFC 3986 percent-encoding", "Python", CANONICAL_SAFE)
# urlencode(params) and quote_plus(value, safe=""); also what requests and httpx send for ``params=``.
# (urlencode(params, quote_via=quote) is CANONICAL: quote(value, safe="") keeps only the unreserved characters.)
QUOTE_PLUS = Encoder("quote_plus", "urllib.parse.urlencode / quote_plus", "Python", _ALNUM + "-._~", space="+")
# What requests sends for a value put raw into the URL (``requests.get(f"{url}?memo={value}")``): urllib3 escapes
# what a query cannot hold, then requote_uri. It leaves the characters JavaScript's encodeURI leaves, no more:
# ``[ ]`` are escaped. ``& = + ? #`` stay raw and keep their meaning in a URL (the server splits on ``&``, reads
# ``+`` as a space, and ``#`` starts a fragment that is never sent). Not per character: a ``%`` that starts an
# escape (``%41``) is taken as one (unreserved ones decoded), unless some ``%`` in the URL starts none.
REQUESTS_URL = Encoder("requests_url", "a raw value put into a requests URL", "Python", _ALNUM + "-._~!#$&'()*+,/:;=?@")
ENCODE_URI_COMPONENT = Encoder("encodeURIComponent", "encodeURIComponent", "JavaScript", _ALNUM + "-._~!'()*")
# new URLSearchParams(params).toString() and url.searchParams (WHATWG form encoding). No model covers a lone
# surrogate: encodeURIComponent throws URIError on one, URLSearchParams writes U+FFFD, requests raises.
URL_SEARCH_PARAMS = Encoder("URLSearchParams", "URLSearchParams", "JavaScript", _ALNUM + "*-._", space="+")
# axios' ``params`` (its buildURL encode(), 1.12.0 and later): encodeURIComponent, then ``: $ ,`` put back and
# ``+`` for a space. axios up to 1.11 also put back ``[ ]``. Not in the doctor's catalogue: what axios sends is
# read from a pasted config (doctor/forms/config.py), and a bot signs another library's string, not axios'.
AXIOS_PARAMS = Encoder("axios_params", "axios params", "JavaScript", _ALNUM + "-._~!'()*:$,", space="+")
QUERY_ESCAPE = Encoder("QueryEscape", "url.QueryEscape / url.Values.Encode", "Go", _ALNUM + "-._~", space="+")
URL_ENCODER = Encoder("URLEncoder", "URLEncoder.encode", "Java", _ALNUM + ".-*_", space="+")
# http_build_query and urlencode (rawurlencode is CANONICAL).
HTTP_BUILD_QUERY = Encoder("http_build_query", "http_build_query / urlencode", "PHP", _ALNUM + "-._", space="+")
# .NET Framework's and Mono's System.Web.HttpUtility.UrlEncode (Uri.EscapeDataString is CANONICAL).
HTTP_UTILITY = Encoder("HttpUtility", "HttpUtility.UrlEncode", "C#", _ALNUM + "-_.!*()", space="+", lowercase=True)
LOWERCASE = Encoder("lowercase", "an encoder writing lowercase hex", None, CANONICAL_SAFE, lowercase=True)
RAW = Encoder("raw", "values signed unencoded", None, "", raw=True)

# The doctor's catalogue. Its order is the order of preference when several calls produce the same bytes and
# the paste does not show its language: the commonest first.
ENCODERS = (
    QUOTE_PLUS,
    REQUESTS_URL,
    ENCODE_URI_COMPONENT,
    URL_SEARCH_PARAMS,
    QUERY_ESCAPE,
    URL_ENCODER,
    HTTP_BUILD_QUERY,
    HTTP_UTILITY,
    LOWERCASE,
    RAW,
)
LANGUAGES = tuple(EXAMPLE_FIX)

_LOWERCASE_ESCAPE = re.compile(r"%(?:[0-9a-f][a-f]|[a-f][0-9a-f])")


def sent_encoding_causes(raw: str) -> list[str]:
    """Which non-canonical encodings show in a raw query or body as sent (without the secret, a possibility)."""
    causes = []
    if "+" in raw:
        causes.append("encoding_plus_for_space")
    if _LOWERCASE_ESCAPE.search(raw):
        causes.append("encoding_lowercase_hex")
    if raw.strip(CANONICAL_SAFE + "=&%+"):
        causes.append("encoding_unescaped")
    return causes
