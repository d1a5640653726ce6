using System.Globalization;
using static Poppy.Sdk.Akamai.Internal.Api.AkamaiRequests;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>PAPI property versions, their rule trees and their hostnames.</summary>
internal sealed class VersionsClient(VendorConnection connection, AkamaiRequests requests, AkamaiCdnProviderOptions options)
{
    /// <summary>The media type of a rule tree in the configured, frozen rule format.</summary>
    public string RulesMediaType => "application/vnd.akamai.papirules." + options.RuleFormat + "+json";

    /// <summary><c>GET …/versions/{v}</c>: the version (its etag and network statuses).</summary>
    public async Task<VersionItem> GetAsync(string propertyId, int version, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(PapiRequest(HttpMethod.Get, requests.Papi(VersionPath(propertyId, version)), $"get version {V(version)} of property '{propertyId}'"), cancellationToken).ConfigureAwait(false);
        var envelope = connection.ReadJson(response, AkamaiJsonContext.Default.VersionsEnvelope);
        return envelope.Versions?.Items is [var item, ..] ? item : throw connection.Malformed(response, "a version");
    }

    /// <summary><c>POST …/versions</c> <c>{createFromVersion, createFromVersionEtag}</c>: the new version's number.</summary>
    public async Task<int> CreateAsync(string propertyId, int fromVersion, string fromEtag, CancellationToken cancellationToken)
    {
        var request = PapiRequest(HttpMethod.Post, requests.Papi("properties/" + Seg(propertyId) + "/versions"), $"create a version of property '{propertyId}' from version {V(fromVersion)}", Json(new CreateVersionRequest(fromVersion, fromEtag), AkamaiJsonContext.Default.CreateVersionRequest));
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var link = connection.ReadJson(response, AkamaiJsonContext.Default.LinkResponse);
        return int.TryParse(IdFromLink(link.VersionLink, "versions"), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : throw connection.Malformed(response, "a versionLink");
    }

    /// <summary><c>GET …/versions/{v}/rules</c> (in the property's frozen rule format, the one it was created with).</summary>
    public Task<RulesDocument> GetRulesAsync(string propertyId, int version, CancellationToken cancellationToken) =>
        connection.SendAsync(
            PapiRequest(HttpMethod.Get, requests.Papi(VersionPath(propertyId, version) + "/rules"), $"get the rules of version {V(version)} of property '{propertyId}'"),
            AkamaiJsonContext.Default.RulesDocument,
            cancellationToken);

    /// <summary><c>PUT …/versions/{v}/rules</c> with <c>If-Match</c>, in the configured rule format: the version's new etag.</summary>
    public async Task<string?> PutRulesAsync(string propertyId, int version, string etag, RulesPutRequest rules, CancellationToken cancellationToken)
    {
        var request = PapiRequest(HttpMethod.Put, requests.Papi(VersionPath(propertyId, version) + "/rules"), $"set the rules of version {V(version)} of property '{propertyId}'", Json(rules, AkamaiJsonContext.Default.RulesPutRequest, RulesMediaType), IfMatch(etag));
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return connection.ReadJson(response, AkamaiJsonContext.Default.RulesDocument).Etag ?? response.Header("ETag")?.Trim('"');
    }

    /// <summary><c>GET …/versions/{v}/hostnames</c>.</summary>
    public Task<HostnamesResponse> GetHostnamesAsync(string propertyId, int version, CancellationToken cancellationToken) =>
        connection.SendAsync(PapiRequest(HttpMethod.Get, requests.Papi(VersionPath(propertyId, version) + "/hostnames", "includeCertStatus=true"), $"get the hostnames of version {V(version)} of property '{propertyId}'"), AkamaiJsonContext.Default.HostnamesResponse, cancellationToken);

    /// <summary><c>PUT …/versions/{v}/hostnames</c> (a bare array) with <c>If-Match</c>.</summary>
    public Task<HostnamesResponse> PutHostnamesAsync(string propertyId, int version, string etag, IReadOnlyList<HostnameItem> hostnames, CancellationToken cancellationToken) =>
        connection.SendAsync(
            PapiRequest(HttpMethod.Put, requests.Papi(VersionPath(propertyId, version) + "/hostnames", "includeCertStatus=true"), $"set the hostnames of version {V(version)} of property '{propertyId}'", Json(hostnames, AkamaiJsonContext.Default.IReadOnlyListHostnameItem), IfMatch(etag)),
            AkamaiJsonContext.Default.HostnamesResponse,
            cancellationToken);

    private static string VersionPath(string propertyId, int version) => "properties/" + Seg(propertyId) + "/versions/" + V(version);

    private static string V(int version) => version.ToString(CultureInfo.InvariantCulture);
}
