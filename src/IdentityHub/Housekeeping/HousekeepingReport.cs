namespace IdentityHub.Housekeeping;

/// <summary>What one housekeeping pass deleted, per kind of row.</summary>
public sealed record HousekeepingReport(long Tokens, long Authorizations, int Sessions, int OutboxMessages, int StepUpTokens, int AuditEvents)
{
    /// <summary>All rows deleted.</summary>
    public long Total => Tokens + Authorizations + Sessions + OutboxMessages + StepUpTokens + AuditEvents;
}
