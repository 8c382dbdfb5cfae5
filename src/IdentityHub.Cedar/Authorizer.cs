namespace IdentityHub.Cedar;

/// <summary>
/// Cedar's authorization algorithm. Every policy is evaluated (none is skipped early) so the response can list all
/// determining and all erroring policies, exactly as the reference implementation does.
/// </summary>
public static class Authorizer
{
    /// <summary>
    /// Decides a request: any satisfied forbid denies (reasons = those forbids); otherwise any satisfied permit allows
    /// (reasons = those permits); otherwise deny with no reasons. A policy whose evaluation errors is treated as not
    /// satisfied and reported in <see cref="AuthorizationResponse.Errors"/>; errors never cause an exception.
    /// </summary>
    public static AuthorizationResponse IsAuthorized(PolicySet policies, AuthorizationRequest request, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(entities);

        var evaluator = new Evaluator(request, entities);
        List<Policy>? permits = null;
        List<Policy>? forbids = null;
        List<PolicyEvaluationError>? errors = null;
        var list = policies.Policies;
        for (var i = 0; i < list.Count; i++)
        {
            var policy = list[i];
            switch (evaluator.IsSatisfied(policy))
            {
                case null:
                    (errors ??= []).Add(new PolicyEvaluationError(policy, evaluator.Error ?? "evaluation error"));
                    break;
                case true when policy.Effect == PolicyEffect.Forbid:
                    (forbids ??= []).Add(policy);
                    break;
                case true:
                    (permits ??= []).Add(policy);
                    break;
            }
        }

        if (forbids is not null)
        {
            return new AuthorizationResponse(Decision.Deny, forbids, errors);
        }

        return permits is not null
            ? new AuthorizationResponse(Decision.Allow, permits, errors)
            : new AuthorizationResponse(Decision.Deny, null, errors);
    }
}
