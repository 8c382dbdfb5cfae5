using IdentityHub.Accounts;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Connect;

/// <summary>
/// The services the token endpoint's grants use, injected as one scoped service. Each is resolved from
/// the request's services when a grant first asks for it, so a client-credentials token does not build the user
/// manager, the sign-in service and their dependencies it never uses (about 3 % of its CPU).
/// </summary>
internal sealed class TokenServices(IServiceProvider services)
{
    public IOpenIddictApplicationManager Applications => services.GetRequiredService<IOpenIddictApplicationManager>();

    public UserManager<HubUser> Users => services.GetRequiredService<UserManager<HubUser>>();

    public UserClaims UserClaims => services.GetRequiredService<UserClaims>();

    public SessionService Sessions => services.GetRequiredService<SessionService>();

    public PasswordSignInService SignIn => services.GetRequiredService<PasswordSignInService>();

    public TenantService Tenants => services.GetRequiredService<TenantService>();

    public TimeProvider Clock => services.GetRequiredService<TimeProvider>();

    public IOptions<ServerOptions> Server => services.GetRequiredService<IOptions<ServerOptions>>();
}
