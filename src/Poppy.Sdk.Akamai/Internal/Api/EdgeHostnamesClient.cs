using static Poppy.Sdk.Akamai.Internal.Api.AkamaiRequests;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>PAPI edge hostnames: find by domain, create (PAPI cannot delete them; the Edge Hostnames API can).</summary>
internal sealed class EdgeHostnamesClient(VendorConnection connection, AkamaiRequests requests, AkamaiCdnProviderOptions options)
{
    /// <summary><c>GET /papi/v1/edgehostnames</c>: the edge hostname with that domain, or null.</summary>
    public async Task<EdgeHostnameItem?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        var envelope = await connection.SendAsync(PapiRequest(HttpMethod.Get, requests.Papi("edgehostnames"), "list edge hostnames"), AkamaiJsonContext.Default.EdgeHostnamesEnvelope, cancellationToken).ConfigureAwait(false);
        return envelope.EdgeHostnames?.Items?.FirstOrDefault(e =>
            string.Equals(e.EdgeHostnameDomain, domain, StringComparison.OrdinalIgnoreCase)
            || string.Equals(e.DomainPrefix + "." + e.DomainSuffix, domain, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary><c>POST /papi/v1/edgehostnames</c>: the new edge hostname's id.</summary>
    public async Task<string> CreateAsync(string prefix, CancellationToken cancellationToken)
    {
        var suffix = options.EdgeHostnameDomain;
        var secure = suffix == AkamaiCdnProviderOptions.EdgeKey ? "ENHANCED_TLS" : "STANDARD_TLS";
        var body = new EdgeHostnameCreateRequest(options.ProductId, prefix, suffix, secure, "IPV4");
        var response = await connection.SendAsync(PapiRequest(HttpMethod.Post, requests.Papi("edgehostnames"), $"create edge hostname '{prefix}.{suffix}'", Json(body, AkamaiJsonContext.Default.EdgeHostnameCreateRequest)), cancellationToken).ConfigureAwait(false);
        var link = connection.ReadJson(response, AkamaiJsonContext.Default.LinkResponse);
        return IdFromLink(link.EdgeHostnameLink, "edgehostnames") ?? throw connection.Malformed(response, "an edgeHostnameLink");
    }
}
