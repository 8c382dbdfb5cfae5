namespace IdentityHub.Web.Hosting;

/// <summary>
/// <c>dotnet IdentityHub.Web.dll --healthcheck [url]</c>: asks a running host's <c>/healthz</c> and exits 0 when it
/// answers 200, 1 otherwise (Docker's HEALTHCHECK convention). The official ASP.NET Core images have no curl or wget,
/// so the container checks itself with its own binary. Default URL: <c>http://127.0.0.1:{port}/healthz</c>, the port
/// being the first of <c>ASPNETCORE_HTTP_PORTS</c> (8080 in the official images).
/// </summary>
internal static class HealthCheckCommand
{
    public static bool Matches(string[] args) => args is ["--healthcheck", ..];

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl(Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return 0;
            }
            await error.WriteLineAsync($"healthcheck: {url} answered {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            await error.WriteLineAsync($"healthcheck: {url}: {exception.Message}");
        }
        return 1;
    }

    private static string DefaultUrl(string? ports)
    {
        var first = ports?.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return $"http://127.0.0.1:{first ?? "8080"}/healthz";
    }
}
