namespace IdentityHub.Housekeeping;

/// <summary>What one housekeeping pass deleted, per kind of row.</summary>
public sealed record HousekeepingReport(long Tokens, long Authorizations, int Sessions, int OutboxMessages, int StepUpTokens, int AuditEvents)
{
    /// <summary>Password-reset tickets past their expiry (their links are refused anyway).</summary>
    public int ResetTickets { get; init; }

    /// <summary>All rows deleted.</summary>
    public long Total => Tokens + Authorizations + Sessions + OutboxMessages + StepUpTokens + AuditEvents + ResetTickets;
}
