using Poppy.Sdk.CloudFront.Internal.Xml;
using static Poppy.Sdk.CloudFront.Internal.Api.CloudFrontRequests;

namespace Poppy.Sdk.CloudFront.Internal.Api;

/// <summary>CloudFront invalidations: create (a batch with its caller reference) and get.</summary>
internal sealed class InvalidationsClient(VendorConnection connection)
{
    public async Task<Invalidation> CreateAsync(string distributionId, IReadOnlyList<string> paths, string callerReference, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Post, "distribution/" + Seg(distributionId) + "/invalidation", $"invalidation on {distributionId}")
        {
            Content = XmlBody(CloudFrontXml.InvalidationBatch(paths, callerReference)),
        };
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "Invalidation", CloudFrontXml.ReadInvalidation).Value;
    }

    public async Task<Invalidation?> GetAsync(string distributionId, string id, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Get, "distribution/" + Seg(distributionId) + "/invalidation/" + Seg(id), $"get invalidation {id} on {distributionId}");
        var response = await connection.SendOrNullAsync(request, cancellationToken).ConfigureAwait(false);
        return response is null ? null : Read(connection, response, "Invalidation", CloudFrontXml.ReadInvalidation).Value;
    }
}
