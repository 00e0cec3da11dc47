"""Each library model in mexc_helpers.doctor.encoders against the library itself, on random text (all of ASCII,
control characters included, and non-ASCII up to U+10FFFF; no lone surrogates, which no library encodes the
same way) and on every ASCII character one by one.

Python's libraries run in-process. Each other language runs one worker process that encodes a batch per call
(hex UTF-8 in, one tab-separated line per function out): JavaScript and PHP here, Go, Java and C# in the slow
test (their start-up takes seconds). A missing toolchain skips with one line; under CI=true it fails (CI installs
them with apt from examples/*/example.json, see .ci/run), as in tests/server/test_examples.py. axios' encoder is
checked as axios 1.12+ writes it in lib/helpers/buildURL.js (axios is no dependency of the kit).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from urllib.parse import quote, quote_plus, urlencode, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor.encoders import (
    AXIOS_PARAMS,
    CANONICAL,
    ENCODE_URI_COMPONENT,
    HTTP_BUILD_QUERY,
    HTTP_UTILITY,
    LOWERCASE,
    QUERY_ESCAPE,
    QUOTE_PLUS,
    RAW,
    REQUESTS_URL,
    URL_ENCODER,
    URL_SEARCH_PARAMS,
    Encoder,
)
from mexc_helpers.protocol.encoding import percent_encode
from tests.browser.conftest import _unavailable

ASCII = [chr(code) for code in range(128)]
NON_ASCII = ["é", "ß", "€", "中", "\u00a0", "\u2028", "\ufeff", "😀", "\U0010ffff"]
texts = st.text(
    st.one_of(st.characters(max_codepoint=127), st.characters(min_codepoint=128, exclude_categories=("Cs",))),
    max_size=24,
)
batches = st.lists(texts, min_size=1, max_size=12)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _requests_params(text: str) -> str:
    return requests.Request("GET", "https://x.test/p", params={"a": text}).prepare().url.split("?a=", 1)[1]


def _requests_sent(text: str) -> str:
    """The query requests sends for ``a=<text>`` put raw into a URL (a fragment is never sent)."""
    return urlsplit(requests.Request("GET", "https://x.test/p?a=" + text).prepare().url).query[2:]


def _httpx_params(text: str) -> str:
    import httpx

    return str(httpx.Request("GET", "https://x.test/p", params={"a": text}).url).split("?a=", 1)[1]


# (model, the library call, that call on a text), Python's in-process.
PYTHON = [
    (QUOTE_PLUS, "urlencode", lambda text: urlencode({"a": text})[2:]),
    (QUOTE_PLUS, "quote_plus(safe='')", lambda text: quote_plus(text, safe="")),
    (QUOTE_PLUS, "requests params=", _requests_params),
    (CANONICAL, "urlencode(quote_via=quote)", lambda text: urlencode({"a": text}, quote_via=quote)[2:]),
    (CANONICAL, "protocol percent_encode", percent_encode),
]


def _sent(encoded: str) -> str:
    return encoded.partition("#")[0]  # a raw "#" starts the fragment: it and what follows are not sent


@pytest.mark.parametrize(("model", "call", "real"), PYTHON, ids=[f"{m.name}={call}" for m, call, _ in PYTHON])
def test_python_models_match_the_library_on_every_ascii_character(model: Encoder, call, real):
    for char in ASCII + NON_ASCII:
        assert model.encode(char) == real(char), (call, char)


@PROPERTY
@given(text=texts, index=st.integers(0, len(PYTHON) - 1))
def test_python_models_match_the_library(text, index):
    model, call, real = PYTHON[index]
    assert model.encode(text) == real(text), call


def test_requests_url_matches_what_requests_sends_for_every_ascii_character():
    for char in ASCII + NON_ASCII:
        assert _sent(REQUESTS_URL.encode(char)) == _requests_sent(char), char


@PROPERTY
@given(texts)
def test_requests_url_matches_what_requests_sends_for_a_raw_value(text):
    assume(not re.search("%[0-9A-Fa-f]{2}", text))  # see test_requests_url_is_not_per_character
    assert _sent(REQUESTS_URL.encode(text)) == _requests_sent(text)


def test_requests_url_is_not_per_character():
    """What the model leaves out: requests takes ``%XX`` as an escape (uppercased, unreserved ones decoded) unless
    some ``%`` in the URL starts none, then it escapes every ``%``."""
    assert _requests_sent("%41%7e%2f") == "A~%2F" and REQUESTS_URL.encode("%41%7e%2f") == "%2541%257e%252f"
    assert _requests_sent("%41%") == REQUESTS_URL.encode("%41%") == "%2541%25"


def test_httpx_params_are_quote_plus():
    pytest.importorskip("httpx", reason="httpx not installed: its params= encoding is not checked")
    for text in ASCII + NON_ASCII + ["a b+c&d=e~f*g"]:
        assert QUOTE_PLUS.encode(text) == _httpx_params(text), text


@PROPERTY
@given(texts)
def test_the_non_library_models(text):
    """``lowercase`` is the canonical form in lowercase hex; ``raw`` signs the text as it is."""
    assert LOWERCASE.encode(text) == re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), percent_encode(text))
    assert RAW.encode(text) == text


# --- other languages: one worker process each ---------------------------------------------------------------


class Worker:
    """A process that reads a line of ``x<hex of UTF-8>`` items and writes one line per function: each item
    encoded, joined by tabs (every encoding escapes a tab and a newline)."""

    def __init__(self, command: list[str], functions: list[str], cwd, env=None):
        self.functions = functions
        self.errors = open(os.path.join(cwd, "stderr.txt"), "w+b")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors
        )

    def encode(self, items: list[str]) -> dict[str, list[str]]:
        line = " ".join("x" + item.encode().hex() for item in items) + "\n"
        self.process.stdin.write(line.encode())
        self.process.stdin.flush()
        answer = {}
        for name in self.functions:
            out = self.process.stdout.readline()
            if not out:
                self.errors.seek(0)
                raise AssertionError(f"the worker stopped: {self.errors.read().decode(errors='replace')[-2000:]}")
            answer[name] = out.decode().rstrip("\n").split("\t")
        return answer

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.errors.close()


NODE = r"""
const readline = require("readline");
const fns = [
  (t) => encodeURIComponent(t),
  (t) => new URLSearchParams({ a: t }).toString().slice(2),
  (t) => encodeURI(t),
  // axios' buildURL encode() as written in lib/helpers/buildURL.js since 1.12.0 (the model's definition)
  (t) => encodeURIComponent(t).replace(/%3A/gi, ":").replace(/%24/g, "$").replace(/%2C/gi, ",").replace(/%20/g, "+"),
];
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const items = line.split(" ").map((item) => Buffer.from(item.slice(1), "hex").toString("utf8"));
  process.stdout.write(fns.map((fn) => items.map(fn).join("\t")).join("\n") + "\n");
});
"""
NODE_FUNCTIONS = ["encodeURIComponent", "URLSearchParams", "encodeURI", "axios encode()"]

PHP = r"""<?php
while (($line = fgets(STDIN)) !== false) {
    $items = array_map(fn($item) => hex2bin(substr($item, 1)), explode(" ", rtrim($line, "\n")));
    $out = [[], [], []];
    foreach ($items as $t) {
        $out[0][] = substr(http_build_query(["a" => $t]), 2);
        $out[1][] = urlencode($t);
        $out[2][] = rawurlencode($t);
    }
    fwrite(STDOUT, implode("\n", array_map(fn($column) => implode("\t", $column), $out)) . "\n");
    fflush(STDOUT);
}
"""
PHP_FUNCTIONS = ["http_build_query", "urlencode", "rawurlencode"]

GO = r"""package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	for in.Scan() {
		var escaped, values []string
		for _, item := range strings.Split(in.Text(), " ") {
			raw, _ := hex.DecodeString(item[1:])
			form := url.Values{}
			form.Set("a", string(raw))
			escaped = append(escaped, url.QueryEscape(string(raw)))
			values = append(values, form.Encode()[2:])
		}
		fmt.Printf("%s\n%s\n", strings.Join(escaped, "\t"), strings.Join(values, "\t"))
	}
}
"""
GO_FUNCTIONS = ["url.QueryEscape", "url.Values.Encode"]

JAVA = r"""import java.io.*;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.*;

