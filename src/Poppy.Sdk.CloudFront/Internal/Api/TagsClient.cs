using Poppy.Sdk.CloudFront.Internal.Xml;
using static Poppy.Sdk.CloudFront.Internal.Api.CloudFrontRequests;

namespace Poppy.Sdk.CloudFront.Internal.Api;

/// <summary>Tags of a CloudFront resource (by ARN): list, tag, untag.</summary>
internal sealed class TagsClient(VendorConnection connection)
{
    /// <summary>The resource's tags; empty when it does not exist.</summary>
    public async Task<List<KeyValuePair<string, string>>> ListAsync(string arn, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, "tagging?Resource=" + Seg(arn), "list tags"), cancellationToken).ConfigureAwait(false);
        return response is null ? [] : Read(connection, response, "Tags", CloudFrontXml.ReadTags).Value;
    }

    public Task TagAsync(string arn, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Post, "tagging?Operation=Tag&Resource=" + Seg(arn), "tag distribution") { Content = XmlBody(CloudFrontXml.Tags(tags)) }, cancellationToken);

    public Task UntagAsync(string arn, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Post, "tagging?Operation=Untag&Resource=" + Seg(arn), "untag distribution") { Content = XmlBody(CloudFrontXml.TagKeys(keys)) }, cancellationToken);
}
