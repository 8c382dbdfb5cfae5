namespace IdentityHub.Accounts;

/// <summary>The outcome of <see cref="PasswordSignInService.CheckAsync"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="User">The account, when known.</param>
/// <param name="RetryAfter">For <see cref="PasswordSignInStatus.Throttled"/> and <see cref="PasswordSignInStatus.Busy"/>: when to try again.</param>
public sealed record PasswordSignInResult(PasswordSignInStatus Status, HubUser? User, TimeSpan? RetryAfter = null)
{
    internal static PasswordSignInResult Succeeded(HubUser user) => new(PasswordSignInStatus.Succeeded, user);
    internal static PasswordSignInResult Failed(HubUser? user) => new(PasswordSignInStatus.Failed, user);
    internal static PasswordSignInResult LockedOut(HubUser user) => new(PasswordSignInStatus.LockedOut, user);
    internal static PasswordSignInResult Throttled(TimeSpan retryAfter) => new(PasswordSignInStatus.Throttled, null, retryAfter);
    internal static PasswordSignInResult Busy(TimeSpan retryAfter) => new(PasswordSignInStatus.Busy, null, retryAfter);

    /// <summary><see cref="RetryAfter"/> in whole seconds, at least 1, for a <c>Retry-After</c> header.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling((RetryAfter ?? TimeSpan.Zero).TotalSeconds));
}
