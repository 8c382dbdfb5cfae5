// Load generator of bench/paths.sh (issue 14, item 4): the user paths through real HTTP on 127.0.0.1, with state
// that wrk cannot keep (refresh chains, single-use codes, one user per change). Driven by bench/paths.py over
// stdin/stdout, one line per command, so the driver can wait for a quiet machine and read the server's CPU from /proc
// right around each timed cell:
//   warmup <path>                 untimed: fixtures, JIT, pools; prints DONE {...}
//   prepare <path> <c> <seconds>  untimed fixtures for one cell; prints READY {"emails": [...]}
//   go                            the timed cell: c connections, each its own loop; prints RESULT {...}
//   check                         one-off security checks (old refresh token refused, code single use); prints CHECK {...}
// Paths: cc (client credentials, the reference), refresh, introspect, userinfo, code, password, change.
// Run: dotnet run bench/paths.cs -- <base-url> <tenant-id>   (standard library only)
#:property PublishAot=false
#:property Nullable=enable
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var bench = new Bench(new Uri(args[0]), args[1]);
string? line;
while ((line = Console.ReadLine()) is not null)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (words.Length == 0) continue;
    try
    {
        var reply = words[0] switch
        {
            "warmup" => "DONE " + await bench.WarmUpAsync(words[1]),
            "prepare" => "READY " + await bench.PrepareAsync(words[1], int.Parse(words[2]), double.Parse(words[3])),
            "go" => "RESULT " + await bench.GoAsync(),
            "check" => "CHECK " + await bench.CheckAsync(),
            "quit" => null,
            _ => throw new InvalidOperationException($"unknown command {words[0]}"),
        };
        if (reply is null) break;
        Console.WriteLine(reply);
    }
    catch (Exception error)
    {
        Console.WriteLine("ERROR " + JsonSerializer.Serialize(error.Message));
    }
}

/// <summary>The fixture's names, shared with bench/paths.py.</summary>
static class Fixture
{
    public const string Client = "bench", Secret = "bench-secret-0123456789", SpaClient = "bench-spa";
    public const string RedirectUri = "http://127.0.0.1:9/callback", Password = "Correct-Horse-Battery-9", NewPassword = "Tangerine!Ocean-Lamp-42";
    public const int MaxConnections = 32;
    public static string Email(string role, int i) => $"{role}{i}@bench.test";
}

/// <summary>One timed request of a cell's loop: true when the answer is the success the path expects.</summary>
delegate Task<bool> Step(HttpClient http, int index, CancellationTokenSource stop);

