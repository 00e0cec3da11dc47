// Signed MEXC requests (spot + futures) with the Java 17 standard library only.
// Run: java MexcSigning.java   (MEXC_BASE_URL, MEXC_FUTURES_URL, MEXC_API_KEY, MEXC_SECRET_KEY)
// MEXC_EXAMPLE_BUG=sorted|plus|recvwindow-after (a bug to switch on, for the kit's proxy tests)
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class MexcSigning {
    record Config(String spotUrl, String futuresUrl, String apiKey, String secret, String bug) {
        static Config fromEnv() {
            var spot = env("MEXC_BASE_URL", "http://127.0.0.1:8080");
            return new Config(spot, env("MEXC_FUTURES_URL", spot),
                    env("MEXC_API_KEY", "mx0aBYs33eIilxBWC5"),
                    env("MEXC_SECRET_KEY", "45d0b3c26f2644f19bfb98b07741b2f5"),
                    env("MEXC_EXAMPLE_BUG", "")); // spot requests only; unset or empty: no bug
        }
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String env(String name, String fallback) {
        var v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    static String hmacHex(String secret, String data) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8))); // lowercase
    }

    // The usual call, java.net.URLEncoder.encode(v, UTF_8), is HTML form encoding, not RFC 3986:
    // it turns a space into "+" (the server decodes "%20", so the signed string no longer matches),
    // leaves "*" raw and encodes "~" as "%7E". Encode byte by byte instead: only A-Z a-z 0-9 - _ . ~
    // stay as they are; everything else, "(" ")" "*" and space included, becomes %XX in uppercase hex.
    static String encode(String value) {
        var out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    // Joins in the map's own iteration order: the caller decides insertion order (spot) or sorted (futures).
    static String query(Map<String, String> params) {
        var parts = new ArrayList<String>();
        params.forEach((k, v) -> parts.add(encode(k) + "=" + encode(v)));
        return String.join("&", parts);
    }

    static String now() {
        return Long.toString(System.currentTimeMillis());
    }

    static void send(String label, HttpRequest request) throws Exception {
        var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println(label + " -> " + response.statusCode() + " " + response.body());
    }

    // Spot: sign the exact query string that goes on the wire, then append &signature=.
    static HttpRequest spot(Config cfg, String method, String path, Map<String, String> params) throws Exception {
        var signed = new LinkedHashMap<>(params);
        // Even with no parameters the request is signed: the string is then just "timestamp=<ms>".
        // Clients that skip signing when params are empty send no signature: 700004 on GET /api/v3/account.
        signed.put("timestamp", now());
        var qs = query(signed);
        // The switchable bugs (MEXC_EXAMPLE_BUG): signed sorted by name but sent as written; a space as "+"
        // (form encoding), signed and sent; recvWindow added after signing.
        if (cfg.bug().equals("plus")) qs = qs.replace("%20", "+");
        var toSign = cfg.bug().equals("sorted") ? query(new TreeMap<>(signed)) : qs;
        var sent = cfg.bug().equals("recvwindow-after") ? qs + "&recvWindow=5000" : qs;
        var uri = URI.create(cfg.spotUrl() + path + "?" + sent + "&signature=" + hmacHex(cfg.secret(), toSign));
        return HttpRequest.newBuilder(uri)
                .header("X-MEXC-APIKEY", cfg.apiKey())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
    }

    // Futures: Signature = hex(HMAC(secret, apiKey + Request-Time + paramString)), sent in headers.
    static HttpRequest.Builder futures(Config cfg, String pathAndQuery, String paramString) throws Exception {
        var time = now();
        return HttpRequest.newBuilder(URI.create(cfg.futuresUrl() + pathAndQuery))
                .header("ApiKey", cfg.apiKey())
                .header("Request-Time", time)
                .header("Signature", hmacHex(cfg.secret(), cfg.apiKey() + time + paramString))
                .header("Content-Type", "application/json");
    }

    public static void main(String[] args) {
        var cfg = Config.fromEnv();
        if (!List.of("", "sorted", "plus", "recvwindow-after").contains(cfg.bug())) {
            System.err.println("MEXC_EXAMPLE_BUG must be one of: sorted, plus, recvwindow-after (got '" + cfg.bug() + "')");
            System.exit(2);
        }
        try {
            // 1. Spot GET, no parameters.
            send("spot GET /api/v3/account", spot(cfg, "GET", "/api/v3/account", Map.of()));

            // 2. Spot POST test order, parameters in the query in this order; "my bot (1)" needs %20/%28/%29.
            var order = new LinkedHashMap<String, String>();
            order.put("symbol", "BTCUSDT");
            order.put("side", "BUY");
            order.put("type", "LIMIT");
            order.put("quantity", "0.001");
            order.put("price", "60000");
            order.put("newClientOrderId", "my bot (1)");
            send("spot POST /api/v3/order/test", spot(cfg, "POST", "/api/v3/order/test", order));

            // 3. Futures GET: written unsorted, but the server rebuilds the string in dictionary order,
            // so sign (and send) them sorted: a TreeMap gives page_num=1&page_size=20.
            var page = new TreeMap<String, String>();
            page.put("page_size", "20");
            page.put("page_num", "1");
            var qs = query(page);
            var path = "/api/v1/private/order/list/open_orders/BTC_USDT";
            send("futures GET " + path, futures(cfg, path + "?" + qs, qs).GET().build());

            // 4. Futures POST: the param string is the raw body byte for byte. Sign the very String that
            // BodyPublishers.ofString sends (UTF-8); re-serializing after signing could change the bytes.
            var body = "[1]";
            send("futures POST /api/v1/private/order/cancel", futures(cfg, "/api/v1/private/order/cancel", body)
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
        } catch (Exception e) {
            System.err.println("request failed: " + e);
            System.exit(1);
        }
    }
}
