using System.ComponentModel.DataAnnotations;

namespace IdentityHub.StepUp;

/// <summary>Step-up tokens: proof that the user re-entered their password just now. Bound from <c>IdentityHub:StepUp</c>.</summary>
public sealed class StepUpOptions
{
    /// <summary>The <c>typ</c> header of a step-up token; an access token (<c>at+jwt</c>) never has it.</summary>
    public const string TokenType = "step-up+jwt";

    /// <summary>The audience of every step-up token; access tokens carry none, so neither passes for the other.</summary>
    public const string Audience = "urn:identityhub:step-up";

    /// <summary>
    /// How old a page sign-in may be before a sensitive page (change password) asks for the password again.
    /// Default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReauthenticateAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a step-up token is good for. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);
}
