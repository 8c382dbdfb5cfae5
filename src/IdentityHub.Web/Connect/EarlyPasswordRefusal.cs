using IdentityHub.Passwords;
using IdentityHub.Throttling;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityHub.Web.Connect;

/// <summary>
/// Refuses a token request that would check a user's password (password, token-exchange and step-up grants) before
/// OpenIddict authenticates the client and before any database lookup, when the answer is already known: the hash
/// gate is full (503) or the client's address has used up its failures for the minute (429). The same answers are
/// given deeper down when a check gets that far (see PasswordSignInService); refusing here first only makes a
/// flood of retries cheaper, so that it slows the rest of the token endpoint less (docs/benchmarks.md).
/// </summary>
internal static class EarlyPasswordRefusal
{
    public static IApplicationBuilder UseEarlyPasswordRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Path.Equals("/connect/token", StringComparison.OrdinalIgnoreCase) && request.HasFormContentType)
        {
            // Already read and cached by the unreadable-form guard that runs before this.
            var grantType = (await request.ReadFormAsync(context.RequestAborted))[Parameters.GrantType].ToString();
            if (grantType is GrantTypes.Password or GrantTypes.TokenExchange or StepUpGrant.GrantType)
            {
                var services = context.RequestServices;
                if (!services.GetRequiredService<PasswordHashGate>().HasRoom)
                {
                    await OAuthErrors.Busy((int)PasswordHashGate.RetryAfter.TotalSeconds).ExecuteAsync(context);
                    return;
                }
                if (await services.GetRequiredService<SignInThrottle>().IpThrottledForAsync(HttpOrigin.From(context, null, null).IpAddress) is { } retryAfter)
                {
                    await OAuthErrors.Throttled(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))).ExecuteAsync(context);
                    return;
                }
            }
        }
        await next(context);
    });
}
