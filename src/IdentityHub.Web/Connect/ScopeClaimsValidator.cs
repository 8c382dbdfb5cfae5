namespace IdentityHub.Web.Connect;

/// <summary>
/// Checks <c>IdentityHub:Server:ScopeClaims</c> at start: a scope name, and only claims that are issued (a claim the
/// server cannot fill would be advertised in discovery and never appear).
/// </summary>
internal sealed class ScopeClaimsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();
        foreach (var (scope, claims) in options.ScopeClaims)
        {
            if (string.IsNullOrWhiteSpace(scope) || scope.Any(c => c is ' ' or '"' or '\\' || char.IsControl(c)))
            {
                failures.Add($"IdentityHub:Server:ScopeClaims: '{scope}' is not a scope name.");
            }
            foreach (var claim in (claims ?? []).Where(c => !ScopeClaims.Releasable.Contains(c, StringComparer.Ordinal)))
            {
                failures.Add($"IdentityHub:Server:ScopeClaims:{scope}: '{claim}' cannot be released; use {string.Join(", ", ScopeClaims.Releasable)}.");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
