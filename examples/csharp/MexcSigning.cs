// The four signed MEXC requests of the kit (spot GET + POST, futures GET + POST), in C# for Mono:
//   mcs -r:System.Net.Http.dll -out:MexcSigning.exe MexcSigning.cs && mono MexcSigning.exe
// MEXC_BASE_URL / MEXC_FUTURES_URL / MEXC_API_KEY / MEXC_SECRET_KEY override the defaults.
// MEXC_EXAMPLE_BUG=sorted|plus|recvwindow-after (a bug to switch on, for the kit's proxy tests)
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;

static class MexcSigning
{
    static readonly string BaseUrl = Env("MEXC_BASE_URL", "http://127.0.0.1:8080").TrimEnd('/');
    static readonly string FuturesUrl = Env("MEXC_FUTURES_URL", BaseUrl).TrimEnd('/');
    static readonly string ApiKey = Env("MEXC_API_KEY", "mx0aBYs33eIilxBWC5");
    static readonly string SecretKey = Env("MEXC_SECRET_KEY", "45d0b3c26f2644f19bfb98b07741b2f5");
    static readonly string Bug = Env("MEXC_EXAMPLE_BUG", "");  // spot requests only; unset or empty: no bug
    static readonly HttpClient Http = new HttpClient();

    // mcs 6.8 has no async Main (C# 7.1), so block on the async work here.
    static int Main()
    {
        if (!new[] { "", "sorted", "plus", "recvwindow-after" }.Contains(Bug))
        {
            Console.Error.WriteLine($"MEXC_EXAMPLE_BUG must be one of: sorted, plus, recvwindow-after (got '{Bug}')");
            return 2;
        }
        try { RunAsync().GetAwaiter().GetResult(); return 0; }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
        {
            Console.Error.WriteLine("network error: " + e.GetBaseException().Message);
            return 1;
        }
    }

    static async Task RunAsync()
    {
        await SpotAsync(HttpMethod.Get, "/api/v3/account", "");

        var order = new[]
        {
            Pair("symbol", "BTCUSDT"), Pair("side", "BUY"), Pair("type", "LIMIT"),
            Pair("quantity", "0.001"), Pair("price", "60000"), Pair("newClientOrderId", "my bot (1)"),
        };
        await SpotAsync(HttpMethod.Post, "/api/v3/order/test", Query(order));

        // Written unsorted on purpose: the futures server signs them in dictionary order.
        var openOrders = new[] { Pair("page_size", "20"), Pair("page_num", "1") };
        await FuturesGetAsync("/api/v1/private/order/list/open_orders/BTC_USDT", openOrders);

        await FuturesPostAsync("/api/v1/private/order/cancel", "[1]");
    }

    static async Task SpotAsync(HttpMethod method, string path, string query)
    {
        // No "if there are parameters, sign them" shortcut: with none, MEXC still expects the signature
        // of "timestamp=<ms>", and a request without one is refused.
        string sent = (query.Length > 0 ? query + "&" : "") + "timestamp=" + NowMs();
        // The switchable bugs (MEXC_EXAMPLE_BUG): signed sorted by name but sent as written; a space as "+"
        // (form encoding), signed and sent; recvWindow added after signing.
        if (Bug == "plus") sent = sent.Replace("%20", "+");
        string signed = Bug == "sorted"
            ? string.Join("&", sent.Split('&').OrderBy(pair => pair.Split('=')[0], StringComparer.Ordinal))
            : sent;
        if (Bug == "recvwindow-after") sent += "&recvWindow=5000";
        var request = new HttpRequestMessage(method, BaseUrl + path + "?" + sent + "&signature=" + Sign(signed));
        request.Headers.Add("X-MEXC-APIKEY", ApiKey);
        if (method == HttpMethod.Post)
            request.Content = Json("");  // the parameters are in the query; the body stays empty
        await SendAsync("spot", request);
    }

    static async Task FuturesGetAsync(string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        // The server rebuilds the param string sorted by name, so sign (and send) it that way.
        // Ordinal, not the culture-aware default: "page_num" < "page_size" must hold byte by byte.
        string query = Query(parameters.OrderBy(p => p.Key, StringComparer.Ordinal));
        // HttpClient keeps Content-Type on the content, never on the request: an empty body carries it.
        var request = new HttpRequestMessage(HttpMethod.Get, FuturesUrl + path + "?" + query) { Content = Json("") };
        await SendAsync("futures", SignFutures(request, query));
    }

    static async Task FuturesPostAsync(string path, string body)
    {
        // The body string is signed as it is and the very same string is sent: serializing an object
        // again after signing (spaces, key order) would change the bytes and break the signature.
        var request = new HttpRequestMessage(HttpMethod.Post, FuturesUrl + path) { Content = Json(body) };
        await SendAsync("futures", SignFutures(request, body));
    }

    static HttpRequestMessage SignFutures(HttpRequestMessage request, string paramString)
    {
        string time = NowMs();
        request.Headers.Add("ApiKey", ApiKey);
        request.Headers.Add("Request-Time", time);
        request.Headers.Add("Signature", Sign(ApiKey + time + paramString));
        return request;
    }

    static async Task SendAsync(string market, HttpRequestMessage request)
    {
        using (var response = await Http.SendAsync(request))
        {
            string answer = await response.Content.ReadAsStringAsync();
            Console.WriteLine($"{market} {request.Method} {request.RequestUri.AbsolutePath} -> {(int)response.StatusCode} {answer}");
        }
    }

    // StringContent would send "application/json; charset=utf-8"; the kit's contract says exactly
    // "application/json", so drop the charset (the bytes are UTF-8 either way).
    static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    static string Query(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters.Select(p => p.Key + "=" + Encode(p.Value)));

    // Not HttpUtility.UrlEncode: it gives "+" for a space, lowercase hex ("%2c") and leaves ( ) * raw,
    // so what MEXC re-encodes and checks is not what was signed (700002). Uri.EscapeDataString happens to
    // be right on Mono 6.8 and .NET 4.5+, but older .NET Framework left ( ) * ! ' raw (RFC 2396): spelling
    // the rule out keeps it the same everywhere. RFC 3986: unreserved stay, every other UTF-8 byte is %XX.
    static string Encode(string value)
    {
        var encoded = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~".IndexOf(c) >= 0;
            encoded.Append(unreserved ? c.ToString() : "%" + b.ToString("X2"));
        }
        return encoded.ToString();
    }

    // MEXC compares lowercase hex; BitConverter gives "AB-CD-..." so strip the dashes and lower it.
    static string Sign(string payload)
    {
        using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(SecretKey)))
            return BitConverter.ToString(hmac.ComputeHash(Encoding.UTF8.GetBytes(payload))).Replace("-", "").ToLowerInvariant();
    }

    static string NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString();

    static KeyValuePair<string, string> Pair(string key, string value) => new KeyValuePair<string, string>(key, value);

    static string Env(string name, string fallback)
    {
        string value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? fallback : value;
    }
}
