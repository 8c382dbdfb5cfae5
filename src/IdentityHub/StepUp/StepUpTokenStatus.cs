namespace IdentityHub.StepUp;

/// <summary>Why a presented step-up token is or is not usable.</summary>
public enum StepUpTokenStatus
{
    /// <summary>Signed by us, of the step-up type, unexpired.</summary>
    Valid,

    /// <summary>No token was presented.</summary>
    Missing,

    /// <summary>Signed by us and of the step-up type, but past its expiry.</summary>
    Expired,

    /// <summary>Anything else: unreadable, wrong signature, wrong type or audience (an access token), missing claims.</summary>
    Invalid,
}