public class Encode {
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            List<String> out = new ArrayList<>();
            for (String item : line.split(" ", -1)) {
                String text = new String(HexFormat.of().parseHex(item.substring(1)), StandardCharsets.UTF_8);
                out.add(URLEncoder.encode(text, StandardCharsets.UTF_8));
            }
            System.out.println(String.join("\t", out));
            System.out.flush();
        }
    }
}
"""
JAVA_FUNCTIONS = ["URLEncoder.encode"]

CSHARP = r"""using System;
using System.Collections.Generic;
using System.Text;
using System.Web;

class Encode {
    static void Main() {
        string line;
        while ((line = Console.ReadLine()) != null) {
            var web = new List<string>();
            var data = new List<string>();
            foreach (var item in line.Split(' ')) {
                var bytes = new byte[(item.Length - 1) / 2];
                for (int i = 0; i < bytes.Length; i++) bytes[i] = Convert.ToByte(item.Substring(1 + 2 * i, 2), 16);
                var text = Encoding.UTF8.GetString(bytes);
                web.Add(HttpUtility.UrlEncode(text));
                data.Add(Uri.EscapeDataString(text));
            }
            Console.Out.Write(string.Join("\t", web) + "\n" + string.Join("\t", data) + "\n");
            Console.Out.Flush();
        }
    }
}
"""
CSHARP_FUNCTIONS = ["HttpUtility.UrlEncode", "Uri.EscapeDataString"]


def _tool(name: str, language: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        _unavailable(f"{name} not found: the {language} models are not checked (sudo apt-get install {package})")
    return path


def _worker(tmp_path_factory, language: str, command, functions, source_name: str, source: str, env=None):
    folder = tmp_path_factory.mktemp(language)
    (folder / source_name).write_text(source)
    return Worker([*command, source_name], functions, str(folder), env)


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    worker = _worker(tmp_path_factory, "node", [_tool("node", "JavaScript", "nodejs")], NODE_FUNCTIONS, "e.js", NODE)
    yield worker
    worker.close()


@pytest.fixture(scope="module")
def php(tmp_path_factory):
    worker = _worker(tmp_path_factory, "php", [_tool("php", "PHP", "php-cli")], PHP_FUNCTIONS, "e.php", PHP)
    yield worker
    worker.close()


def _check(worker: Worker, items: list[str], expected: dict[str, Encoder]):
    encoded = worker.encode(items)
    for function, model in expected.items():
        for item, got in zip(items, encoded[function], strict=True):
            assert model.encode(item) == got, (function, item, got)


NODE_MODELS = {
    "encodeURIComponent": ENCODE_URI_COMPONENT,
    "URLSearchParams": URL_SEARCH_PARAMS,
    "encodeURI": REQUESTS_URL,  # requests leaves raw what encodeURI leaves
    "axios encode()": AXIOS_PARAMS,
}
PHP_MODELS = {"http_build_query": HTTP_BUILD_QUERY, "urlencode": HTTP_BUILD_QUERY, "rawurlencode": CANONICAL}


def test_javascript_models_match_node_on_every_ascii_character(node):
    _check(node, ASCII + NON_ASCII, NODE_MODELS)


@PROPERTY
@given(batches)
def test_javascript_models_match_node(node, items):
    _check(node, items, NODE_MODELS)


def test_php_models_match_php_on_every_ascii_character(php):
    _check(php, ASCII + NON_ASCII, PHP_MODELS)


@PROPERTY
@given(batches)
def test_php_models_match_php(php, items):
    _check(php, items, PHP_MODELS)


@pytest.mark.slow
def test_go_java_and_csharp_models_match_their_libraries(tmp_path_factory):
    """Compiled languages, slow to start: each worker checks every ASCII character and a few hundred random texts."""
    go, java = _tool("go", "Go", "golang-go"), _tool("java", "Java", "openjdk-17-jdk-headless")
    mcs, mono = _tool("mcs", "C#", "mono-mcs"), _tool("mono", "C#", "mono-runtime")
    env = dict(os.environ)
    if not (env.get("GOCACHE") or env.get("XDG_CACHE_HOME") or env.get("HOME")):
        env["GOCACHE"] = str(tmp_path_factory.mktemp("gocache"))
    folder = tmp_path_factory.mktemp("csharp")
    (folder / "Encode.cs").write_text(CSHARP)
    built = subprocess.run([mcs, "-r:System.Web.dll", "Encode.cs"], cwd=folder, capture_output=True, text=True)
    workers = [
        (_worker(tmp_path_factory, "go", [go, "run"], GO_FUNCTIONS, "e.go", GO, env),
         {"url.QueryEscape": QUERY_ESCAPE, "url.Values.Encode": QUERY_ESCAPE}),
        (_worker(tmp_path_factory, "java", [java], JAVA_FUNCTIONS, "Encode.java", JAVA),
         {"URLEncoder.encode": URL_ENCODER}),
    ]  # fmt: skip
    if built.returncode == 0:
        workers.append(
            (
                Worker([mono, "Encode.exe"], CSHARP_FUNCTIONS, str(folder)),
                {"HttpUtility.UrlEncode": HTTP_UTILITY, "Uri.EscapeDataString": CANONICAL},
            )
        )
    try:
        for worker, models in workers:
            _check(worker, ASCII + NON_ASCII, models)

            @settings(PROPERTY, max_examples=30)
            @given(batches)
            def check_random(items):
                _check(worker, items, models)  # noqa: B023 (called here, in this iteration)

            check_random()
    finally:
        for worker, _ in workers:
            worker.close()
    if built.returncode != 0:  # System.Web is a package of its own (examples/csharp/example.json installs it)
        why = (built.stdout + built.stderr).strip()[-200:]
        _unavailable(f"C#'s HttpUtility not checked: {why} (sudo apt-get install libmono-system-web4.0-cil)")
