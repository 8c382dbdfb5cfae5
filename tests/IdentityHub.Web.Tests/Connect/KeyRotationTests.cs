using System.Net;
using System.Security.Cryptography;
using IdentityHub.Web.Tests.Hosting;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityHub.Web.Tests.Connect;

/// <summary>
/// Rotating the signing and encryption keys over one database, as an operator would (docs/operations.md): add the new
/// key in front, wait, then remove the old one.
/// </summary>
public sealed class KeyRotationTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "identityhub-tests", "keys-" + Guid.NewGuid().ToString("N"));
    private readonly ECDsa signingA = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa signingB = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string encryptionA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string encryptionB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public KeyRotationTests() => Directory.CreateDirectory(directory);

    [Fact]
    public async Task TokensOfThePreviousKeys_WorkWhileTheyAreListed_AndStopOnceTheyAreRemoved()
    {
        // Before: key A alone (inline). Two users, each with an access, refresh and step-up token signed with A.
        // One database and one address (the issuer is the address: tokens carry it), three hosts one after the other.
        var database = Path.Combine(directory, "identityhub.db");
        using var before = new KeyedHost(database, port: 0, settings => settings["Keys"] = Keys([new { Pem = signingA.ExportPkcs8PrivateKeyPem() }], [new { Key = encryptionA }]));
        var kept = await SignInAsync(before);
        var changing = await SignInAsync(before);
        var kidA = new JsonWebToken(kept.Access).Kid;
        var port = before.Address.Port;
        before.Dispose();

        // During: B in front of A; A now from a password-protected PEM file and a key file.
        var pemA = Path.Combine(directory, "signing-a.pem");
        var encryptionFileA = Path.Combine(directory, "encryption-a.key");
        await File.WriteAllTextAsync(pemA, signingA.ExportEncryptedPkcs8PrivateKeyPem("pem-password",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
        await File.WriteAllTextAsync(encryptionFileA, encryptionA + "\n");
        using (var during = new KeyedHost(database, port, settings => settings["Keys"] = Keys(
            [new { Pem = signingB.ExportPkcs8PrivateKeyPem() }, new { Path = pemA, Password = "pem-password" }],
            [new { Key = encryptionB }, new { Path = encryptionFileA }])))
        {
            var oauth = new OAuthClient(during);
            var jwks = (await oauth.DiscoverAsync()).KeySet!.Keys.Select(k => k.Kid).ToList();
            var refreshed = await oauth.RefreshAsync(changing.Refresh);
            var stepUp = await oauth.StepUpAsync(kept.Access, TestData.StrongPassword);
            var change = await ApiCall.StepUpChangeAsync(oauth.Http, changing.Access, changing.StepUp, TestData.OtherStrongPassword);

            var kidB = new JsonWebToken(await oauth.AccessTokenAsync(kept.Email)).Kid;
            Assert.NotEqual(kidA, kidB);
            Assert.Equal(new[] { kidA, kidB }.Order(), jwks.Order());
            Assert.False(refreshed.IsError, $"{refreshed.Error}: {refreshed.ErrorDescription}");
            Assert.Equal(kidB, new JsonWebToken(refreshed.AccessToken).Kid);
            Assert.False(stepUp.IsError, $"{stepUp.Error}: {stepUp.ErrorDescription}");
            Assert.Equal(kidB, new JsonWebToken(stepUp.AccessToken).Kid);
            Assert.Equal(HttpStatusCode.OK, change.Status);
        }

        // After: B alone. A's tokens are refused, though unexpired and unrevoked.
        using var after = new KeyedHost(database, port, settings => settings["Keys"] = Keys([new { Pem = signingB.ExportPkcs8PrivateKeyPem() }], [new { Key = encryptionB }]));
        var client = new OAuthClient(after);
        var jwksAfter = (await client.DiscoverAsync()).KeySet!.Keys.Select(k => k.Kid);
        var oldAccess = await ApiCall.StepUpChangeAsync(client.Http, kept.Access, kept.StepUp, TestData.OtherStrongPassword);
        var oldRefresh = await client.RefreshAsync(kept.Refresh);
        var oldStepUpGrant = await client.StepUpAsync(kept.Access, TestData.StrongPassword);

        Assert.DoesNotContain(kidA, jwksAfter);
        Assert.Equal(HttpStatusCode.Unauthorized, oldAccess.Status);
        Assert.Equal("invalid_grant", oldRefresh.Error);
        Assert.True(oldStepUpGrant.IsError);
        // The user is not locked out: a new sign-in gets a token signed with B.
        Assert.NotEqual(kidA, new JsonWebToken(await client.AccessTokenAsync(kept.Email)).Kid);
    }

    [Theory]
    [InlineData("a P-384 key", "IdentityHub:Keys:Signing:1", "P-256")]
    [InlineData("a 16-byte encryption key", "IdentityHub:Keys:Encryption:1", "32 bytes")]
    [InlineData("a missing key file", "IdentityHub:Keys:Signing:1", "does not exist")]
    [InlineData("a wrong PEM password", "IdentityHub:Keys:Signing:1", "Password")]
    [InlineData("a key listed twice", "IdentityHub:Keys:Signing", "twice")]
    [InlineData("both a list and a single key", "IdentityHub:Keys:SigningKeyPem", "current first")]
    public void AWrongKey_StopsTheHostAtStart_NamingIt(string wrong, string key, string reason)
    {
        var current = new { Pem = signingB.ExportPkcs8PrivateKeyPem() };
        object second = wrong switch
        {
            "a P-384 key" => new { Pem = ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem() },
            "a missing key file" => new { Path = Path.Combine(directory, "missing.pem") },
            "a wrong PEM password" => new
            {
                Pem = signingA.ExportEncryptedPkcs8PrivateKeyPem("right", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)),
                Password = "wrong",
            },
            "a key listed twice" => current,
            _ => new { Pem = signingA.ExportPkcs8PrivateKeyPem() },
        };
        var encryption = wrong == "a 16-byte encryption key" ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) : encryptionA;
        using var host = new BadSettingHost(settings => settings["Keys"] = new
        {
            UseDevelopmentKeys = false,
            Signing = new[] { current, second },
            Encryption = new[] { new { Key = encryptionB }, new { Key = encryption } },
            SigningKeyPem = wrong == "both a list and a single key" ? signingA.ExportPkcs8PrivateKeyPem() : null,
        });

        var error = Assert.ThrowsAny<Exception>(() => host.Address);

        Assert.Contains(key, error.ToString());
        Assert.Contains(reason, error.ToString());
    }

    public void Dispose()
    {
        signingA.Dispose();
        signingB.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Configured keys (no development keys), current first.</summary>
    private static object Keys(object[] signing, object[] encryption) => new { UseDevelopmentKeys = false, Signing = signing, Encryption = encryption };

    /// <summary>A new user signed in with the password grant: an access token, a refresh token and a step-up token.</summary>
    private static async Task<(string Email, string Access, string Refresh, string StepUp)> SignInAsync(HubApplication host)
    {
        var (_, email) = await host.CreateUserAsync(TestData.TenantA);
        var oauth = new OAuthClient(host);
        var tokens = await oauth.PasswordGrantAsync(email, TestData.StrongPassword);
        Assert.False(tokens.IsError, $"{tokens.Error}: {tokens.ErrorDescription}");
        var stepUp = await oauth.StepUpAsync(tokens.AccessToken!, TestData.StrongPassword);
        Assert.False(stepUp.IsError, $"{stepUp.Error}: {stepUp.ErrorDescription}");
        return (email, tokens.AccessToken!, tokens.RefreshToken!, stepUp.AccessToken!);
    }

    /// <summary>The host with the given keys over the given database file, on the given port (0: any).</summary>
    private sealed class KeyedHost(string database, Action<Dictionary<string, object?>> keys) : HubApplication
    {
        public KeyedHost(string database, int port, Action<Dictionary<string, object?>> keys) : this(database, keys) => UseKestrel(port);

        protected override void Configure(Dictionary<string, object?> settings)
        {
            settings["Database"] = TestDatabase.Settings(database);
            keys(settings);
        }
    }
}
