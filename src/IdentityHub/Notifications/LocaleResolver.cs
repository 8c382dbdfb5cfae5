using System.Globalization;
using Microsoft.Extensions.Options;

namespace IdentityHub.Notifications;

/// <summary>
/// Picks the culture of an email from candidates in order of preference (explicit request locale, the request's
/// Accept-Language, the user's preferred locale, the tenant's default, then <c>en</c>): the first candidate that is
/// supported itself or through its parent chain (<c>fr-CA</c> → <c>fr</c>) wins.
/// </summary>
public sealed class LocaleResolver(IOptions<MailOptions> options)
{
    /// <summary>Resolves the culture; never null (English at worst).</summary>
    public CultureInfo Resolve(IEnumerable<string?> candidates)
    {
        var supported = options.Value.EffectiveCultures;
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }
            CultureInfo culture;
            try
            {
                culture = CultureInfo.GetCultureInfo(candidate.Trim());
            }
            catch (CultureNotFoundException)
            {
                continue;
            }
            for (var current = culture; !current.Equals(CultureInfo.InvariantCulture); current = current.Parent)
            {
                if (supported.Contains(current.Name, StringComparer.OrdinalIgnoreCase))
                {
                    return current;
                }
            }
        }
        return CultureInfo.GetCultureInfo("en");
    }
}
