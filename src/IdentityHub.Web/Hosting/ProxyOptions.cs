using System.ComponentModel.DataAnnotations;
using System.Net;

namespace IdentityHub.Web.Hosting;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> headers are believed. Bound from
/// <c>IdentityHub:Proxy</c>. Default: none, so the headers are ignored and the client is the connection's peer.
/// Behind a proxy, the client address is what the audit log, the email and the throttles see, and the scheme is what
/// OpenIddict's HTTPS requirement and an unconfigured issuer see.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    /// <summary>IP addresses of trusted proxies, e.g. <c>["10.0.0.5"]</c>. Default none.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>["172.16.0.0/12"]</c> (a container network). Default none.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// How many proxies in a row are trusted: the number of <c>X-Forwarded-For</c> entries taken from the right.
    /// Default 1 (one proxy in front of the host).
    /// </summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Every entry of <see cref="KnownProxies"/> and <see cref="KnownNetworks"/> must parse; the message names its key.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        KnownProxies.Select((value, i) => (value, i)).Where(p => !IPAddress.TryParse(p.value, out _))
            .Select(p => new ValidationResult($"IdentityHub:Proxy:KnownProxies:{p.i} ('{p.value}') is not an IP address.", [nameof(KnownProxies)]))
            .Concat(KnownNetworks.Select((value, i) => (value, i)).Where(n => !IPNetwork.TryParse(n.value, out _))
                .Select(n => new ValidationResult($"IdentityHub:Proxy:KnownNetworks:{n.i} ('{n.value}') is not a CIDR network such as 10.0.0.0/8.", [nameof(KnownNetworks)])));
}
