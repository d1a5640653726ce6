using System.Globalization;
using Poppy.Sdk.CloudFront.Internal.Xml;
using static Poppy.Sdk.CloudFront.Internal.Api.CloudFrontRequests;

namespace Poppy.Sdk.CloudFront.Internal.Api;

/// <summary>CloudFront distributions: create (with tags), get, get and update the config (If-Match), delete (If-Match), list.</summary>
internal sealed class DistributionsClient(VendorConnection connection)
{
    public async Task<Tagged<Distribution>> CreateAsync(DistributionConfig config, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Post, "distribution?WithTags", "create distribution") { Content = XmlBody(CloudFrontXml.DistributionConfigWithTags(config, tags)) };
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "Distribution", CloudFrontXml.ReadDistribution);
    }

    public async Task<Tagged<Distribution>?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, "distribution/" + Seg(id), $"get distribution {id}"), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Read(connection, response, "Distribution", CloudFrontXml.ReadDistribution);
    }

    public async Task<Tagged<DistributionConfig>?> GetConfigAsync(string id, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, "distribution/" + Seg(id) + "/config", $"get distribution config {id}"), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Read(connection, response, "DistributionConfig", CloudFrontXml.ReadDistributionConfig);
    }

    public async Task<Tagged<Distribution>> UpdateConfigAsync(string id, DistributionConfig config, string etag, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Put, "distribution/" + Seg(id) + "/config", $"update distribution {id}") { Content = XmlBody(CloudFrontXml.DistributionConfig(config)), Headers = IfMatch(etag) };
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "Distribution", CloudFrontXml.ReadDistribution);
    }

    /// <summary>Deletes; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string id, string etag, CancellationToken cancellationToken) =>
        await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Delete, "distribution/" + Seg(id), $"delete distribution {id}") { Headers = IfMatch(etag) }, cancellationToken).ConfigureAwait(false) is not null;

    public async Task<DistributionList> ListAsync(string? marker, int maxItems, CancellationToken cancellationToken)
    {
        var path = "distribution?MaxItems=" + maxItems.ToString(CultureInfo.InvariantCulture) + (marker is null ? "" : "&Marker=" + Seg(marker));
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, path, "list distributions"), cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "DistributionList", CloudFrontXml.ReadDistributionList).Value;
    }
}
