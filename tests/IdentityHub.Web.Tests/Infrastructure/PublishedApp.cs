using System.Diagnostics;
using System.Reflection;
using System.Runtime.Versioning;
using System.Text;

namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>
/// The application as a deployment runs it: the output of <c>dotnet publish</c> (made once per test run), started with
/// <c>dotnet IdentityHub.Web.dll</c> in a process of its own, as a non-root user (<c>nobody</c> when the tests run as
/// root, through <c>setpriv</c>), with the publish folder read-only to it, and given only a data directory and
/// environment variables. Stopped by its PID.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PublishedApp : IDisposable
{
    private static readonly Lazy<(string Folder, TimeSpan Took)> Published = new(Publish);
    private readonly Process process;
    private readonly StringBuilder output = new();

    /// <summary>Starts the published app; returns once <c>/healthz</c> answers on <paramref name="port"/>.</summary>
    public PublishedApp(string dataDirectory, int port, IDictionary<string, string> environment, params string[] arguments)
    {
        Port = port;
        var dll = Path.Combine(Folder, "IdentityHub.Web.dll");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // The data directory belongs to the app's user, as a volume does in a container; nothing else does.
            Run("chown", "-R", "nobody:nogroup", dataDirectory);
        }
        string[] command = asRoot ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", Dotnet, dll] : [Dotnet, dll];
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        // Nothing of the test run's own hosting settings leaks in: only what a deployment would set.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase) || k.StartsWith("IdentityHub", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(inherited);
        }
        start.Environment["HOME"] = dataDirectory;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        WaitUntilHealthy();
    }

    /// <summary>A folder of this test run, readable by every user, for the publish folder and the data directories.</summary>
    public static string Root { get; } = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "identityhub-published", Guid.NewGuid().ToString("N")),
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute).FullName;

    /// <summary>The repository: the folder of IdentityHub.sln above the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The publish folder (published on first use).</summary>
    public static string Folder => Published.Value.Folder;

    /// <summary>How long <c>dotnet publish</c> took.</summary>
    public static TimeSpan PublishTime => Published.Value.Took;

    /// <summary>The <c>dotnet</c> that runs the tests.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public int Port { get; }

    public int ProcessId => process.Id;

    /// <summary>Standard output and error so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Waits up to 10 s for <paramref name="text"/> in the output (the console logger writes asynchronously).</summary>
    public async Task<bool> WaitForOutputAsync(string text)
    {
        for (var i = 0; i < 100 && !Output.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }
        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>The real user id of the running process (from <c>/proc</c>).</summary>
    public int UserId() =>
        int.Parse(File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t')[1]);

    /// <summary>Runs a command to completion and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var run = Process.Start(start)!;
        var stderr = run.StandardError.ReadToEndAsync();
        var stdout = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        return (run.ExitCode, stdout + stderr.Result);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }

    private void Append(string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private void WaitUntilHealthy()
    {
        if (!WaitUntilHealthy(process, Port, () => Output))
        {
            Dispose();
            throw new TimeoutException($"the published app did not answer /healthz on port {Port} within 60 s:\n{Output}");
        }
    }

    /// <summary>
    /// Waits up to 60 s for a host process to answer <c>/healthz</c> on <paramref name="port"/>; false when it did not,
    /// and throws with <paramref name="output"/> when it exited.
    /// </summary>
    internal static bool WaitUntilHealthy(Process process, int port, Func<string> output)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the app exited with {process.ExitCode}:\n{output()}");
            }
            try
            {
                if (http.GetAsync($"http://127.0.0.1:{port}/healthz").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Thread.Sleep(100);
        }
        return false;
    }

    private static string FindRepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "IdentityHub.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new FileNotFoundException("IdentityHub.sln not found above the test binaries");
        }
        return root;
    }

    /// <summary>Deletes the publish folder and the data directories (the test host may end without ProcessExit).</summary>
    public static void DeleteRoot()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// <c>dotnet publish</c> of the web project, from the build the tests run against (<c>--no-build</c>: the suite is
    /// built first), into a folder only root may write to.
    /// </summary>
    private static (string, TimeSpan) Publish()
    {
        var configuration = typeof(PublishedApp).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var folder = Path.Combine(Root, "app");
        var clock = Stopwatch.StartNew();
        var (exitCode, log) = Run(Dotnet, "publish", Path.Combine(RepositoryRoot, "src", "IdentityHub.Web", "IdentityHub.Web.csproj"),
            "-c", configuration, "-o", folder, "--no-build", "--nologo");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({exitCode}):\n{log}");
        }
        return (folder, clock.Elapsed);
    }
}
