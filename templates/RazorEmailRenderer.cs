using System.Globalization;
using System.Net;
using IdentityHub.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityHub.Templates;

/// <summary>
/// Renders email components to strings with ASP.NET Core's own <see cref="HtmlRenderer"/>: compiled with the
/// project (no run-time Roslyn), no extra package, under a millisecond per email once warm.
/// </summary>
public sealed class RazorEmailRenderer(IServiceProvider services, ILoggerFactory loggers, IOptions<EmailTemplateOptions> templates) : IEmailRenderer
{
    /// <inheritdoc />
    public Task<RenderedEmail> RenderPasswordChangedAsync(PasswordChangedEmailModel model, CultureInfo culture) =>
        RenderEmailAsync(templates.Value.PasswordChangedHtml, templates.Value.PasswordChangedText, model, culture);

    /// <inheritdoc />
    public Task<RenderedEmail> RenderPasswordResetAsync(PasswordResetEmailModel model, CultureInfo culture) =>
        RenderEmailAsync(templates.Value.PasswordResetHtml, templates.Value.PasswordResetText, model, culture);

    /// <inheritdoc />
    public Task<RenderedEmail> RenderEmailVerificationAsync(EmailVerificationEmailModel model, CultureInfo culture) =>
        RenderEmailAsync(templates.Value.EmailVerificationHtml, templates.Value.EmailVerificationText, model, culture);

    /// <inheritdoc />
    public Task<RenderedEmail> RenderInvitationAsync(InvitationEmailModel model, CultureInfo culture) =>
        RenderEmailAsync(templates.Value.InvitationHtml, templates.Value.InvitationText, model, culture);

    /// <summary>One email: the HTML part (which sets the subject), then the text part, from the same model.</summary>
    private async Task<RenderedEmail> RenderEmailAsync(Type htmlComponent, Type textComponent, object model, CultureInfo culture)
    {
        var context = new EmailContext();
        var parameters = new Dictionary<string, object?> { ["Model"] = model, ["Context"] = context };
        var html = await RenderAsync(htmlComponent, parameters, culture);
        var text = await RenderAsync(textComponent, parameters, culture);
        return new RenderedEmail(context.Subject, html, WebUtility.HtmlDecode(text).Trim() + "\n");
    }

    private async Task<string> RenderAsync(Type component, Dictionary<string, object?> parameters, CultureInfo culture)
    {
        // The culture flows into the render (localizer and formatting), and is restored afterwards.
        var (previous, previousUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            // A scope per render: the renderer resolves scoped services (and the localizers), which must not come from
            // the root provider.
            await using var scope = services.CreateAsyncScope();
            await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
            return await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync(component, ParameterView.FromDictionary(parameters));
                return output.ToHtmlString();
            });
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (previous, previousUi);
        }
    }
}
