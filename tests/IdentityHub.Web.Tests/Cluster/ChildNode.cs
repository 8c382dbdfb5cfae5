using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using IdentityHub.Web.Tests.Infrastructure;

namespace IdentityHub.Web.Tests.Cluster;

/// <summary>
/// One more instance of a cluster in a process of its own, so that a test can kill it with SIGKILL: the built
/// <c>src/IdentityHub.Web/bin/Release/net10.0/IdentityHub.Web.dll</c>, started with <c>dotnet</c>, the settings file of
/// a cluster node with changes, and an empty content root (so no appsettings.Development.json seed mixes in).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ChildNode : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string?> output = new();
    private readonly string directory = Directory.CreateTempSubdirectory("identityhub-child-").FullName;

    /// <summary>Starts the instance with <paramref name="node"/>'s settings, changed by <paramref name="change"/>; returns once it answers <c>/healthz</c>.</summary>
    public ChildNode(ClusterNode node, Action<JsonObject> change)
    {
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(node.Directory, "fixture.json")))!.AsObject();
        change(settings["IdentityHub"]!.AsObject());
        var file = Path.Combine(directory, "settings.json");
        File.WriteAllText(file, settings.ToJsonString());
        Port = Loopback.FreePort();
        var start = new ProcessStartInfo(PublishedApp.Dotnet)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Dll, "--contentRoot", directory })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}";
        start.Environment["IdentityHub__SettingsFile"] = file;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!PublishedApp.WaitUntilHealthy(process, Port, () => Output))
        {
            Dispose();
            throw new TimeoutException($"the child instance did not answer /healthz within 60 s:\n{Output}");
        }
    }

    /// <summary>The host as built by <c>dotnet build -c Release</c>.</summary>
    public static string Dll { get; } = Path.Combine(PublishedApp.RepositoryRoot, "src", "IdentityHub.Web", "bin", "Release", "net10.0", "IdentityHub.Web.dll");

    public int Port { get; }

    public int ProcessId => process.Id;

    /// <summary>Standard output and error so far.</summary>
    public string Output => string.Join('\n', output);

    /// <summary><c>kill -9</c>: the process ends at once, with no shutdown of any kind.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: false);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
