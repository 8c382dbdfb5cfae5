using IdentityHub.Notifications;
using Microsoft.Extensions.Options;

namespace IdentityHub.BackchannelLogout;

/// <summary>A delivery starts only while the outbox lease outlasts its timeout: a timeout as long as the lease would never start one.</summary>
internal sealed class BackchannelLogoutOptionsValidator(IOptions<MailOptions> mail) : IValidateOptions<BackchannelLogoutOptions>
{
    public ValidateOptionsResult Validate(string? name, BackchannelLogoutOptions options) =>
        options.Timeout < mail.Value.LeaseDuration
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"IdentityHub:BackchannelLogout:Timeout ({options.Timeout}) must be shorter than IdentityHub:Mail:LeaseDuration ({mail.Value.LeaseDuration}).");
}
