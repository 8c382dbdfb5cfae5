using BenchmarkDotNet.Running;
using IdentityHub.Bench;
using IdentityHub.Cedar;

if (args.Length > 0 && args[0] == "--check")
{
    // Quick sanity run without BenchmarkDotNet: shows what the benchmarked request decides and why.
    var bench = new PolicyBenchmarks();
    bench.Setup();
    var response = bench.Evaluate();
    Console.WriteLine($"{bench.Parse().Count} policies; decision {response.Decision}; " +
                      $"reasons [{string.Join(", ", response.DeterminingPolicies.Select(p => p.Id))}]; " +
                      $"errors [{string.Join("; ", response.ErrorDetails.Select(e => e.Policy.Id + ": " + e.Message))}]");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PolicyBenchmarks).Assembly).Run(args);
