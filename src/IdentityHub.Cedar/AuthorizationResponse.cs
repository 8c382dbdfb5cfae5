namespace IdentityHub.Cedar;

/// <summary>
/// The answer to an <see cref="AuthorizationRequest"/>: the decision, the policies that determined it and the
/// policies that were skipped because they errored. Ids are Cedar's positional ids (<c>policyN</c>); use
/// <see cref="DeterminingPolicies"/> to reach each policy's annotations (e.g. a forbid's <c>@notice</c>) or
/// <see cref="Policy.Id"/> (which honours <c>@id</c>).
/// </summary>
public sealed class AuthorizationResponse
{
    private static readonly Policy[] NoPolicies = [];
    private static readonly PolicyEvaluationError[] NoErrors = [];

    private string[]? _reasons;
    private string[]? _errors;

    internal AuthorizationResponse(Decision decision, IReadOnlyList<Policy>? determining, IReadOnlyList<PolicyEvaluationError>? errors)
    {
        Decision = decision;
        DeterminingPolicies = determining ?? NoPolicies;
        ErrorDetails = errors ?? NoErrors;
    }

    /// <summary>Allow or Deny.</summary>
    public Decision Decision { get; }

    /// <summary>Shorthand for <c>Decision == Decision.Allow</c>.</summary>
    public bool IsAllowed => Decision == Decision.Allow;

    /// <summary>
    /// The satisfied policies that determined the decision, in source order: the satisfied forbids when denied by a
    /// forbid, the satisfied permits when allowed, and none when denied because nothing permitted.
    /// </summary>
    public IReadOnlyList<Policy> DeterminingPolicies { get; }

    /// <summary>Policies skipped because their evaluation failed, with the reason, in source order.</summary>
    public IReadOnlyList<PolicyEvaluationError> ErrorDetails { get; }

    /// <summary>
    /// Ids of <see cref="DeterminingPolicies"/> (Cedar's "reason"): a policy's <c>@id</c> annotation, else <c>policyN</c>
    /// by position, as Cedar's own tools name them.
    /// </summary>
    public IReadOnlyList<string> Reasons => _reasons ??= ToIds(DeterminingPolicies);

    /// <summary>Ids (<c>@id</c>, else <c>policyN</c>) of the policies in <see cref="ErrorDetails"/>.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            if (_errors is null)
            {
                var ids = new string[ErrorDetails.Count];
                for (var i = 0; i < ids.Length; i++)
                {
                    ids[i] = ErrorDetails[i].PolicyId;
                }

                _errors = ids;
            }

            return _errors;
        }
    }

    private static string[] ToIds(IReadOnlyList<Policy> policies)
    {
        var ids = new string[policies.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = policies[i].Id;
        }

        return ids;
    }
}
