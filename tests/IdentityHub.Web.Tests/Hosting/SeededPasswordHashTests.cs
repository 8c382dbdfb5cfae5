using System.Text.Json;
using System.Text.Json.Nodes;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Web.Tests.Hosting;

/// <summary>A seeded user given as an Identity v3 hash (500 iterations, below the suite's 1,000) rather than a password.</summary>
public sealed class SeededHashApplication : HubApplication
{
    public const string Email = "hashed@acme.test";

    /// <summary>What another system's Identity database holds for <see cref="TestData.StrongPassword"/>.</summary>
    public static readonly string Hash = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { IterationCount = 500 }))
        .HashPassword(new object(), TestData.StrongPassword);

    protected override void Configure(Dictionary<string, object?> settings) => settings["Seed"] = WithUser(settings["Seed"], new JsonObject
    {
        ["Email"] = Email, ["PasswordHash"] = Hash,
    });

    /// <summary>The fixture's seed with one more user in tenant A.</summary>
    public static JsonNode WithUser(object? seed, JsonObject user)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(seed))!;
        node["Tenants"]![0]!["Users"]!.AsArray().Add(user);
        return node;
    }
}

/// <summary>Issue 16, item 8: seeded initial passwords given as a hash, so that no plaintext sits in configuration.</summary>
public sealed class SeededPasswordHashTests(SeededHashApplication app) : IClassFixture<SeededHashApplication>
{
    private sealed class Seeded(JsonObject user) : HubApplication
    {
        protected override void Configure(Dictionary<string, object?> settings) => settings["Seed"] = SeededHashApplication.WithUser(settings["Seed"], user);
    }

    [Fact]
    public async Task SeededHash_SignsIn_ThenIsRehashedAtTheConfiguredCost()
    {
        var stored = await app.QueryAsync(db => db.Users.Where(u => u.Email == SeededHashApplication.Email).Select(u => u.PasswordHash).SingleAsync());
        Assert.Equal(SeededHashApplication.Hash, stored);

        var tokens = await new OAuthClient(app).PasswordGrantAsync(SeededHashApplication.Email, TestData.StrongPassword);

        Assert.False(tokens.IsError, $"{tokens.Error}: {tokens.ErrorDescription}");
        var rehashed = Convert.FromBase64String(await app.QueryAsync(db => db.Users.Where(u => u.Email == SeededHashApplication.Email).Select(u => u.PasswordHash!).SingleAsync()));
        Assert.Equal(1000u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rehashed.AsSpan(5)));
        Assert.True((await new OAuthClient(app).PasswordGrantAsync(SeededHashApplication.Email, "Wrong-password-123!")).IsError);
    }

    [Theory]
    [InlineData("not base64 at all!", "PasswordHash: not an ASP.NET Core Identity v3 password hash")]
    [InlineData("AQAAAAEAACcQAAAAEA==", "PasswordHash: not an ASP.NET Core Identity v3 password hash")] // a header, no salt or subkey
    [InlineData(null, "give Password or PasswordHash, not both")]
    public void MalformedOrDoubledSeed_RefusesToStart_NamingTheKey(string? hash, string message)
    {
        var user = new JsonObject { ["Email"] = "bad@acme.test", ["PasswordHash"] = hash ?? SeededHashApplication.Hash };
        if (hash is null)
        {
            user["Password"] = TestData.StrongPassword;
        }
        using var host = new Seeded(user);

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains("IdentityHub:Seed:Tenants:0:Users:2", error.ToString());
        Assert.Contains(message, error.ToString());
    }
}
