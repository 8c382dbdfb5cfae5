using IdentityHub.Sessions;
using IdentityHub.Web.Connect;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Web.Pages;

/// <summary>
/// A signed-in person whose password must be changed (an administrator asked for it) sees the change page before any
/// other page; signing in, out, re-authenticating and choosing a language stay open. The authorize endpoint refuses
/// codes to such a person on its own (<see cref="ConnectEndpoints"/>), so no client can skip the change either.
/// </summary>
internal sealed class PasswordChangeFirst : IAsyncPageFilter
{
    private static readonly HashSet<string> Open = new(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/ChangePassword", "/Account/Login", "/Account/Logout", "/Account/Reauthenticate", "/Account/Language",
    };

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (!Open.Contains(context.ActionDescriptor.ViewEnginePath) && HubClaims.ReadSession(http.User) is { } session &&
            await http.RequestServices.GetRequiredService<SessionService>().FindActiveUserAsync(session.SessionId, session.UserId, http.RequestAborted) is { PasswordChangeRequired: true })
        {
            context.Result = new RedirectResult(QueryHelpers.AddQueryString(ConnectEndpoints.ChangePasswordPath, "ReturnUrl", http.Request.Path + http.Request.QueryString));
            return;
        }
        await next();
    }
}
