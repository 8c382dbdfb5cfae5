using IdentityHub.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddIdentityHub();

var app = builder.Build();
app.UseIdentityHub();
app.Run();

/// <summary>Entry point, public so that tests can host the real application.</summary>
public partial class Program;
