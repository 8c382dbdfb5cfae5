using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace IdentityHub.Web.Hosting;

/// <summary>ASP.NET Core's forwarded headers, believed only from the proxies in <see cref="ProxyOptions"/>.</summary>
internal static class ReverseProxy
{
    public static IServiceCollection AddReverseProxy(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration("IdentityHub:Proxy").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            // Only the client address and the scheme: the host is never taken from a header (a configured issuer is
            // the public URL). The framework's defaults trust loopback; ours trust nobody unless configured.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxy.Value.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }
            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>
    /// First in the pipeline, so that everything after it sees the client's address and scheme; only when a proxy is
    /// configured, because ASP.NET Core's middleware with empty known lists believes every sender.
    /// </summary>
    public static WebApplication UseReverseProxy(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (proxy.KnownProxies.Length > 0 || proxy.KnownNetworks.Length > 0)
        {
            app.UseForwardedHeaders();
        }
        return app;
    }
}
