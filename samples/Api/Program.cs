// A resource server that trusts IdentityHub with the stock JWT bearer handler: the issuer and the signing keys come
// from the discovery document and JWKS, the audience is this API's resource, and one endpoint needs a scope.
using System.Security.Claims;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("IdentityHub");

builder.Services.AddAuthentication().AddJwtBearer(options =>
{
    options.Authority = settings["Authority"];
    options.Audience = settings["Audience"];
    options.RequireHttpsMetadata = settings.GetValue("RequireHttpsMetadata", true);
    options.MapInboundClaims = false;
});
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("orders", policy => policy.RequireAuthenticatedUser()
        .RequireAssertion(context => context.User.FindFirstValue("scope")?.Split(' ').Contains(settings["Scope"]) == true));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/orders", (ClaimsPrincipal user) => new
{
    subject = user.FindFirstValue("sub"),
    tenant = user.FindFirstValue("tid"),
    orders = new[] { "order-1001", "order-1002" },
}).RequireAuthorization("orders");

app.Run();
