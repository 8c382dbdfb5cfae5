using System.Net;
using Duende.IdentityModel.Client;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// A token response's writes share one transaction (TokenResponseTransaction, issue 14): a refresh that fails after
/// the old token was redeemed and the new tokens' rows were written either rotates fully or changes nothing, so the
/// client can retry with the token it holds.
/// </summary>
public sealed class TokenResponseFailureTests(TokenResponseFailureTests.FailingApplication app) : IClassFixture<TokenResponseFailureTests.FailingApplication>
{
    /// <summary>The host with a test seam: a last sign-in handler that refuses or throws when asked to.</summary>
    public sealed class FailingApplication : HubApplication
    {
        public volatile string? Failure;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddOpenIddict().AddServer(options =>
                options.AddEventHandler<ProcessSignInContext>(handler => handler
                    // After every token was generated and stored, before the transaction commits.
                    .SetOrder(OpenIddictServerHandlers.AttachSignInParameters.Descriptor.Order + 500)
                    .UseInlineHandler(context => Failure switch
                    {
                        "refuse" => Refuse(context),
                        "throw" => throw new InvalidOperationException("A failure after the token rows were written."),
                        _ => ValueTask.CompletedTask,
                    }))));
        }

        private static ValueTask Refuse(ProcessSignInContext context)
        {
            context.Reject(error: OpenIddict.Abstractions.OpenIddictConstants.Errors.InvalidRequest, description: "Refused after the token rows were written.");
            return ValueTask.CompletedTask;
        }
    }

    [Theory]
    [InlineData("refuse", HttpStatusCode.BadRequest)]
    [InlineData("throw", HttpStatusCode.InternalServerError)]
    public async Task ARefreshThatFailsAfterItsWrites_ChangesNothing_AndTheOldTokenStillWorks(string failure, HttpStatusCode status)
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(app);
        var first = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(first.IsError, first.Error);
        var before = await TokenStatusesAsync(userId.ToString());

        app.Failure = failure;
        TokenResponse failed;
        try
        {
            failed = await oauth.RefreshAsync(first.RefreshToken!);
        }
        finally
        {
            app.Failure = null;
        }

        Assert.Equal(status, failed.HttpStatusCode);
        Assert.Equal(before, await TokenStatusesAsync(userId.ToString()));
        var retried = await oauth.RefreshAsync(first.RefreshToken!);
        Assert.False(retried.IsError, retried.Error);
        Assert.Equal("invalid_grant", (await oauth.RefreshAsync(first.RefreshToken!)).Error);
        Assert.Equal(userId.ToString(), new JsonWebToken(retried.AccessToken).Subject);
    }

    /// <summary>The user's token rows (id and status), in a stable order.</summary>
    private Task<List<string>> TokenStatusesAsync(string subject) =>
        app.QueryAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>().Where(t => t.Subject == subject)
            .OrderBy(t => t.Id).Select(t => t.Id + " " + t.Status).ToListAsync());
}
