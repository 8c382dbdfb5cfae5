using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace IdentityHub.Cedar.Tests;

/// <summary>
/// Replays the Cedar integration-test corpus subset (5,588 tests, 44,704 requests with the official answers) and
/// requires every decision, reason set and error set to match the reference implementation.
/// </summary>
public sealed class CedarConformanceTests
{
    /// <summary>In this test project (copied to the output), with its provenance and licence in the README beside it.</summary>
    private const string CorpusRelativePath = "CedarCorpus/corpus-subset.jsonl.gz";
    private const int MaxReportedMismatches = 20;

    [Fact]
    public void EveryCorpusRequestMatchesTheReferenceImplementation()
    {
        var corpus = FindCorpus();
        Assert.True(corpus is not null,
            $"Cedar conformance corpus not found: no directory above {AppContext.BaseDirectory} contains {CorpusRelativePath} " +
            "(expected in tests/IdentityHub.Cedar.Tests/CedarCorpus/). The corpus is required; this test never skips.");

        var mismatches = new List<string>();
        var mismatchCount = 0;
        var tests = 0;
        var requests = 0;
        using var file = File.OpenRead(corpus!);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            tests++;
            using var document = JsonDocument.Parse(line);
            var test = document.RootElement;
            var id = test.GetProperty("id").GetString();
            PolicySet? policySet = null;
            EntityStore? store = null;
            string? setupError = null;
            try
            {
                policySet = PolicySet.Parse(test.GetProperty("policies").GetString()!);
                store = EntityStore.FromJson(test.GetProperty("entities"));
            }
            catch (Exception ex) when (ex is CedarParseException or JsonException or ArgumentException)
            {
                setupError = ex.Message;
            }

            var index = 0;
            foreach (var expected in test.GetProperty("requests").EnumerateArray())
            {
                requests++;
                var problem = setupError is not null
                    ? "setup failed: " + setupError
                    : Compare(policySet!, store!, expected);
                if (problem is not null)
                {
                    mismatchCount++;
                    if (mismatches.Count < MaxReportedMismatches)
                    {
                        mismatches.Add($"test {id} request #{index}: {problem}");
                    }
                }

                index++;
            }
        }

        Assert.True(mismatchCount == 0,
            $"{mismatchCount} of {requests} requests ({tests} tests) differ from the reference answers; first {mismatches.Count}:\n" +
            string.Join("\n", mismatches));
        Assert.Equal(44_704, requests);
    }

    private static string? Compare(PolicySet policies, EntityStore store, JsonElement expected)
    {
        AuthorizationResponse response;
        try
        {
            response = Authorizer.IsAuthorized(policies, AuthorizationRequest.FromJson(expected), store);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            return "request rejected: " + ex.Message;
        }

        var expectedDecision = expected.GetProperty("decision").GetString();
        var actualDecision = response.Decision == Decision.Allow ? "allow" : "deny";
        var expectedReasons = ReadSet(expected.GetProperty("reason"));
        var expectedErrors = ReadSet(expected.GetProperty("errors"));
        var actualReasons = new SortedSet<string>(response.Reasons, StringComparer.Ordinal);
        var actualErrors = new SortedSet<string>(response.Errors, StringComparer.Ordinal);
        if (expectedDecision == actualDecision && expectedReasons.SetEquals(actualReasons) && expectedErrors.SetEquals(actualErrors))
        {
            return null;
        }

        var details = string.Join("; ", response.ErrorDetails.Select(e => e.ToString()));
        return $"expected {expectedDecision} reasons [{string.Join(",", expectedReasons)}] errors [{string.Join(",", expectedErrors)}], " +
               $"got {actualDecision} reasons [{string.Join(",", actualReasons)}] errors [{string.Join(",", actualErrors)}]" +
               (details.Length > 0 ? $" ({details})" : string.Empty);
    }

    private static SortedSet<string> ReadSet(JsonElement array)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            set.Add(item.GetString()!);
        }

        return set;
    }

    private static string? FindCorpus()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, CorpusRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
