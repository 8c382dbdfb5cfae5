using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace IdentityHub.Notifications;

/// <summary>Outgoing mail. Bound from <c>IdentityHub:Mail</c>.</summary>
public sealed class MailOptions : IValidatableObject
{
    /// <summary>Sender address. Default <c>no-reply@identityhub.local</c>.</summary>
    [Required, EmailAddress]
    public string FromAddress { get; set; } = "no-reply@identityhub.local";

    /// <summary>Sender display name. Default <c>IdentityHub</c>.</summary>
    public string FromName { get; set; } = "IdentityHub";

    /// <summary>
    /// SMTP server; when <see cref="SmtpOptions.Host"/> is empty, mail goes to <see cref="PickupDirectory"/> instead.
    /// Validated with the rest at start, although only the outbox sender reads it.
    /// </summary>
    [ValidateObjectMembers]
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// Where messages are written as <c>.eml</c> files when no SMTP host is configured (the embedded default),
    /// relative to the content root. Default <c>App_Data/mail</c>.
    /// </summary>
    [Required]
    public string PickupDirectory { get; set; } = "App_Data/mail";

    /// <summary>The cultures the shipped templates exist in.</summary>
    public static readonly IReadOnlyList<string> ShippedCultures = ["en", "fr", "de", "es"];

    /// <summary>
    /// Cultures emails exist in; anything else falls back along its parent chain, then to the tenant's default, then
    /// <c>en</c>. Empty (default) means <see cref="ShippedCultures"/>. (Not pre-filled: the configuration binder
    /// appends to a list, so a configured list could never remove a default.)
    /// </summary>
    public List<string> SupportedCultures { get; set; } = [];

    /// <summary>The cultures in effect.</summary>
    public IReadOnlyList<string> EffectiveCultures => SupportedCultures.Count == 0 ? ShippedCultures : SupportedCultures;

    /// <summary>Delivery attempts before a message is marked failed. Default 10.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Delay before the first retry; doubles at each further attempt. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of the retry delay. Default 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the outbox is polled when nothing signals new mail. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an instance holds the messages it claimed for delivery before another instance may claim them (when
    /// the first died mid-delivery). Must be longer than <see cref="SmtpOptions.Timeout"/>: a delivery starts only
    /// while the lease outlasts the timeout. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A pushed token's attempt timeout as used: <paramref name="configured"/>, at most half the lease, so an attempt always ends within it.</summary>
    public TimeSpan WithinLease(TimeSpan configured) => configured < LeaseDuration / 2 ? configured : LeaseDuration / 2;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration <= Smtp.Timeout)
        {
            yield return new ValidationResult(
                $"IdentityHub:Mail:LeaseDuration ({LeaseDuration}) must be longer than IdentityHub:Mail:Smtp:Timeout ({Smtp.Timeout}).",
                [nameof(LeaseDuration)]);
        }
    }
}
