<?php
// MEXC request signing in plain PHP 8.2: hash_hmac + file_get_contents, no curl, no Composer.
// Run: php mexc_signing.php   (MEXC_BASE_URL, MEXC_FUTURES_URL, MEXC_API_KEY, MEXC_SECRET_KEY override the defaults)
// MEXC_EXAMPLE_BUG=sorted|plus|recvwindow-after (a bug to switch on, for the kit's proxy tests)
declare(strict_types=1);

$spotUrl    = rtrim(getenv('MEXC_BASE_URL') ?: 'http://127.0.0.1:8080', '/');
$futuresUrl = rtrim(getenv('MEXC_FUTURES_URL') ?: $spotUrl, '/');
$apiKey     = getenv('MEXC_API_KEY') ?: 'mx0aBYs33eIilxBWC5';
$secret     = getenv('MEXC_SECRET_KEY') ?: '45d0b3c26f2644f19bfb98b07741b2f5';
define('BUG', (string) getenv('MEXC_EXAMPLE_BUG')); // spot requests only; unset or empty: no bug
if (!in_array(BUG, ['', 'sorted', 'plus', 'recvwindow-after'], true)) {
    fwrite(STDERR, "MEXC_EXAMPLE_BUG must be one of: sorted, plus, recvwindow-after (got '" . BUG . "')\n");
    exit(2);
}

function nowMs(): string
{
    // Integer milliseconds as a string: a float would risk "1.7E+12" or a fraction in the signed text.
    return (string) (int) floor(microtime(true) * 1000);
}

function sign(string $secret, string $payload): string
{
    return hash_hmac('sha256', $payload, $secret); // lowercase hex, which is what MEXC compares
}

// The classic PHP bug with MEXC: urlencode() and http_build_query() (default PHP_QUERY_RFC1738) turn a
// space into "+", so the string you sign is not the one the server rebuilds from the decoded query, and the
// answer is 700002. rawurlencode() is RFC 3986: space -> %20, uppercase hex, keeps A-Z a-z 0-9 - _ . ~,
// encodes everything else (so "*" -> %2A), which is exactly MEXC's canonical form.
function encode(string $value): string
{
    return rawurlencode($value);
}

/** @param array<string, string> $params  joined in the order given: the order you sign is the order you send */
function queryString(array $params): string
{
    $pairs = [];
    foreach ($params as $name => $value) {
        $pairs[] = encode((string) $name) . '=' . encode($value);
    }
    return implode('&', $pairs);
}

/** @param list<string> $headers */
function send(string $method, string $url, array $headers, string $body = ''): string
{
    $options = ['method' => $method, 'header' => $headers, 'ignore_errors' => true, 'timeout' => 15];
    if ($body !== '') {
        $options['content'] = $body; // these exact bytes, never re-encoded after signing
    }
    $answer = @file_get_contents($url, false, stream_context_create(['http' => $options]));
    if ($answer === false) {
        fwrite(STDERR, 'network error: ' . (error_get_last()['message'] ?? "no answer from $url") . "\n");
        exit(1);
    }
    // $http_response_header is filled in by file_get_contents in this scope; line 0 is "HTTP/1.1 200 OK".
    $status = explode(' ', $http_response_header[0] ?? 'HTTP/1.1 0')[1] ?? '0';
    return "$status " . trim($answer);
}

/** Spot: sign the query string itself, then append the signature to it. */
function spot(string $method, string $base, string $path, array $params, string $apiKey, string $secret): void
{
    // Even with no parameters the timestamp is signed: skipping the signature when $params is empty fails.
    $query = queryString($params + ['timestamp' => nowMs()]);
    $signed = $query;
    // The switchable bugs (MEXC_EXAMPLE_BUG): signed sorted by name but sent unsorted; a space as + (form
    // encoding, urlencode()'s habit), signed and sent; recvWindow added after signing.
    if (BUG === 'sorted') {
        $pairs = explode('&', $query);
        usort($pairs, fn (string $a, string $b): int => strcmp(explode('=', $a)[0], explode('=', $b)[0]));
        $signed = implode('&', $pairs);
    }
    if (BUG === 'plus') {
        $signed = $query = str_replace('%20', '+', $query);
    }
    $sent = BUG === 'recvwindow-after' ? "$query&recvWindow=5000" : $query;
    $url = "$base$path?$sent&signature=" . sign($secret, $signed);
    $headers = ["X-MEXC-APIKEY: $apiKey", 'Content-Type: application/json'];
    echo "spot $method $path -> " . send($method, $url, $headers) . "\n";
}

/** Futures: sign api_key + request_time + param string, with the signature in the headers. */
function futures(string $method, string $base, string $path, array|string $params, string $apiKey, string $secret): void
{
    if (is_array($params)) {
        // GET: the server rebuilds the param string in dictionary order, so sign (and send) it sorted.
        ksort($params, SORT_STRING);
        $paramString = queryString($params);
        $url = $paramString === '' ? "$base$path" : "$base$path?$paramString";
        $body = '';
    } else {
        // POST: the param string is the raw body, byte for byte; don't json_encode() it again after signing.
        $paramString = $body = $params;
        $url = "$base$path";
    }
    $time = nowMs();
    $headers = [
        "ApiKey: $apiKey",
        "Request-Time: $time",
        'Signature: ' . sign($secret, $apiKey . $time . $paramString),
        'Content-Type: application/json',
    ];
    echo "futures $method $path -> " . send($method, $url, $headers, $body) . "\n";
}

spot('GET', $spotUrl, '/api/v3/account', [], $apiKey, $secret);
spot('POST', $spotUrl, '/api/v3/order/test', [
    'symbol' => 'BTCUSDT', 'side' => 'BUY', 'type' => 'LIMIT', 'quantity' => '0.001',
    'price' => '60000', 'newClientOrderId' => 'my bot (1)',
], $apiKey, $secret);
futures('GET', $futuresUrl, '/api/v1/private/order/list/open_orders/BTC_USDT',
    ['page_size' => '20', 'page_num' => '1'], $apiKey, $secret);
futures('POST', $futuresUrl, '/api/v1/private/order/cancel', '[1]', $apiKey, $secret);
