using IdentityHub.Notifications;
using IdentityHub.Templates;
using IdentityHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Web.Tests.Notifications;

/// <summary>A host that embeds IdentityHub substitutes its own email component through dependency injection.</summary>
public sealed class CustomTemplateTests(HubApplication app) : IClassFixture<HubApplication>
{
    [Fact]
    public async Task AHostsOwnComponent_ReplacesTheDefaultEmail()
    {
        using var custom = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.Configure<EmailTemplateOptions>(options => options.PasswordChangedHtml = typeof(CompanyPasswordChangedEmail))));
        var renderer = custom.Services.GetRequiredService<IEmailRenderer>();
        var model = new PasswordChangedEmailModel("Bob", "bob@acme.test", "Acme", DateTimeOffset.UtcNow, "UTC", null, null, null, "https://id.acme.test/");

        var email = await renderer.RenderPasswordChangedAsync(model, System.Globalization.CultureInfo.GetCultureInfo("en"));

        Assert.Equal("ACME security: password changed", email.Subject);
        Assert.Equal("<p>Dear Bob, your ACME password changed.</p>", email.HtmlBody);
        // The text part was not replaced and still comes from the shipped template.
        Assert.Contains("The password of your account bob@acme.test was changed.", email.TextBody);
    }

    /// <summary>What a host would write as a .razor file; spelled out in C# here.</summary>
    private sealed class CompanyPasswordChangedEmail : ComponentBase
    {
        [Parameter] public PasswordChangedEmailModel Model { get; set; } = default!;

        [Parameter] public EmailContext Context { get; set; } = default!;

        protected override void OnInitialized() => Context.Subject = "ACME security: password changed";

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddContent(1, $"Dear {Model.RecipientName}, your ACME password changed.");
            builder.CloseElement();
        }
    }
}
