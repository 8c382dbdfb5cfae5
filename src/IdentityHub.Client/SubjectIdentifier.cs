using System.Text.Json;

namespace IdentityHub.Client;

/// <summary>An RFC 9493 subject identifier in a format this receiver matches to cookie sessions: <c>iss_sub</c> or <c>email</c>.</summary>
/// <param name="Format"><c>iss_sub</c> or <c>email</c>.</param>
/// <param name="Issuer">The <c>iss</c> of an <c>iss_sub</c> identifier.</param>
/// <param name="Value">The <c>sub</c> of an <c>iss_sub</c> identifier, or the email address.</param>
public sealed record SubjectIdentifier(string Format, string? Issuer, string Value)
{
    /// <summary>Reads <paramref name="element"/>, or null when it is not an <c>iss_sub</c> or <c>email</c> identifier with its members.</summary>
    public static SubjectIdentifier? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !TryString(element, "format", out var format))
        {
            return null;
        }
        return format switch
        {
            "iss_sub" when TryString(element, "iss", out var iss) && TryString(element, "sub", out var sub) => new(format, iss, sub),
            "email" when TryString(element, "email", out var email) => new(format, null, email),
            _ => null,
        };
    }

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String ? member.GetString()! : "";
        return value.Length > 0;
    }
}
