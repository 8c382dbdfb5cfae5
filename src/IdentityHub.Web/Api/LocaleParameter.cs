using System.Globalization;
using IdentityHub.Notifications;

namespace IdentityHub.Web.Api;

/// <summary>Validates an explicit <c>locale</c> (BCP 47) given by an API caller.</summary>
internal static class LocaleParameter
{
    /// <summary>
    /// True when absent, or when it names a culture this runtime knows (ICU's list); the canonical name is returned.
    /// An unknown or malformed tag is an error for the caller, never a silent fallback.
    /// </summary>
    public static bool TryNormalize(string? value, out string? locale)
    {
        locale = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }
        if (value.Length > LocaleResolver.MaxTagLength || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_')))
        {
            return false;
        }
        try
        {
            var culture = CultureInfo.GetCultureInfo(value.Replace('_', '-'), predefinedOnly: true);
            if (culture.Equals(CultureInfo.InvariantCulture))
            {
                return false;
            }
            locale = culture.Name;
            return true;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
