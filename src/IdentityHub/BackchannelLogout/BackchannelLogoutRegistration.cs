using System.Text.Json;
using OpenIddict.Abstractions;

namespace IdentityHub.BackchannelLogout;

/// <summary>
/// A client's back-channel logout registration, stored as custom properties of its OpenIddict application (like its
/// tenant): <c>backchannel_logout_uri</c> (an absolute URI) and <c>backchannel_logout_session_required</c> (a bool).
/// Only an administrator sets them (the seed), and only that URI is ever called for the client.
/// </summary>
public static class BackchannelLogoutRegistration
{
    /// <summary>The property holding the receiver's URI.</summary>
    public const string UriProperty = "backchannel_logout_uri";

    /// <summary>
    /// The property recording that the client needs <c>sid</c> in logout tokens. IdentityHub always sends <c>sid</c>
    /// (and <c>sub</c>), so both values are honoured; the flag is kept for the client's metadata.
    /// </summary>
    public const string SessionRequiredProperty = "backchannel_logout_session_required";

    /// <summary>The client's registered back-channel logout URI, or null when it has none (or an unreadable one).</summary>
    public static async Task<Uri?> FindUriAsync(IOpenIddictApplicationManager applications, string clientId, CancellationToken cancellationToken)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return null;
        }
        var properties = await applications.GetPropertiesAsync(application, cancellationToken);
        return properties.TryGetValue(UriProperty, out var value) && value.ValueKind == JsonValueKind.String &&
               Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : null;
    }
}
