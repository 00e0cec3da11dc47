// MEXC request signing with Node 20's built-in crypto and fetch (no npm packages).
// Run: node mexc_signing.mjs   (env: MEXC_BASE_URL, MEXC_FUTURES_URL, MEXC_API_KEY, MEXC_SECRET_KEY)
// MEXC_EXAMPLE_BUG=sorted|plus|recvwindow-after (a bug to switch on, for the kit's proxy tests)
import { createHmac } from 'node:crypto';

const BASE_URL = process.env.MEXC_BASE_URL || 'http://127.0.0.1:8080';
const FUTURES_URL = process.env.MEXC_FUTURES_URL || BASE_URL;
const API_KEY = process.env.MEXC_API_KEY || 'mx0aBYs33eIilxBWC5';
const SECRET_KEY = process.env.MEXC_SECRET_KEY || '45d0b3c26f2644f19bfb98b07741b2f5'; // never printed
const BUG = process.env.MEXC_EXAMPLE_BUG || ''; // spot requests only; unset or empty: no bug
if (!['', 'sorted', 'plus', 'recvwindow-after'].includes(BUG)) {
  console.error(`MEXC_EXAMPLE_BUG must be one of: sorted, plus, recvwindow-after (got '${BUG}')`);
  process.exit(2);
}

/** Lowercase hex HMAC-SHA256 of `text`, keyed by the secret (both UTF-8). */
const hmacHex = (text) => createHmac('sha256', SECRET_KEY).update(text, 'utf8').digest('hex');

/**
 * Canonical percent-encoding: UTF-8, uppercase hex, space as %20, only A-Z a-z 0-9 - _ . ~ left raw.
 * encodeURIComponent is almost that, but it leaves ( ) * ! ' raw: the server encodes them before
 * checking the signature, so "my bot (1)" would be signed as my%20bot%20(1) and rejected.
 */
const encode = (value) =>
  encodeURIComponent(String(value)).replace(
    /[()*!']/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );

/** Build "k=v&k=v" in the given order (an array of pairs keeps the order explicit). */
const queryString = (pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');

/** Print one answer line; a network error propagates and ends the run (exit 1). */
async function show(label, response) {
  const body = (await response.text()).replace(/\s*\n\s*/g, ' ');
  console.log(`${label} -> ${response.status} ${body}`);
}

/** Spot: sign exactly the query string that is sent, then append &signature=. */
async function spot(method, path, pairs) {
  // Even with no parameters there is something to sign: "timestamp=<ms>". Clients that skip
  // signing when the parameter list is empty send no signature: 700004 on GET /api/v3/account.
  let query = queryString([...pairs, ['timestamp', Date.now()]]);
  let signed = query;
  // The switchable bugs (MEXC_EXAMPLE_BUG): signed sorted by name but sent unsorted; a space as +
  // (form encoding), signed and sent; recvWindow added after signing.
  if (BUG === 'sorted') {
    const name = (pair) => pair.split('=')[0];
    const written = query.split('&');
    signed = written.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0)).join('&');
  }
  if (BUG === 'plus') signed = query = query.replaceAll('%20', '+');
  const sent = BUG === 'recvwindow-after' ? `${query}&recvWindow=5000` : query;
  const url = `${BASE_URL}${path}?${sent}&signature=${hmacHex(signed)}`;
  const headers = { 'X-MEXC-APIKEY': API_KEY };
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  await show(`spot ${method} ${path}`, await fetch(url, { method, headers }));
}

/** Futures headers: Signature = hex(HMAC(secret, apiKey + requestTime + paramString)). */
function futuresHeaders(paramString) {
  const requestTime = String(Date.now());
  return {
    ApiKey: API_KEY,
    'Request-Time': requestTime,
    Signature: hmacHex(API_KEY + requestTime + paramString),
    'Content-Type': 'application/json',
  };
}

/** Futures GET: the server rebuilds the param string in dictionary order, so sign (and send) it sorted. */
async function futuresGet(path, params) {
  const sorted = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = queryString(sorted);
  const response = await fetch(`${FUTURES_URL}${path}?${query}`, { headers: futuresHeaders(query) });
  await show(`futures GET ${path}`, response);
}

/** Futures POST: the param string is the raw body, byte for byte. */
async function futuresPost(path, body) {
  // Sign the very string handed to fetch: re-serializing after signing (JSON.stringify of a parsed
  // copy, added spaces, reordered keys) changes the bytes and the server answers 602.
  const response = await fetch(`${FUTURES_URL}${path}`, {
    method: 'POST',
    headers: futuresHeaders(body),
    body,
  });
  await show(`futures POST ${path}`, response);
}

async function main() {
  await spot('GET', '/api/v3/account', []);
  await spot('POST', '/api/v3/order/test', [
    ['symbol', 'BTCUSDT'],
    ['side', 'BUY'],
    ['type', 'LIMIT'],
    ['quantity', '0.001'],
    ['price', '60000'],
    ['newClientOrderId', 'my bot (1)'], // -> my%20bot%20%281%29
  ]);
  // Written unsorted on purpose: futuresGet sorts them to page_num=1&page_size=20.
  await futuresGet('/api/v1/private/order/list/open_orders/BTC_USDT', { page_size: 20, page_num: 1 });
  await futuresPost('/api/v1/private/order/cancel', JSON.stringify([1])); // the string "[1]"
}

main().catch((err) => {
  console.error(`network error: ${err.cause?.message ?? err.message}`);
  process.exit(1);
});
