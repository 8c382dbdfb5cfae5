using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using IdentityHub.Errors;
using IdentityHub.Telemetry;
using IdentityHub.Throttling;
using Microsoft.AspNetCore.RateLimiting;
using RedisRateLimiting;

namespace IdentityHub.Web.Api;

/// <summary>
/// Rate limiting of the account API: a fixed window per caller. Rejections are written in the called dialect's
/// shape. Bound from <c>IdentityHub:RateLimiting</c>.
/// The partition is the validated user and sign-in session when the token authenticates (every access token of one
/// session, however its header is spelled, shares one window); otherwise the token itself, normalised so that
/// <c>bEaReR</c> or extra spaces do not open a fresh window. Partitioning on the raw header text let any client
/// multiply its budget by respelling the same token.
/// With <c>IdentityHub:Redis:Configuration</c> set, the windows are counted in Redis (RedisRateLimiting), so the
/// limit holds across every instance; while Redis is unreachable these requests are refused (fail closed). Without
/// it each instance counts its own window, and N instances allow N times the limit.
/// </summary>
internal static class AccountApiRateLimiting
{
    public const string Policy = "account-api";

    public static IServiceCollection AddAccountApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration("IdentityHub:RateLimiting").ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitingOptions>, SharedRedis>((options, configured, redis) =>
        {
            var settings = configured.Value;
            // Requests without a bearer token are not limited: they are refused before any costly work (no
            // hashing, no write). Requests with one are limited per credential, since each may cost two slow hashes.
            options.AddPolicy(Policy, context => context.Request.Headers.Authorization.Count == 0
                ? RateLimitPartition.GetNoLimiter("anonymous")
                : Partition(PartitionKey(context), settings, redis));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : (int)settings.Window.TotalSeconds;
                var dialect = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<AccountApiDialect>();
                var error = new HubError(HubErrorCode.RateLimited) { RetryAfterSeconds = Math.Max(1, retryAfter) };
                rejected.HttpContext.RequestServices.GetRequiredService<IdentityHubMetrics>().Throttled(IdentityHubMetrics.Throttles.AccountApi);
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
        return services;
    }

    /// <summary>
    /// Authenticates the bearer token of a rate-limited account API request before the rate limiter runs, since a
    /// partition key is computed synchronously and cannot validate a token itself. The endpoint then reuses the
    /// result (<see cref="AccessTokenAuthenticator.AuthenticateAsync"/> keeps it on the request): no extra work for
    /// admitted requests; a refused one now pays the validation, which costs no password hash.
    /// </summary>
    public static IApplicationBuilder UseAccountApiCallers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Headers.Authorization.Count > 0 &&
            context.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Policy)
        {
            await context.RequestServices.GetRequiredService<AccessTokenAuthenticator>().AuthenticateAsync(context);
        }
        await next(context);
    });

    private static RateLimitPartition<string> Partition(string key, RateLimitingOptions settings, SharedRedis redis) => redis.Enabled
        ? RateLimitPartition.Get(key, partition => new FailClosedRateLimiter(new RedisFixedWindowRateLimiter<string>(
            $"{redis.KeyPrefix}{Policy}:{partition}",
            new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => redis.Connection,
                PermitLimit = settings.PermitLimit,
                Window = settings.Window,
            })))
        : RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = settings.Window,
            QueueLimit = 0,
        });

    private static string PartitionKey(HttpContext context) =>
        AccessTokenAuthenticator.AuthenticatedCaller(context) is { } caller
            ? $"session:{caller.UserId:N}:{caller.SessionId}"
            : "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizedCredential(context.Request.Headers.Authorization.ToString()))));

    /// <summary>The credential of an <c>Authorization</c> header: its bearer token as the authenticator reads it, else the whole header.</summary>
    private static string NormalizedCredential(string header) => BearerToken.Read(header) ?? header.Trim();
}
