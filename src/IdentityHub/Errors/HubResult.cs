namespace IdentityHub.Errors;

/// <summary>
/// The outcome of a core operation: success, or one or more <see cref="HubError"/>s. Expected failures (a wrong
/// password, a weak password, a locked account) are results, never exceptions.
/// </summary>
public sealed class HubResult
{
    private HubResult(IReadOnlyList<HubError> errors) => Errors = errors;

    /// <summary>The shared success instance.</summary>
    public static HubResult Success { get; } = new([]);

    /// <summary>The failures; empty on success.</summary>
    public IReadOnlyList<HubError> Errors { get; }

    /// <summary>True when there is no error.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The first (most significant) error, or null on success.</summary>
    public HubError? Error => Errors.Count == 0 ? null : Errors[0];

    /// <summary>Creates a failed result.</summary>
    public static HubResult Failed(params HubError[] errors) =>
        errors.Length == 0 ? throw new ArgumentException("A failed result needs at least one error.", nameof(errors)) : new(errors);

    /// <summary>Creates a failed result with a single error of the given code.</summary>
    public static HubResult Failed(HubErrorCode code) => new([new HubError(code)]);
}
