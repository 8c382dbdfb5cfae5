using System.Text.Json;
using IdentityHub.Administration;
using IdentityHub.Errors;

namespace IdentityHub.Web.Api.Admin;

/// <summary>Reads the body of a user creation: <c>{email, display_name?, locale?, roles?, password? | invite: true}</c>.</summary>
internal static class AdminUserInput
{
    public static HubResult<NewUser> Read(JsonElement body)
    {
        var (email, emailProblem) = JsonBody.GetString(body, "email");
        if (emailProblem is not null)
        {
            return Problem(HubField.Email, emailProblem);
        }
        var (displayName, displayNameProblem) = Optional(JsonBody.GetString(body, "display_name"));
        var (locale, localeProblem) = Optional(JsonBody.GetString(body, "locale"));
        var (password, passwordProblem) = Optional(JsonBody.GetPassword(body, "password"));
        if ((displayNameProblem ?? localeProblem ?? passwordProblem) is { } problem)
        {
            return Problem(displayNameProblem is not null ? HubField.DisplayName : localeProblem is not null ? HubField.Locale : HubField.Password, problem);
        }
        bool invite = false;
        if (body.TryGetProperty("invite", out var inviteProperty) && inviteProperty.ValueKind != JsonValueKind.Null)
        {
            if (inviteProperty.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Problem(HubField.Invite, "must_be_boolean");
            }
            invite = inviteProperty.GetBoolean();
        }
        var roles = new List<string>();
        if (body.TryGetProperty("roles", out var rolesProperty) && rolesProperty.ValueKind != JsonValueKind.Null)
        {
            if (rolesProperty.ValueKind != JsonValueKind.Array || rolesProperty.GetArrayLength() > NewUser.MaxRoles ||
                rolesProperty.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                return Problem(HubField.Roles, "must_be_string_array");
            }
            try
            {
                roles.AddRange(rolesProperty.EnumerateArray().Select(r => r.GetString()!));
            }
            catch (InvalidOperationException)
            {
                // Not Unicode text (an escaped lone surrogate), as JsonBody.GetString reports it.
                return Problem(HubField.Roles, "invalid_encoding");
            }
        }
        return new NewUser(email, displayName, locale, roles, password, invite);
    }

    /// <summary>A missing optional field is null, not a problem.</summary>
    private static (string? Value, string? Problem) Optional((string? Value, string? Problem) read) =>
        read.Problem == "required" ? (null, null) : read;

    private static HubError Problem(HubField field, string reason) => new(HubErrorCode.InvalidRequest, field, [reason]);
}
