namespace IdentityHub.Web.Tests.Infrastructure;

/// <summary>The fixture's tenants, clients and secrets (test-only values).</summary>
public static class TestData
{
    public static readonly Guid TenantA = Guid.Parse("2489e9ad-2ee2-8e00-8ec9-32d5f69181c0");
    public static readonly Guid TenantB = Guid.Parse("7b0e2c51-3c7d-4f0e-9a61-0d5f3c1a9b22");

    public const string SpaClient = "test-spa";
    /// <summary>A public code-flow client bound to tenant A.</summary>
    public const string BoundSpaClient = "test-spa-acme";
    public const string SpaRedirectUri = "http://127.0.0.1/callback";
    public const string CliClient = "test-cli";
    /// <summary>A confidential password-grant client of tenant A that is not configured for step-up.</summary>
    public const string NoStepUpClient = "test-no-step-up";
    public const string CliSecret = "test-cli-secret-0123456789";
    public const string TenantBClient = "test-cli-b";
    public const string TenantBSecret = "test-cli-b-secret-0123456789";

    /// <summary>A password that satisfies the strict (default) policy.</summary>
    public const string StrongPassword = "Correct-Horse-Battery-9";
    public const string OtherStrongPassword = "Tangerine!Ocean-Lamp-42";
    public const string ThirdStrongPassword = "Velvet#Harbor-Quartz-73";
}
