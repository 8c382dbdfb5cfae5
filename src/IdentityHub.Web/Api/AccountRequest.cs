using System.Text.Json;
using IdentityHub.Errors;
using IdentityHub.PasswordChanges;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api;

/// <summary>
/// A password change as any account API dialect carries it, read before the handler runs, in one order for all:
/// authenticate the access token, the dialect's own checks (<see cref="AccountApiDialect.CheckCallerAsync"/>), the
/// <c>locale</c> parameter, the JSON body, then the dialect's fields. The first problem becomes <see cref="Failure"/>,
/// which the group's filter (<see cref="AccountApi.MapAccountApiGroup"/>) answers in the dialect's shape, so a
/// handler only ever sees a good request.
/// </summary>
internal sealed class AccountRequest
{
    private readonly PasswordChange? change;

    private AccountRequest(AccountApiDialect dialect, PasswordChange? change, HubResult? failure)
    {
        Dialect = dialect;
        this.change = change;
        Failure = failure;
    }

    /// <summary>The dialect of the endpoint that was called.</summary>
    public AccountApiDialect Dialect { get; }

    /// <summary>Why the request is refused, or null when it is good.</summary>
    public HubResult? Failure { get; }

    /// <summary>The change to hand to the core; only on a good request.</summary>
    public PasswordChange Change => change ?? throw new InvalidOperationException("A refused request carries no change.");

    /// <summary>Minimal APIs' binding hook; never null, a refused request carries its <see cref="Failure"/>.</summary>
    public static async ValueTask<AccountRequest?> BindAsync(HttpContext context)
    {
        var dialect = context.GetEndpoint()?.Metadata.GetMetadata<AccountApiDialect>()
            ?? throw new InvalidOperationException("An account API endpoint must be mapped in a dialect's group.");
        var read = await ReadAsync(context, dialect);
        return new AccountRequest(dialect, read.Succeeded ? read.Value : null, read.Succeeded ? null : read);
    }

    /// <summary>
    /// A password change as the core takes it, with the request's origin, language preferences and issuer filled in
    /// (the email is written in the first supported of: explicit locale, Accept-Language, the user's, the tenant's).
    /// The one place a <see cref="PasswordChange"/> is built from HTTP: the API dialects and the page both use it.
    /// </summary>
    public static PasswordChange BuildChange(HttpContext context, Caller caller, string? currentPassword, string newPassword, string? locale) =>
        new(caller.UserId, caller.TenantId, currentPassword, newPassword, HttpOrigin.From(context, caller.ClientId, caller.SessionId))
        {
            Locale = locale,
            PreferredLocales = HttpOrigin.AcceptLanguages(context),
            Issuer = HttpOrigin.Issuer(context),
            AuthenticatedAt = caller.AuthTime,
        };

    private static async Task<HubResult<PasswordChange>> ReadAsync(HttpContext context, AccountApiDialect dialect)
    {
        var authenticated = await context.RequestServices.GetRequiredService<AccessTokenAuthenticator>().AuthenticateAsync(context);
        if (!authenticated.Succeeded)
        {
            return HubResult<PasswordChange>.FailedLike(authenticated);
        }
        var caller = authenticated.Value;
        var proof = await dialect.CheckCallerAsync(context, caller);
        if (!proof.Succeeded)
        {
            return HubResult<PasswordChange>.FailedLike(proof);
        }
        if (!LocaleParameter.TryNormalize(context.Request.Query["locale"].ToString(), out var locale))
        {
            return new HubError(HubErrorCode.InvalidRequest, HubField.Locale, ["invalid_locale"]);
        }
        var body = await JsonBody.ReadObjectAsync(context.Request);
        if (!body.Succeeded)
        {
            return HubResult<PasswordChange>.FailedLike(body);
        }
        var fields = ReadPasswords(body.Value, dialect);
        if (!fields.Succeeded)
        {
            return HubResult<PasswordChange>.FailedLike(fields);
        }
        var (current, next) = fields.Value;
        return BuildChange(context, caller, current, next, locale) with { StepUp = proof.Value, Dialect = dialect.Name };
    }

    /// <summary>
    /// The dialect's password fields, every problem at once (a dialect that answers one reports the first): the
    /// current password, when the dialect has it, must be a non-empty string; the new password a string.
    /// </summary>
    private static HubResult<(string? Current, string Next)> ReadPasswords(JsonElement body, AccountApiDialect dialect)
    {
        var problems = new List<HubError>();
        string? current = null;
        if (dialect.FieldName(HubField.CurrentPassword) is { } currentName)
        {
            (current, var problem) = JsonBody.GetPassword(body, currentName);
            if (problem is not null || string.IsNullOrEmpty(current))
            {
                problems.Add(new HubError(HubErrorCode.InvalidRequest, HubField.CurrentPassword, [problem ?? "required"]));
            }
        }
        var (next, nextProblem) = JsonBody.GetPassword(body, dialect.FieldName(HubField.NewPassword)!);
        if (nextProblem is not null)
        {
            problems.Add(new HubError(HubErrorCode.InvalidRequest, HubField.NewPassword, [nextProblem]));
        }
        return problems.Count > 0 ? HubResult<(string?, string)>.Failed([.. problems]) : (current, next!);
    }
}
