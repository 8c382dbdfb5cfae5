namespace IdentityHub.Web.Api;

/// <summary>Reads <c>Authorization: Bearer</c> headers (RFC 6750 §2.1); the one place the account and admin APIs do.</summary>
internal static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>
    /// The token of a bearer header, without what does not change it: the letter case of <c>Bearer</c> and the spaces
    /// around the token. Null for an empty header, another scheme, or a scheme without a token.
    /// </summary>
    public static string? Read(string header)
    {
        var value = header.Trim();
        return value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && value[Prefix.Length..].TrimStart() is { Length: > 0 } token
            ? token
            : null;
    }
}
