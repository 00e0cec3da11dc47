"""A curl command, as "Copy as cURL" in Chrome, Firefox or Postman writes it (bash quoting).

A body given with ``-d`` (and its kin) makes curl send ``Content-Type: application/x-www-form-urlencoded``
unless a ``-H`` sets one, and ``--json`` ``application/json``: the reader adds what curl adds.
"""

from __future__ import annotations

import re
import shlex

from ..pasted import PastedRequest, UnusableInput
from .url import from_url

# curl options that take an argument (so the argument is not mistaken for the URL).
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "--json"}
# The Content-Type curl adds for a body given without a -H for it (curl's manual, -d and --json).
_CURL_DATA_TYPE = {"--json": "application/json"}
_WITH_ARGUMENT = _DATA | {
    "-X",
    "--request",
    "-H",
    "--header",
    "--url",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-x",
    "--proxy",
    "--retry",
    "-w",
    "--write-out",
    "--cacert",
    "--cert",
    "--key",
    "-T",
    "--upload-file",
}


def read_curl(text: str, body: str | None) -> PastedRequest:
    text = re.sub(r"\\\r?\n", " ", text)  # bash line continuations
    try:
        tokens = shlex.split(text)
    except ValueError as error:
        raise UnusableInput(f"the curl command does not parse ({error}): paste it whole, quotes included") from None
    method, url, headers, data, data_type = None, None, {}, [], None
    index = 1
    while index < len(tokens):
        token = tokens[index]
        argument = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in _WITH_ARGUMENT:
            if argument is None:
                raise UnusableInput(f"the curl option {token} has no value: the command looks cut short")
            if token in ("-X", "--request"):
                method = argument.upper()
            elif token in ("-H", "--header"):
                name, _, value = argument.partition(":")
                headers[name.strip()] = value.strip()
            elif token in _DATA:
                data.append(argument)
                data_type = _CURL_DATA_TYPE.get(token, "application/x-www-form-urlencoded")
            elif token == "--url":
                url = argument
            index += 2
            continue
        if not token.startswith("-"):
            url = url or token
        index += 1
    if url is None:
        raise UnusableInput("the curl command has no URL: expected curl 'https://api.mexc.com/...' ...")
    sent_body = body if body is not None else "&".join(data)
    if data_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = data_type  # what curl itself sends with -d (or --json) and no -H for it
    return from_url(url, method or ("POST" if sent_body else "GET"), sent_body, headers, "curl")
