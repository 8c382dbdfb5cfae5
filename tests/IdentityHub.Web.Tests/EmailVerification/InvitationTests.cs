using System.Net;
using IdentityHub.Audit;
using IdentityHub.Notifications;
using IdentityHub.Web.Tests.Hosting;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.EmailVerification;

/// <summary>Seeded invitations: one email at creation, its link sets the first password through the reset's API, which verifies the email.</summary>
public sealed class InvitationTests(VerificationApplication app) : IClassFixture<VerificationApplication>
{
    private readonly OAuthClient oauth = new(app);

    [Fact]
    public async Task ASeededInvitee_GetsOneEmailAcrossTwoSeedings_SetsAPasswordWithItsLink_AndSignsIn()
    {
        // Arrange: the seed ran at start; run it again in full, as a restart with a changed seed would.
        var message = Assert.Single(await app.Sink.WaitForAsync(VerificationApplication.Invitee));
        await app.QueryAsync(db => db.AppliedSeeds.ExecuteDeleteAsync());
        await app.WithServicesAsync(async services =>
        {
            var worker = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<IdentityHub.Web.Seeding.SeedWorker>().Single();
            await worker.StartingAsync(CancellationToken.None);
            return true;
        });
        Assert.Equal(1, await app.QueryAsync(db => db.Outbox.CountAsync(m => m.ToAddress == VerificationApplication.Invitee)));
        var user = await app.QueryAsync(db => db.Users.SingleAsync(u => u.Email == VerificationApplication.Invitee));
        Assert.Null(user.PasswordHash);
        Assert.False(user.EmailConfirmed);
        Assert.Equal("You are invited: choose your password", message.Subject);
        Assert.Contains("7 days", message.TextBody);
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == user.Id && e.Type == AuditEventTypes.InvitationSent)));
        var token = VerificationApplication.InvitationToken(message);

        // A "forgot password" for the invitee's email (anyone may ask) neither emails them nor supersedes the invitation.
        Assert.Equal(HttpStatusCode.Accepted, (await app.RequestResetAsync(oauth.Http, TestData.TenantA, VerificationApplication.Invitee)).Status);

        // Act: a weak password is refused by the tenant's policy; a good one is set.
        var weak = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, "short");
        var set = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.StrongPassword);
        var reused = await app.ConfirmResetAsync(oauth.Http, TestData.TenantA, token, TestData.OtherStrongPassword);

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, weak.Status);
        Assert.Equal("weak_password", weak.Code);
        Assert.Equal(HttpStatusCode.NoContent, set.Status);
        Assert.Equal(HttpStatusCode.BadRequest, reused.Status);
        Assert.Equal("used", reused.Body.GetProperty("details").GetProperty("reason").GetString());
        var tokens = await oauth.PasswordGrantAsync(VerificationApplication.Invitee, TestData.StrongPassword, scope: "openid email account");
        Assert.False(tokens.IsError, tokens.Error);
        Assert.True(new JsonWebToken(tokens.IdentityToken).GetPayloadValue<bool>("email_verified"));
        Assert.Equal(1, await app.QueryAsync(db => db.AuditEvents.CountAsync(e => e.UserId == user.Id && e.Type == AuditEventTypes.EmailVerified)));
    }

    [Fact]
    public async Task AnInvitationLink_IsRefused_ForAnotherTenant_AndForAUserWithAPassword()
    {
        var (userId, email) = await app.CreateUserAsync(TestData.TenantA, password: null, emailVerified: false);
        var (_, withPassword) = await app.CreateUserAsync(TestData.TenantA);

        var invited = await InviteAsync(userId);
        var refused = await InviteAsync(await app.QueryAsync(db => db.Users.Where(u => u.Email == withPassword).Select(u => u.Id).SingleAsync()));
        var token = VerificationApplication.InvitationToken(Assert.Single(await app.Sink.WaitForAsync(email)));
        var otherTenant = await app.ConfirmResetAsync(oauth.Http, TestData.TenantB, token, TestData.StrongPassword);

        Assert.True(invited);
        Assert.False(refused);
        Assert.Equal(HttpStatusCode.BadRequest, otherTenant.Status);
        Assert.Equal("invalid", otherTenant.Body.GetProperty("details").GetProperty("reason").GetString());
        Assert.Null(await app.QueryAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public void AnInvitedUser_WithAPassword_StopsTheHostAtStart()
    {
        using var host = new BadSettingHost(settings => settings["Seed"] = new
        {
            Tenants = new object[]
            {
                new { Id = TestData.TenantA, Name = "Acme", Users = new object[] { new { Email = "both@acme.test", Invite = true, Password = TestData.StrongPassword } } },
            },
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains("IdentityHub:Seed:Tenants:0:Users:0: an invited user (Invite)", error.ToString());
    }

    /// <summary>What the admin API's "invite a user" calls: <c>InvitationService.InviteAsync</c>.</summary>
    private Task<bool> InviteAsync(Guid userId) => app.WithServicesAsync(async services =>
    {
        var user = await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<IdentityHub.Accounts.HubUser>>().FindByIdAsync(userId.ToString());
        var result = await services.GetRequiredService<IdentityHub.Invitations.InvitationService>().InviteAsync(user!, new EmailLinkContext(RequestOrigin.None));
        return result.Succeeded;
    });
}
