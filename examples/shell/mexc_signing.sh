#!/usr/bin/env bash
# MEXC request signing in bash: two spot and two futures requests, signed by `openssl dgst -hmac`, sent by curl.
# Needs bash 4+, openssl, curl and GNU coreutils (date +%s%3N, sort). Run: bash mexc_signing.sh
# MEXC_EXAMPLE_BUG=sorted|plus|recvwindow-after (a bug to switch on, for the kit's proxy tests)
set -euo pipefail

BASE_URL=${MEXC_BASE_URL:-http://127.0.0.1:8080}
FUTURES_URL=${MEXC_FUTURES_URL:-$BASE_URL}
API_KEY=${MEXC_API_KEY:-mx0aBYs33eIilxBWC5}
SECRET_KEY=${MEXC_SECRET_KEY:-45d0b3c26f2644f19bfb98b07741b2f5}
BUG=${MEXC_EXAMPLE_BUG:-} # spot requests only; unset or empty: no bug
case $BUG in
  '' | sorted | plus | recvwindow-after) ;;
  *) echo "MEXC_EXAMPLE_BUG must be one of: sorted, plus, recvwindow-after (got '$BUG')" >&2; exit 2 ;;
esac

now_ms() { date +%s%3N; } # GNU date; BSD/macOS date prints a literal "3N"

# The shell bug: `curl --data-urlencode` (with or without -G) sends a space as `+`, and with -G even lowercase
# hex (`%2a`); MEXC answers 700002 to a signed `+`. Encode byte by byte instead: LC_ALL=C makes
# ${#value} and ${value:i:1} count UTF-8 bytes, not characters. Only A-Z a-z 0-9 - _ . ~ stay raw.
encode() {
  local LC_ALL=C value=$1 out='' char i
  for ((i = 0; i < ${#value}; i++)); do
    char=${value:i:1}
    case $char in
      [A-Za-z0-9._~-]) out+=$char ;;
      *) printf -v char '%%%02X' "'$char" && out+=$char ;; # uppercase hex: ( -> %28, space -> %20, * -> %2A
    esac
  done
  printf '%s' "$out"
}

# query NAME VALUE ...: name=value pairs, encoded, joined with & in the order given (spot signs them as sent).
query() {
  local out=''
  while (($# >= 2)); do
    out+="${out:+&}$(encode "$1")=$(encode "$2")"
    shift 2
  done
  printf '%s' "$out"
}

# sorted NAME=VALUE ...: the futures server rebuilds the param string in dictionary order, so sign it sorted.
sorted() {
  local -a pairs
  mapfile -t pairs < <(printf '%s\n' "$@" | LC_ALL=C sort -t= -k1,1)
  local IFS='&'
  printf '%s' "${pairs[*]}"
}

# sign STRING: lowercase hex HMAC-SHA256. printf '%s' adds no newline (echo would, and the newline gets signed).
# openssl prints "(stdin)= <hex>" (1.1) or "SHA2-256(stdin)= <hex>" (3.x): keep only what follows the last "= ".
# (The secret is on openssl's command line, visible in `ps` to local users; fine for a lab, not for a server.)
sign() {
  local digest
  digest=$(printf '%s' "$1" | openssl dgst -sha256 -hmac "$SECRET_KEY")
  digest=${digest##*= }
  [[ $digest =~ ^[0-9a-f]{64}$ ]] || { echo "unexpected openssl output" >&2; return 1; }
  printf '%s' "$digest"
}

# call LABEL CURL_ARGS...: print "LABEL -> status body" on one line. --globoff: curl would otherwise read
# [ ] { } in a URL as a glob pattern; it sends everything else in the URL as built, %XX untouched.
call() {
  local label=$1 response status
  shift
  response=$(curl --silent --globoff --write-out '\n%{http_code}' "$@") ||
    { echo "$label: network error (curl exit $?)" >&2; exit 1; }
  status=${response##*$'\n'}
  response=${response%$'\n'*}
  printf '%s -> %s %s\n' "$label" "$status" "${response//$'\n'/ }"
}

# spot METHOD PATH QUERY [CURL_ARGS...]: the signed string is exactly the query sent, timestamp last.
spot() {
  local method=$1 path=$2 params=$3 signed signature pairs
  shift 3
  # No parameters still means "timestamp=..." is signed and sent: skipping the signature on an empty query
  # is the classic 700004 (signature missing) on GET /api/v3/account.
  params+="${params:+&}timestamp=$(now_ms)"
  signed=$params
  case $BUG in # the switchable bugs, spot only
    sorted) IFS='&' read -ra pairs <<<"$params" && signed=$(sorted "${pairs[@]}") ;; # signed sorted, sent unsorted
    plus) params=${params//%20/+} && signed=$params ;; # form encoding's + for a space, signed and sent
  esac
  signature=$(sign "$signed")
  [[ $BUG != recvwindow-after ]] || params+='&recvWindow=5000' # added after signing
  call "spot $method $path" --request "$method" --header "X-MEXC-APIKEY: $API_KEY" "$@" \
    "$BASE_URL$path?$params&signature=$signature"
}

# futures METHOD PATH PARAM_STRING [CURL_ARGS...]: signature over api_key + request_time + param_string.
futures() {
  local method=$1 path=$2 params=$3 request_time signature
  shift 3
  request_time=$(now_ms)
  signature=$(sign "$API_KEY$request_time$params")
  call "futures $method $path" --request "$method" --header "ApiKey: $API_KEY" \
    --header "Request-Time: $request_time" --header "Signature: $signature" \
    --header 'Content-Type: application/json' "$@"
}

spot GET /api/v3/account ''

order=$(query symbol BTCUSDT side BUY type LIMIT quantity 0.001 price 60000 newClientOrderId 'my bot (1)')
# Parameters in the query, none in the body: --data-binary '' only makes curl send Content-Length: 0.
spot POST /api/v3/order/test "$order" --header 'Content-Type: application/json' --data-binary ''

path=/api/v1/private/order/list/open_orders/BTC_USDT
params=$(sorted page_size=20 page_num=1) # written unsorted on purpose: sign and send page_num=1&page_size=20
futures GET "$path" "$params" "$FUTURES_URL$path?$params"

# A POST signs the raw body: the very bytes --data-binary sends (-d would strip newlines; no re-serializing).
body='[1]'
futures POST /api/v1/private/order/cancel "$body" --data-binary "$body" "$FUTURES_URL/api/v1/private/order/cancel"
