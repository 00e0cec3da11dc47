// Signs the kit's four MEXC requests (spot GET and POST, futures GET and POST)
// with the standard library only. Run: go run main.go
// MEXC_EXAMPLE_BUG=sorted|plus|recvwindow-after (a bug to switch on, for the kit's proxy tests)
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

type param struct{ name, value string }

type client struct{ spot, futures, key, secret, bug string }

var httpClient = &http.Client{Timeout: 15 * time.Second}

func env(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// sign: MEXC wants lowercase hex; uppercase hex is refused (700002).
func sign(secret, msg string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(msg))
	return hex.EncodeToString(mac.Sum(nil))
}

// encode gives the canonical form MEXC re-encodes each value to before it
// verifies. url.QueryEscape turns a space into "+"; url.Values.Encode does the
// same and also sorts the keys, so neither matches what the spot server
// rebuilds (700002). url.PathEscape gives %20 but leaves $ & + : = @ raw.
// Keep A-Z a-z 0-9 - _ . ~ and write every other UTF-8 byte (* too) as %XX.
func encode(value string) string {
	var b strings.Builder
	for _, c := range []byte(value) {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// query joins the pairs in the order given, "&" only between pairs.
func query(params []param) string {
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p.name + "=" + encode(p.value)
	}
	return strings.Join(pairs, "&")
}

func millis() string { return strconv.FormatInt(time.Now().UnixMilli(), 10) }

func send(api string, req *http.Request) error {
	resp, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	fmt.Printf("%s %s %s -> %d %s\n", api, req.Method, req.URL.Path, resp.StatusCode, strings.TrimSpace(string(body)))
	return nil
}

// spotCall signs exactly the query it sends. An empty-parameter GET still
// signs "timestamp=<ms>". MEXC's own Go demo glued it on with
// Sprintf("%s&timestamp=%d"), so with no parameters it signed "&timestamp=...",
// a stray "&" the server never rebuilds (700002, mexc-api-demo#42).
func (c client) spotCall(method, path string, params []param) error {
	all := append(params, param{"timestamp", millis()})
	q := query(all)
	signed := q
	// The switchable bugs (MEXC_EXAMPLE_BUG): signed sorted by name but sent as written; a space
	// as + (form encoding), signed and sent; recvWindow added after signing.
	switch c.bug {
	case "sorted":
		byName := append([]param(nil), all...)
		sort.SliceStable(byName, func(i, j int) bool { return byName[i].name < byName[j].name })
		signed = query(byName)
	case "plus":
		q = strings.ReplaceAll(q, "%20", "+")
		signed = q
	case "recvwindow-after":
		q += "&recvWindow=5000"
	}
	req, err := http.NewRequest(method, c.spot+path+"?"+q+"&signature="+sign(c.secret, signed), nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-MEXC-APIKEY", c.key)
	if method != http.MethodGet {
		req.Header.Set("Content-Type", "application/json")
	}
	return send("spot", req)
}

// futuresCall signs api_key + Request-Time + paramString, where paramString
// is the sorted query for GET and the raw body bytes for POST.
func (c client) futuresCall(method, path, rawQuery, body string) error {
	target, paramString := c.futures+path, body
	if method == http.MethodGet {
		target, paramString = target+"?"+rawQuery, rawQuery
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return err
	}
	now := millis()
	req.Header.Set("ApiKey", c.key)
	req.Header.Set("Request-Time", now)
	req.Header.Set("Signature", sign(c.secret, c.key+now+paramString))
	req.Header.Set("Content-Type", "application/json")
	return send("futures", req)
}

func run() error {
	spot := strings.TrimRight(env("MEXC_BASE_URL", "http://127.0.0.1:8080"), "/")
	c := client{
		spot:    spot,
		futures: strings.TrimRight(env("MEXC_FUTURES_URL", spot), "/"),
		key:     env("MEXC_API_KEY", "mx0aBYs33eIilxBWC5"),
		secret:  env("MEXC_SECRET_KEY", "45d0b3c26f2644f19bfb98b07741b2f5"),
		bug:     env("MEXC_EXAMPLE_BUG", ""), // spot requests only; unset or empty: no bug
	}
	switch c.bug {
	case "", "sorted", "plus", "recvwindow-after":
	default:
		fmt.Fprintf(os.Stderr, "MEXC_EXAMPLE_BUG must be one of: sorted, plus, recvwindow-after (got '%s')\n", c.bug)
		os.Exit(2)
	}
	if err := c.spotCall(http.MethodGet, "/api/v3/account", nil); err != nil {
		return err
	}
	order := []param{{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "LIMIT"},
		{"quantity", "0.001"}, {"price", "60000"}, {"newClientOrderId", "my bot (1)"}}
	if err := c.spotCall(http.MethodPost, "/api/v3/order/test", order); err != nil {
		return err
	}
	// The futures server rebuilds GET parameters in dictionary order, so sign
	// (and send) them sorted, whatever order the program lists them in.
	list := []param{{"page_size", "20"}, {"page_num", "1"}}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	if err := c.futuresCall(http.MethodGet, "/api/v1/private/order/list/open_orders/BTC_USDT", query(list), ""); err != nil {
		return err
	}
	// POST signs the body byte for byte: sign one string, send that string,
	// never re-marshal it after signing.
	return c.futuresCall(http.MethodPost, "/api/v1/private/order/cancel", "", "[1]")
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
