using IdentityHub.Passwords;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Server.AspNetCore;

namespace IdentityHub.Web.Connect;

/// <summary>OAuth errors of the passthrough endpoints, written by OpenIddict in the protocol's own shape.</summary>
internal static class OAuthErrors
{
    /// <summary>The description of the <c>invalid_request</c> that answers an overlong password at a grant.</summary>
    public static readonly string PasswordTooLong = $"The password is longer than {PasswordNormalizer.MaxInputLength} characters.";

    public static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