sealed class Bench(Uri baseUrl, string tenant)
{
    private static readonly string Basic = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Fixture.Client}:{Fixture.Secret}"));
    // One HttpClient per connection, kept across cells like wrk's connections (keep-alive, no cookies, no redirects).
    private readonly HttpClient[] connections = Enumerable.Range(0, Fixture.MaxConnections).Select(_ => NewClient(null)).ToArray();
    private readonly string[] refreshChains = new string[Fixture.MaxConnections];
    private readonly string[] accessTokens = new string[Fixture.MaxConnections];
    private ConcurrentQueue<(string Code, string Verifier)> codes = new();
    private readonly Queue<string> changeUsers = new(Enumerable.Range(0, 200).Select(i => Fixture.Email("change", i)));
    private string[] changeTokens = [];
    private HttpClient? browser;
    private double codeRate = 200;
    private (string Path, int Connections, double Seconds) cell;
    private string lastError = "";

    private static HttpClient NewClient(CookieContainer? cookies) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = cookies is null ? 1 : 8,
        UseCookies = cookies is not null,
        CookieContainer = cookies ?? new CookieContainer(),
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    }) { Timeout = TimeSpan.FromSeconds(120) };

    public async Task<string> WarmUpAsync(string path)
    {
        switch (path)
        {
            case "refresh":
                await ForEachAsync(Fixture.MaxConnections, 8, async (http, i) =>
                    refreshChains[i] = (await PasswordGrantAsync(http, Fixture.Email("refresh", i), "openid offline_access account")).GetProperty("refresh_token").GetString()!);
                break;
            case "introspect" or "userinfo":
                if (accessTokens[0] is null)
                {
                    await ForEachAsync(Fixture.MaxConnections, 8, async (http, i) =>
                        accessTokens[i] = (await PasswordGrantAsync(http, Fixture.Email("user", i), "openid account")).GetProperty("access_token").GetString()!);
                }
                break;
            case "code":
                await SignInBrowserAsync();
                break;
            case "password":
                // The first sign-in of each user re-hashes a password seeded at a lowered cost to the configured one.
                await ForEachAsync(Fixture.MaxConnections, 8, async (http, i) => await PasswordGrantAsync(http, Fixture.Email("password", i), "openid account"));
                break;
        }
        if (path is "change" or "password")
        {
            return "{}";  // hash-bound: the fixtures above (and each cell's own) already ran every code path
        }
        await PrepareAsync(path, 8, 2);
        var result = await GoAsync();
        if (path == "code")
        {
            codeRate = JsonDocument.Parse(result).RootElement.GetProperty("rps").GetDouble();
        }
        return result;
    }

    public async Task<string> PrepareAsync(string path, int connectionCount, double seconds)
    {
        cell = (path, connectionCount, seconds);
        var emails = new List<string>();
        switch (path)
        {
            case "code":
                // Enough codes for the cell at the rate the warm-up reached, plus a margin; a cell that runs out ends early.
                await PrepareCodesAsync(Math.Max(connectionCount * 4, (int)(codeRate * seconds * 1.3)));
                break;
            case "change":
                // Seconds is the number of changes per connection here: a change revokes the user's sessions, so
                // each one needs a user with a fresh access token.
                var users = Enumerable.Range(0, connectionCount * (int)seconds).Select(_ => changeUsers.Dequeue()).ToArray();
                changeTokens = new string[users.Length];
                await ForEachAsync(users.Length, 8, async (http, i) =>
                    changeTokens[i] = (await PasswordGrantAsync(http, users[i], "openid account")).GetProperty("access_token").GetString()!);
                emails.AddRange(users);
                break;
            case "password":
                emails.AddRange(Enumerable.Range(0, connectionCount).Select(i => Fixture.Email("password", i)));
                break;
        }
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["emails"] = emails });
    }

    public async Task<string> GoAsync()
    {
        var (path, connectionCount, seconds) = cell;
        Step step = path switch
        {
            "cc" => ClientCredentialsAsync,
            "refresh" => RefreshAsync,
            "introspect" => IntrospectAsync,
            "userinfo" => UserInfoAsync,
            "code" => ExchangeCodeAsync,
            "password" => (http, i, _) => PasswordStepAsync(http, i),
            "change" => ChangeStepAsync,
            _ => throw new InvalidOperationException($"unknown path {path}"),
        };
        var perConnection = path == "change" ? (int)seconds : int.MaxValue;
        var deadline = path == "change" ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        return await RunCellAsync(step, connectionCount, deadline, perConnection);
    }

    private async Task<string> RunCellAsync(Step step, int connectionCount, TimeSpan duration, int perConnection)
    {
        var latencies = new List<double>[connectionCount];
        var errors = 0;
        using var stop = new CancellationTokenSource();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connectionCount).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(4096);
            for (var n = 0; n < perConnection && wall.Elapsed < duration && !stop.IsCancellationRequested; n++)
            {
                var began = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await step(connections[c], perConnection == int.MaxValue ? c : c * perConnection + n, stop); }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException) { ok = false; lastError = error.Message; }
                if (stop.IsCancellationRequested && !ok) break;  // the cell ran out of fixtures (codes)
                mine.Add(Stopwatch.GetElapsedTime(began).TotalMilliseconds);
                if (!ok)
                {
                    Interlocked.Increment(ref errors);
                    break;  // a broken chain or a refused request ends this connection's loop; the driver reports it
                }
            }
        })));
        var elapsed = wall.Elapsed.TotalSeconds;
        var clientCpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(all.Length * p) - 1)];
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["requests"] = all.Length, ["errors"] = errors, ["seconds"] = elapsed, ["rps"] = all.Length / elapsed,
            ["p50"] = Percentile(0.50), ["p99"] = Percentile(0.99), ["client_cpu_ms"] = clientCpuMs,
            ["last_error"] = errors > 0 ? lastError : "",
        });
    }

    private async Task<bool> ClientCredentialsAsync(HttpClient http, int i, CancellationTokenSource stop)
    {
        using var response = await http.SendAsync(TokenRequest([("grant_type", "client_credentials")]));
        return await SucceededAsync(response);
    }

    /// <summary>One step of this connection's own chain: the new refresh token replaces the old one.</summary>
    private async Task<bool> RefreshAsync(HttpClient http, int i, CancellationTokenSource stop)
    {
        using var response = await http.SendAsync(TokenRequest([("grant_type", "refresh_token"), ("refresh_token", refreshChains[i])]));
        if (!await SucceededAsync(response)) return false;
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        refreshChains[i] = body.RootElement.GetProperty("refresh_token").GetString()!;
        return true;
    }

    private async Task<bool> IntrospectAsync(HttpClient http, int i, CancellationTokenSource stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "connect/introspect"))
        {
            Content = new FormUrlEncodedContent([new("token", accessTokens[i]), new("token_type_hint", "access_token")]),
        };
        request.Headers.Authorization = new("Basic", Basic);
        using var response = await http.SendAsync(request);
        if (!await SucceededAsync(response)) return false;
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return body.RootElement.GetProperty("active").GetBoolean() || Fail("introspection answered active=false");
    }

    private async Task<bool> UserInfoAsync(HttpClient http, int i, CancellationTokenSource stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "connect/userinfo"));
        request.Headers.Authorization = new("Bearer", accessTokens[i]);
        using var response = await http.SendAsync(request);
        if (!await SucceededAsync(response)) return false;
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return body.RootElement.TryGetProperty("sub", out _) || Fail("userinfo without sub");
    }

    /// <summary>The public client's exchange of one prepared code with its PKCE verifier; no codes left ends the cell.</summary>
    private async Task<bool> ExchangeCodeAsync(HttpClient http, int i, CancellationTokenSource stop)
    {
        if (!codes.TryDequeue(out var prepared))
        {
            await stop.CancelAsync();
            return false;
        }
        using var response = await http.SendAsync(CodeExchange(prepared.Code, prepared.Verifier));
        return await SucceededAsync(response);
    }

    private async Task<bool> PasswordStepAsync(HttpClient http, int i)
    {
        using var response = await http.SendAsync(TokenRequest(
            [("grant_type", "password"), ("username", Fixture.Email("password", i)), ("password", Fixture.Password), ("scope", "openid account")]));
        return await SucceededAsync(response);
    }

    private async Task<bool> ChangeStepAsync(HttpClient http, int n, CancellationTokenSource stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "v1/users/me/password"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["current_password"] = Fixture.Password, ["new_password"] = Fixture.NewPassword,
            }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", changeTokens[n]);
        request.Headers.Add("X-Tenant-ID", tenant);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.NoContent || Fail($"change: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An old refresh token is refused once the chain moved on; a code is good for one exchange only.</summary>
    public async Task<string> CheckAsync()
    {
        var http = connections[0];
        var first = (await PasswordGrantAsync(http, Fixture.Email("refresh", Fixture.MaxConnections), "openid offline_access account")).GetProperty("refresh_token").GetString()!;
        using (var next = await http.SendAsync(TokenRequest([("grant_type", "refresh_token"), ("refresh_token", first)])))
        {
            if (!await SucceededAsync(next)) throw new InvalidOperationException("the check chain's first refresh failed: " + lastError);
        }
        using var reused = await http.SendAsync(TokenRequest([("grant_type", "refresh_token"), ("refresh_token", first)]));
        var reusedBody = await reused.Content.ReadAsStringAsync();

        await PrepareCodesAsync(1);
        codes.TryDequeue(out var code);
        using (var once = await http.SendAsync(CodeExchange(code.Code, code.Verifier)))
        {
            if (!await SucceededAsync(once)) throw new InvalidOperationException("the check code's exchange failed: " + lastError);
        }
        using var twice = await http.SendAsync(CodeExchange(code.Code, code.Verifier));
        var twiceBody = await twice.Content.ReadAsStringAsync();
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["old_refresh_status"] = (int)reused.StatusCode, ["old_refresh_refused"] = reused.StatusCode == HttpStatusCode.BadRequest && reusedBody.Contains("invalid_grant"),
            ["code_reuse_status"] = (int)twice.StatusCode, ["code_reuse_refused"] = twice.StatusCode == HttpStatusCode.BadRequest && twiceBody.Contains("invalid_grant"),
        });
    }

    private HttpRequestMessage TokenRequest(IEnumerable<(string Name, string Value)> form, bool basic = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "connect/token"))
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        };
        if (basic) request.Headers.Authorization = new("Basic", Basic);
        return request;
    }

    private HttpRequestMessage CodeExchange(string code, string verifier) => TokenRequest(
        [("grant_type", "authorization_code"), ("client_id", Fixture.SpaClient), ("code", code),
         ("redirect_uri", Fixture.RedirectUri), ("code_verifier", verifier)], basic: false);

    private async Task<JsonElement> PasswordGrantAsync(HttpClient http, string email, string scope)
    {
        using var response = await http.SendAsync(TokenRequest(
            [("grant_type", "password"), ("username", email), ("password", Fixture.Password), ("scope", scope)]));
        if (!await SucceededAsync(response)) throw new InvalidOperationException($"password grant for {email}: {lastError}");
        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return body.RootElement.Clone();
    }

    private async Task<bool> SucceededAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return true;
        return Fail($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private bool Fail(string error)
    {
        lastError = error;
        return false;
    }

    /// <summary>Runs <paramref name="count"/> untimed actions, <paramref name="parallel"/> at a time, over the first connections.</summary>
    private async Task ForEachAsync(int count, int parallel, Func<HttpClient, int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(c => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                await action(connections[c], i);
            }
        })));
    }

    // ---- the authorization code flow through the real pages (as tests/.../OAuthClient.cs does) ----

    /// <summary>Signs one browser in through the real sign-in page; its cookie then gets codes without a password.</summary>
    private async Task SignInBrowserAsync()
    {
        if (browser is not null) return;
        browser = NewClient(new CookieContainer());
        var (url, _) = AuthorizeUrl();
        using var authorize = await browser.GetAsync(url);
        var login = new Uri(baseUrl, authorize.Headers.Location!);
        if (!login.AbsolutePath.Contains("/Account/Login", StringComparison.Ordinal))
            throw new InvalidOperationException($"authorize did not ask for a sign-in: {(int)authorize.StatusCode} {login}");
        var html = await browser.GetStringAsync(login);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Hidden(html, "__RequestVerificationToken") ?? throw new InvalidOperationException("no antiforgery token"),
            ["Email"] = Fixture.Email("browser", 0), ["Password"] = Fixture.Password, ["TenantId"] = tenant,
        };
        if (Hidden(html, "ReturnUrl") is { } returnUrl) form["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl);
        using var signIn = await browser.PostAsync(login, new FormUrlEncodedContent(form));
        if (signIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode}");
    }

    /// <summary>Codes from the signed-in browser, 8 authorize requests at a time, each with its own PKCE pair.</summary>
    private async Task PrepareCodesAsync(int count)
    {
        await SignInBrowserAsync();
        codes = new();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var (url, verifier) = AuthorizeUrl();
                using var response = await browser!.GetAsync(url);
                var location = response.Headers.Location?.ToString() ?? "";
                var match = Regex.Match(location, "[?&]code=([^&]+)");
                if (!location.StartsWith(Fixture.RedirectUri, StringComparison.Ordinal) || !match.Success)
                    throw new InvalidOperationException($"authorize gave no code: {(int)response.StatusCode} {location}");
                codes.Enqueue((Uri.UnescapeDataString(match.Groups[1].Value), verifier));
            }
        })));
    }

    private (string Url, string Verifier) AuthorizeUrl()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = string.Join("&", new[]
        {
            ("client_id", Fixture.SpaClient), ("response_type", "code"), ("scope", "openid account"),
            ("redirect_uri", Fixture.RedirectUri), ("state", Base64Url(RandomNumberGenerator.GetBytes(12))),
            ("code_challenge", challenge), ("code_challenge_method", "S256"),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return (new Uri(baseUrl, "connect/authorize?" + query).ToString(), verifier);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"");
        if (!match.Success) match = Regex.Match(html, $"<input[^>]*value=\"([^\"]*)\"[^>]*name=\"{Regex.Escape(name)}\"");
        return match.Success ? match.Groups[1].Value : null;
    }
}
