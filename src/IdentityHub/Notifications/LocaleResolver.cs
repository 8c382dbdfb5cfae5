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
    /// <summary>
    /// How many of a request's own language preferences (its Accept-Language entries) are considered at most; the rest
    /// are ignored. A header may list a thousand tags, and each one costs a culture lookup: five is more than any
    /// browser sends, and the same bound applies to the pages' language.
    /// </summary>
    public const int MaxRequestedLocales = 5;

    /// <summary>The longest tag looked up (RFC 5646's longest well-formed language tag without extensions is 35 characters).</summary>
    public const int MaxTagLength = 35;

    /// <summary>
    /// Resolves the culture; never null (English at worst). Only cultures the runtime predefines are considered, so an
    /// invented tag is skipped rather than creating (and caching) a new culture object; tags longer than
    /// <see cref="MaxTagLength"/> are skipped without a lookup. The caller bounds the candidates
    /// (see <see cref="MaxRequestedLocales"/>).
    /// </summary>
    public CultureInfo Resolve(IEnumerable<string?> candidates)
    {
        var supported = options.Value.EffectiveCultures;
        foreach (var candidate in candidates)
        {
            if (string.IsNullOrWhiteSpace(candidate) || candidate.Trim().Length > MaxTagLength)
            {
                continue;
            }
            CultureInfo culture;
            try
            {
                culture = CultureInfo.GetCultureInfo(candidate.Trim(), predefinedOnly: true);
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
