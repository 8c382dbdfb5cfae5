namespace IdentityHub.Errors;

/// <summary>
/// The outcome of a core operation: success, or one or more <see cref="HubError"/>s, modelled on ASP.NET Core
/// Identity's <c>IdentityResult</c>. Expected failures (a wrong password, a weak password, a locked account) are
/// results, never exceptions. An operation that produces something returns <see cref="HubResult{T}"/>.
/// </summary>
public class HubResult
{
    private protected HubResult(IReadOnlyList<HubError> errors) => Errors = errors;

    /// <summary>The shared success instance.</summary>
    public static HubResult Success { get; } = new([]);

    /// <summary>The failures; empty on success.</summary>
    public IReadOnlyList<HubError> Errors { get; }

    /// <summary>True when there is no error.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The first (most significant) error, or null on success.</summary>
    public HubError? Error => Errors.Count == 0 ? null : Errors[0];

    /// <summary>Creates a failed result.</summary>
    public static HubResult Failed(params HubError[] errors) => new(NonEmpty(errors));

    /// <summary>Creates a failed result with a single error of the given code.</summary>
    public static HubResult Failed(HubErrorCode code) => new([new HubError(code)]);

    private protected static IReadOnlyList<HubError> NonEmpty(IReadOnlyList<HubError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failed result needs at least one error.", nameof(errors)) : errors;
}

/// <summary>The outcome of a core operation that produces a <typeparamref name="T"/> when it succeeds.</summary>
public sealed class HubResult<T> : HubResult
{
    private readonly T? value;

    private HubResult(T? value, IReadOnlyList<HubError> errors) : base(errors) => this.value = value;

    /// <summary>The value; only on success.</summary>
    public T Value => Succeeded ? value! : throw new InvalidOperationException("A failed result has no value.");

    /// <summary>Creates a successful result.</summary>
    public static HubResult<T> Ok(T value) => new(value, []);

    /// <summary>Creates a failed result.</summary>
    public static new HubResult<T> Failed(params HubError[] errors) => new(default, NonEmpty(errors));

    /// <summary>Creates a failed result with a single error of the given code.</summary>
    public static new HubResult<T> Failed(HubErrorCode code) => new(default, [new HubError(code)]);

    /// <summary>The same failure, for a result of another type (the value of a failure is never read).</summary>
    public static HubResult<T> FailedLike(HubResult failure) => new(default, NonEmpty(failure.Errors));

    /// <summary>A success carrying <paramref name="value"/>.</summary>
    public static implicit operator HubResult<T>(T value) => Ok(value);

    /// <summary>A failure of one error.</summary>
    public static implicit operator HubResult<T>(HubError error) => Failed(error);
}
