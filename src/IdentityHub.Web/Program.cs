using IdentityHub.Web.Api.Admin;
using IdentityHub.Web.Hosting;

if (PolicyCommand.Matches(args))
{
    return PolicyCommand.Run(Console.In, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddIdentityHub(args);

var app = builder.Build();
app.UseIdentityHub();
app.Run();
return 0;

/// <summary>Entry point, public so that tests can host the real application.</summary>
public partial class Program;
