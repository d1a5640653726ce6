using System.Text;
using Poppy.Sdk.CloudFront.Internal.Xml;
using static Poppy.Sdk.CloudFront.Internal.Api.CloudFrontRequests;

namespace Poppy.Sdk.CloudFront.Internal.Api;

/// <summary>CloudFront Functions: create, describe, get code, update, publish (If-Match), delete (If-Match).</summary>
internal sealed class FunctionsClient(VendorConnection connection)
{
    public async Task<Tagged<FunctionSummary>> CreateAsync(string name, string comment, string code, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Post, "function", $"create function {name}")
        {
            Content = XmlBody(CloudFrontXml.CreateFunction(name, comment, ViewerRequestFunction.Runtime, Encoding.UTF8.GetBytes(code))),
        };
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "FunctionSummary", CloudFrontXml.ReadFunctionSummary);
    }

    public async Task<Tagged<FunctionSummary>?> DescribeAsync(string name, string stage, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Get, "function/" + Seg(name) + "/describe?Stage=" + stage, $"describe function {name}");
        var response = await connection.SendOrNullAsync(request, cancellationToken).ConfigureAwait(false);
        return response is null ? null : Read(connection, response, "FunctionSummary", CloudFrontXml.ReadFunctionSummary);
    }

    /// <summary>The function's code at a stage; null when it does not exist.</summary>
    public async Task<string?> GetCodeAsync(string name, string stage, CancellationToken cancellationToken) =>
        (await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, "function/" + Seg(name) + "?Stage=" + stage, $"get function {name}"), cancellationToken).ConfigureAwait(false))?.Body;

    public async Task<Tagged<FunctionSummary>> UpdateAsync(string name, string etag, string comment, string code, CancellationToken cancellationToken)
    {
        var request = new VendorRequest(HttpMethod.Put, "function/" + Seg(name), $"update function {name}")
        {
            Content = XmlBody(CloudFrontXml.UpdateFunction(comment, ViewerRequestFunction.Runtime, Encoding.UTF8.GetBytes(code))),
            Headers = IfMatch(etag),
        };
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "FunctionSummary", CloudFrontXml.ReadFunctionSummary, UpdateFunctionETag(response));
    }

    public async Task<FunctionSummary> PublishAsync(string name, string etag, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Post, "function/" + Seg(name) + "/publish", $"publish function {name}") { Headers = IfMatch(etag) }, cancellationToken).ConfigureAwait(false);
        return Read(connection, response, "FunctionSummary", CloudFrontXml.ReadFunctionSummary).Value;
    }

    /// <summary>Deletes; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string name, string etag, CancellationToken cancellationToken) =>
        await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Delete, "function/" + Seg(name), $"delete function {name}") { Headers = IfMatch(etag) }, cancellationToken).ConfigureAwait(false) is not null;
}
