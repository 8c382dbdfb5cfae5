using System.Collections.Immutable;
using System.Security.Claims;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Pages.Account;

/// <summary>
/// Consent for clients that require it: the requested scopes in plain words. Allowing creates a permanent
/// OpenIddict authorization, so the answer is remembered per client (and a password change, which revokes
/// authorizations, asks again).
/// </summary>
[Authorize]
public sealed class ConsentModel(IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string ClientName { get; private set; } = "";

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is null ? BadRequest() : Page();

    public async Task<IActionResult> OnPostAllowAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } application || HubClaims.ReadSession(User) is not { } session)
        {
            return BadRequest();
        }
        var identity = new ClaimsIdentity(SessionCookie.Scheme);
        identity.SetClaim(Claims.Subject, session.UserId.ToString());
        await authorizations.CreateAsync(identity, session.UserId.ToString(), (await applications.GetIdAsync(application, cancellationToken))!,
            AuthorizationTypes.Permanent, [.. Scopes], cancellationToken);
        return LocalRedirect(ReturnUrl!);
    }

    public async Task<IActionResult> OnPostDenyAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) is null ? BadRequest() : LocalRedirect(QueryHelpers.AddQueryString(ReturnUrl!, "consent", "denied"));

    /// <summary>Reads client and scopes from the pending authorization request (the return URL), which must be ours.</summary>
    private async Task<object?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!Url.IsLocalUrl(ReturnUrl) || !ReturnUrl!.StartsWith("/connect/authorize?", StringComparison.Ordinal))
        {
            return null;
        }
        var query = QueryHelpers.ParseQuery(new Uri("http://localhost" + ReturnUrl).Query);
        if (await applications.FindByClientIdAsync(query[Parameters.ClientId].ToString(), cancellationToken) is not { } application)
        {
            return null;
        }
        ClientName = await applications.GetLocalizedDisplayNameAsync(application, cancellationToken) ?? query[Parameters.ClientId].ToString();
        Scopes = query[Parameters.Scope].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToImmutableArray();
        return application;
    }
}
