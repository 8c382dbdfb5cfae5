using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Accounts;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.PasswordResets;

/// <summary>
/// The token of a reset link: ASP.NET Core Identity's token of the <see cref="ProviderName"/> provider (the host
/// registers Identity's <c>DataProtectorTokenProvider</c> under it: protected with the Data Protection keys, bound to
/// the user's security stamp, with a lifetime), for a purpose that names the request, wrapped with the request and
/// user ids so that the link alone finds them. Identity's token alone is neither single-use nor superseded by a newer
/// one; the <see cref="PasswordResetTicket"/> adds both. The same wrapping serves the other emailed links
/// (<see cref="EmailLinkKind"/>): an invitation (a reset with its own provider, lifetime and ticket) and an email
/// verification, each with a provider and purpose of its own, so that no link works as another.
/// </summary>
public sealed class PasswordResetTokens(UserManager<HubUser> users)
{
    /// <summary>The name the host registers the reset token provider under.</summary>
    public const string ProviderName = "IdentityHubPasswordReset";

    /// <summary>The name the host registers the invitation token provider under (<c>IdentityHub:Invitations</c>'s lifetime).</summary>
    public const string InvitationProviderName = "IdentityHubInvitation";

    /// <summary>The name the host registers the email-verification token provider under (<c>IdentityHub:EmailVerification</c>'s lifetime).</summary>
    public const string EmailVerificationProviderName = "IdentityHubEmailVerification";

    /// <summary>The longest token accepted; anything longer is refused before it is decoded.</summary>
    public const int MaxLength = 2048;

    /// <summary>The token of a link of <paramref name="kind"/> for <paramref name="user"/> and request <paramref name="requestId"/>.</summary>
    public async Task<string> IssueAsync(HubUser user, Guid requestId, EmailLinkKind kind = EmailLinkKind.PasswordReset)
    {
        var inner = await users.GenerateUserTokenAsync(user, Provider(kind), Purpose(kind, requestId, user));
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{requestId:N}.{user.Id:N}.{inner}"));
    }

    /// <summary>Whether Identity's token inside a link is good for the user (its stamp and lifetime), request and kind.</summary>
    public Task<bool> VerifyAsync(HubUser user, ParsedToken token, EmailLinkKind kind = EmailLinkKind.PasswordReset) =>
        users.VerifyUserTokenAsync(user, Provider(kind), Purpose(kind, token.RequestId, user), token.Inner);

    /// <summary>The parts of a link's token, or null when it is not one of ours.</summary>
    public static ParsedToken? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return null;
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
        var parts = text.Split('.', 3);
        return parts.Length == 3 && Guid.TryParseExact(parts[0], "N", out var requestId) && Guid.TryParseExact(parts[1], "N", out var userId) && parts[2].Length > 0
            ? new ParsedToken(requestId, userId, parts[2])
            : null;
    }

    /// <summary>The key of the ticket of an email in a tenant (the email normalised as Identity normalises it).</summary>
    public string TicketKey(Guid tenantId, string email) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId:N}|{users.NormalizeEmail(email.Trim())}")));

    /// <summary>
    /// The key of an invitation's ticket: apart from the reset ticket of the same email, so that asking for a reset
    /// (which anyone can, for any email) never supersedes an invitation. A reset key starts with the tenant's id, never
    /// with this prefix.
    /// </summary>
    public string InvitationKey(Guid tenantId, string email) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"invitation|{tenantId:N}|{users.NormalizeEmail(email.Trim())}")));

    private static string Provider(EmailLinkKind kind) => kind switch
    {
        EmailLinkKind.Invitation => InvitationProviderName,
        EmailLinkKind.EmailVerification => EmailVerificationProviderName,
        _ => ProviderName,
    };

    // A verification link names the address it verifies (and its tenant): it stops working if the email changes.
    private string Purpose(EmailLinkKind kind, Guid requestId, HubUser user) => kind switch
    {
        EmailLinkKind.Invitation => $"Invitation:{requestId:N}",
        EmailLinkKind.EmailVerification => $"VerifyEmail:{requestId:N}:{user.TenantId:N}:{users.NormalizeEmail(user.Email)}",
        _ => $"ResetPassword:{requestId:N}",
    };

    /// <summary>A link's token, decoded.</summary>
    /// <param name="RequestId">The request it was sent for.</param>
    /// <param name="UserId">The account.</param>
    /// <param name="Inner">Identity's token.</param>
    public sealed record ParsedToken(Guid RequestId, Guid UserId, string Inner)
    {
        /// <summary>Never print the token.</summary>
        public override string ToString() => $"ParsedToken {{ RequestId = {RequestId} }}";
    }
}
