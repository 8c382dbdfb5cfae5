using IdentityHub.Accounts;
using IdentityHub.Sessions;
using IdentityHub.Tenancy;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;

namespace IdentityHub.Web.Connect;

/// <summary>The services the token endpoint's grants use, bound as one <c>[AsParameters]</c> argument.</summary>
internal sealed record TokenServices(
    IOpenIddictApplicationManager Applications,
    UserManager<HubUser> Users,
    UserClaims UserClaims,
    SessionService Sessions,
    PasswordSignInService SignIn,
    TenantService Tenants,
    TimeProvider Clock,
    IOptions<ServerOptions> Server);
