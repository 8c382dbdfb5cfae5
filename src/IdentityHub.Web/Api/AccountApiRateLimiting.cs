using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using IdentityHub.Errors;
using Microsoft.AspNetCore.RateLimiting;

namespace IdentityHub.Web.Api;

/// <summary>
/// Rate limiting of the account API: a fixed window per credential (the bearer token, hashed). Rejections are
/// written in the called dialect's shape. Bound from
/// <c>IdentityHub:RateLimiting</c>.
/// </summary>
internal static class AccountApiRateLimiting
{
    public const string Policy = "account-api";

    public static IServiceCollection AddAccountApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("IdentityHub:RateLimiting").Get<RateLimitingOptions>() ?? new RateLimitingOptions();
        return services.AddRateLimiter(options =>
        {
            // Requests without a bearer token are not limited: they are refused before any costly work (no
            // hashing, no write). Requests with one are limited per credential, since each may cost two slow hashes.
            options.AddPolicy(Policy, context => context.Request.Headers.Authorization.Count == 0
                ? RateLimitPartition.GetNoLimiter("anonymous")
                : RateLimitPartition.GetFixedWindowLimiter(
                    PartitionKey(context),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit,
                        Window = settings.Window,
                        QueueLimit = 0,
                    }));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : (int)settings.Window.TotalSeconds;
                var dialect = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IErrorDialect>();
                var error = new HubError(HubErrorCode.RateLimited) { RetryAfterSeconds = Math.Max(1, retryAfter) };
                if (dialect is not null)
                {
                    await dialect.ToResult([error]).ExecuteAsync(rejected.HttpContext);
                }
                else
                {
                    rejected.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                }
            };
        });
    }

    private static string PartitionKey(HttpContext context) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString())));
}
