using IdentityHub.Errors;

namespace IdentityHub.Web.Api;

/// <summary>
/// How one API dialect (one seed document) writes failures. Each dialect has exactly one implementation, attached
/// to its route group as endpoint metadata so that the rate limiter and the exception handler answer in the shape
/// of the endpoint that was called.
/// </summary>
internal interface IErrorDialect
{
    /// <summary>The response for a failed core result (all its errors, or the first, as the dialect documents).</summary>
    IResult ToResult(IReadOnlyList<HubError> errors);
}
