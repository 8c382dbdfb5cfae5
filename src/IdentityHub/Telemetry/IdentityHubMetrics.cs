using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using IdentityHub.Errors;

namespace IdentityHub.Telemetry;

/// <summary>
/// IdentityHub's own meter, <c>IdentityHub</c>: password changes by dialect and result, lockouts, throttled requests,
/// step-up tokens issued and consumed, outbox delivery failures and depth. Created through <see cref="IMeterFactory"/>,
/// so every host (and every test host in one process) has its own meter; exported by the host's OpenTelemetry set-up,
/// or read with <c>dotnet-counters</c>. No tag ever carries a user, a tenant, an address or a secret.
/// </summary>
public sealed class IdentityHubMetrics
{
    /// <summary>The meter's name, to subscribe to.</summary>
    public const string MeterName = "IdentityHub";

    private readonly Counter<long> passwordChanges;
    private readonly Counter<long> lockouts;
    private readonly Counter<long> throttled;
    private readonly Counter<long> stepUpIssued;
    private readonly Counter<long> stepUpConsumed;
    private readonly Counter<long> deliveryFailures;
    private long outboxDepth;

    public IdentityHubMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        passwordChanges = meter.CreateCounter<long>("identityhub.password_changes", "{change}",
            "Password changes handed to the core, by dialect (v1, step-up, envelope, page) and result (success or the error code).");
        lockouts = meter.CreateCounter<long>("identityhub.lockouts", "{lockout}",
            "Failed password checks that locked an account, for every address (scope=account) or for one address (scope=ip).");
        throttled = meter.CreateCounter<long>("identityhub.throttled", "{request}",
            "Requests refused for load: sign-in failures per minute (sign-in), the account API's rate limit (account-api), the full hash gate (hash-gate).");
        stepUpIssued = meter.CreateCounter<long>("identityhub.step_up_tokens.issued", "{token}", "Step-up tokens issued.");
        stepUpConsumed = meter.CreateCounter<long>("identityhub.step_up_tokens.consumed", "{token}", "Step-up tokens consumed by a password change.");
        deliveryFailures = meter.CreateCounter<long>("identityhub.outbox.delivery_failures", "{attempt}",
            "Failed outbox delivery attempts; final=true when the message was given up.");
        meter.CreateObservableGauge("identityhub.outbox.depth", () => Volatile.Read(ref outboxDepth), "{message}",
            "Outbox messages waiting for delivery, as counted after the sender's last pass.");
    }

    /// <summary>Where a request was refused for load, as the <c>where</c> tag of <c>identityhub.throttled</c>.</summary>
    public static class Throttles
    {
        public const string SignIn = "sign-in";
        public const string AccountApi = "account-api";
        public const string HashGate = "hash-gate";
        public const string PasswordReset = "password-reset";
    }

    /// <summary>A password change came back from the core: <c>success</c>, or its first error's code in snake_case.</summary>
    public void PasswordChanged(string dialect, HubResult result)
    {
        var outcome = result.Succeeded ? "success" : SnakeCase(result.Error!.Code);
        passwordChanges.Add(1, new TagList { { "dialect", dialect }, { "result", outcome } });
    }

    /// <summary>A failed check locked an account (<c>account</c>) or one address out of it (<c>ip</c>).</summary>
    public void LockoutStarted(bool accountWide) => lockouts.Add(1, new KeyValuePair<string, object?>("scope", accountWide ? "account" : "ip"));

    /// <summary>A request was refused for load; <paramref name="where"/> is one of <see cref="Throttles"/>.</summary>
    public void Throttled(string where) => throttled.Add(1, new KeyValuePair<string, object?>("where", where));

    public void StepUpTokenIssued() => stepUpIssued.Add(1);

    public void StepUpTokenConsumed() => stepUpConsumed.Add(1);

    /// <summary>One delivery attempt failed; <paramref name="final"/> when the message is now given up.</summary>
    public void DeliveryFailed(bool final) => deliveryFailures.Add(1, new KeyValuePair<string, object?>("final", final));

    /// <summary>The pending messages the sender counted after its last pass.</summary>
    public void OutboxDepth(long pending) => Volatile.Write(ref outboxDepth, pending);

    private static string SnakeCase(HubErrorCode code) => JsonNamingPolicy.SnakeCaseLower.ConvertName(code.ToString());
}
