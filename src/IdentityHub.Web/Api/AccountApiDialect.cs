using IdentityHub.Errors;
using IdentityHub.StepUp;
using IdentityHub.Web.Connect;

namespace IdentityHub.Web.Api;

/// <summary>
/// One dialect of the account API, that is one seed document: the wire names of its fields, what it checks before
/// reading a body, and its one mapper from core errors to status and body. It is attached to its route group as
/// endpoint metadata, so that <see cref="AccountRequest"/>, the rate limiter and the exception handler all answer in
/// the shape of the endpoint that was called. Every <see cref="HubErrorCode"/> has a deliberate mapping in each.
/// </summary>
internal abstract class AccountApiDialect
{
    /// <summary>The dialect's short name (<c>v1</c>, <c>step-up</c>, <c>envelope</c>), the <c>dialect</c> tag of the password change metric.</summary>
    public abstract string Name { get; }

    /// <summary>The name of <paramref name="field"/> on the wire; null when this dialect's requests do not carry it.</summary>
    public abstract string? FieldName(HubField field);

    /// <summary>
    /// What this dialect checks once the caller is authenticated and before the body is read (seed 000 the
    /// <c>X-Tenant-ID</c> header, seed 002 the step-up token). A step-up token proves presence and is returned.
    /// </summary>
    public virtual ValueTask<HubResult<StepUpProof?>> CheckCallerAsync(HttpContext context, Caller caller) => ValueTask.FromResult(NoProof);

    /// <summary>The response for a failed result: all its errors, or the first, as the dialect's document says.</summary>
    public abstract IResult ToResult(IReadOnlyList<HubError> errors);

    /// <summary>The response for a core result: <paramref name="success"/>'s on success, else this dialect's error response.</summary>
    public IResult Answer<T>(HubResult<T> result, Func<T, IResult> success) => result.Succeeded ? success(result.Value) : ToResult(result.Errors);

    /// <summary>The wire name of an error's field, or null when it has none.</summary>
    protected string? FieldOf(HubError error) => error.Field is { } field ? FieldName(field) : null;

    /// <summary>Passes <see cref="CheckCallerAsync"/> without a step-up token.</summary>
    protected static HubResult<StepUpProof?> NoProof { get; } = HubResult<StepUpProof?>.Ok(null);

    /// <summary>Thrown for a code a dialect has no mapping for; the test of every code through every dialect finds it first.</summary>
    protected static ArgumentOutOfRangeException Unmapped(HubErrorCode code) =>
        new(nameof(code), code, "This dialect has no mapping for the error code.");
}
