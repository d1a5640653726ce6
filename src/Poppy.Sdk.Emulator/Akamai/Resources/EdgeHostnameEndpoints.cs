using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>
/// Edge hostnames (<c>/papi/v1/edgehostnames</c>): list, get, create. Creation requires <c>productId</c>,
/// <c>domainPrefix</c>, <c>domainSuffix</c> and <c>ipVersionBehavior</c> (<c>IPV4</c> or <c>IPV6_COMPLIANCE</c>);
/// the suffix must fit <c>secureNetwork</c> (<c>edgesuite.net</c> for <c>STANDARD_TLS</c>, <c>edgekey.net</c>
/// for <c>ENHANCED_TLS</c>, <c>akamaized.net</c> for <c>SHARED_CERT</c>).
/// </summary>
internal sealed class EdgeHostnameEndpoints(AkamaiState state)
{
    private static readonly Dictionary<string, string> SuffixOf = new(StringComparer.Ordinal)
    {
        ["STANDARD_TLS"] = "edgesuite.net",
        ["ENHANCED_TLS"] = "edgekey.net",
        ["SHARED_CERT"] = "akamaized.net",
    };

    public void Map(IEndpointRouteBuilder routes)
    {
        var papi = routes.MapGroup("/papi/v1/edgehostnames");
        papi.MapGet("", ListAsync);
        papi.MapPost("", CreateAsync);
        papi.MapGet("/{edgeHostnameId}", GetAsync);
    }

    /// <summary>The network an edge hostname suffix belongs to, or null for an unknown suffix.</summary>
    public static string? NetworkOf(string suffix) => SuffixOf.FirstOrDefault(kv => kv.Value == suffix).Key;

    private Task ListAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        lock (state.Gate)
        {
            return OkAsync(context, p.Envelope(("edgeHostnames", Papi.Items(state.EdgeHostnames.Values.OrderBy(e => e.Id).Select(e => Json(p, e))))));
        }
    }

    private Task GetAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        var id = context.Request.RouteValues["edgeHostnameId"]?.ToString();
        lock (state.Gate)
        {
            var e = BareNumber("ehn", id) is { } n && state.EdgeHostnames.TryGetValue(n, out var found)
                ? found
                : throw AkamaiError.NotFound($"The edge hostname '{id}' does not exist.");
            return OkAsync(context, p.Envelope(("edgeHostnames", Papi.Items([Json(p, e)]))));
        }
    }

    private async Task CreateAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        var product = p.Product(Text(body, "productId"));
        var prefix = Text(body, "domainPrefix");
        var suffix = Text(body, "domainSuffix");
        var ipVersion = Text(body, "ipVersionBehavior");
        if (string.IsNullOrWhiteSpace(prefix) || string.IsNullOrWhiteSpace(suffix))
        {
            throw AkamaiError.BadRequest("The domainPrefix and domainSuffix members are required.");
        }

        if (ipVersion is null)
        {
            throw AkamaiError.BadRequest("The ipVersionBehavior member is required (IPV4 or IPV6_COMPLIANCE).");
        }

        if (ipVersion is not ("IPV4" or "IPV6_COMPLIANCE"))
        {
            throw AkamaiError.BadRequest($"ipVersionBehavior '{ipVersion}' is not one of IPV4, IPV6_COMPLIANCE.");
        }

        var network = Text(body, "secureNetwork") ?? NetworkOf(suffix)
            ?? throw AkamaiError.BadRequest($"domainSuffix '{suffix}' is not one of edgesuite.net, edgekey.net, akamaized.net.");
        if (!SuffixOf.TryGetValue(network, out var expectedSuffix))
        {
            throw AkamaiError.BadRequest($"secureNetwork '{network}' is not one of STANDARD_TLS, ENHANCED_TLS, SHARED_CERT.");
        }

        if (suffix != expectedSuffix)
        {
            throw AkamaiError.BadRequest($"With secureNetwork {network} the domainSuffix must be {expectedSuffix}, not '{suffix}'.");
        }

        long id;
        lock (state.Gate)
        {
            var domain = prefix + "." + suffix;
            if (state.EdgeHostnames.Values.Any(e => string.Equals(e.Domain, domain, StringComparison.OrdinalIgnoreCase)))
            {
                throw AkamaiError.BadRequest($"The edge hostname '{domain}' already exists.");
            }

            id = state.NewId();
            state.EdgeHostnames[id] = new AkamaiEdgeHostname(id, prefix, suffix, product, network, ipVersion);
        }

        await CreatedAsync(context, "edgeHostnameLink", p.Link("edgehostnames/" + Id("ehn", id, p.Prefixes))).ConfigureAwait(false);
    }

    private static JsonNode Json(Papi p, AkamaiEdgeHostname e) => new JsonObject
    {
        ["edgeHostnameId"] = Id("ehn", e.Id, p.Prefixes),
        ["edgeHostnameDomain"] = e.Domain,
        ["productId"] = Id("prd", e.ProductId, p.Prefixes),
        ["domainPrefix"] = e.DomainPrefix,
        ["domainSuffix"] = e.DomainSuffix,
        ["secure"] = e.SecureNetwork != "STANDARD_TLS",
        ["ipVersionBehavior"] = e.IpVersionBehavior,
    };
}
