using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using Microsoft.Extensions.Logging;
using Poppy.Sdk.CloudFront.Internal.Signing;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// The CloudFront 2020-05-31 calls the provider makes: signed with SigV4 (clock from the
/// <see cref="TimeProvider"/>), XML in and out, errors mapped by <see cref="CloudFrontErrors"/>.
/// </summary>
internal sealed class CloudFrontApiClient
{
    public const string Version = "2020-05-31";
    private static readonly MediaTypeHeaderValue XmlContentType = new("text/xml") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly CloudFrontCdnProviderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public CloudFrontApiClient(HttpClient http, CloudFrontCdnProviderOptions options, TimeProvider time, ILogger logger)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
    }

    private static string Id(string value) => Uri.EscapeDataString(value);

    // ------------------------------------------------------------------ distributions

    public async Task<Tagged<Distribution>> CreateDistributionAsync(DistributionConfig config, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "distribution?WithTags", CloudFrontXml.DistributionConfigWithTags(config, tags), null, "create distribution", false, ct).ConfigureAwait(false);
        return Parse(response, body, "create distribution", "Distribution", CloudFrontXml.ReadDistribution);
    }

    public async Task<Tagged<Distribution>?> GetDistributionAsync(string id, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "distribution/" + Id(id), null, null, $"get distribution {id}", true, ct).ConfigureAwait(false);
        return response is null ? null : Parse(response, body, $"get distribution {id}", "Distribution", CloudFrontXml.ReadDistribution);
    }

    public async Task<Tagged<DistributionConfig>?> GetDistributionConfigAsync(string id, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "distribution/" + Id(id) + "/config", null, null, $"get distribution config {id}", true, ct).ConfigureAwait(false);
        return response is null ? null : Parse(response, body, $"get distribution config {id}", "DistributionConfig", CloudFrontXml.ReadDistributionConfig);
    }

    public async Task<Tagged<Distribution>> UpdateDistributionAsync(string id, DistributionConfig config, string etag, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Put, "distribution/" + Id(id) + "/config", CloudFrontXml.DistributionConfig(config), etag, $"update distribution {id}", false, ct).ConfigureAwait(false);
        return Parse(response, body, $"update distribution {id}", "Distribution", CloudFrontXml.ReadDistribution);
    }

    /// <summary>Deletes; false when it was already gone.</summary>
    public async Task<bool> DeleteDistributionAsync(string id, string etag, CancellationToken ct)
    {
        var (response, _) = await SendAsync(HttpMethod.Delete, "distribution/" + Id(id), null, etag, $"delete distribution {id}", true, ct).ConfigureAwait(false);
        return response is not null;
    }

    public async Task<DistributionList> ListDistributionsAsync(string? marker, int maxItems, CancellationToken ct)
    {
        var query = "distribution?MaxItems=" + maxItems.ToString(CultureInfo.InvariantCulture) + (marker is null ? "" : "&Marker=" + Id(marker));
        var (response, body) = await SendAsync(HttpMethod.Get, query, null, null, "list distributions", false, ct).ConfigureAwait(false);
        return Parse(response, body, "list distributions", "DistributionList", CloudFrontXml.ReadDistributionList).Value;
    }

    // ------------------------------------------------------------------ tags

    public async Task<List<KeyValuePair<string, string>>> ListTagsAsync(string arn, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "tagging?Resource=" + Id(arn), null, null, "list tags", true, ct).ConfigureAwait(false);
        return response is null ? [] : Parse(response, body, "list tags", "Tags", CloudFrontXml.ReadTags).Value;
    }

    public async Task TagAsync(string arn, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken ct) =>
        await SendAsync(HttpMethod.Post, "tagging?Operation=Tag&Resource=" + Id(arn), CloudFrontXml.Tags(tags), null, "tag distribution", false, ct).ConfigureAwait(false);

    public async Task UntagAsync(string arn, IReadOnlyList<string> keys, CancellationToken ct) =>
        await SendAsync(HttpMethod.Post, "tagging?Operation=Untag&Resource=" + Id(arn), CloudFrontXml.TagKeys(keys), null, "untag distribution", false, ct).ConfigureAwait(false);

    // ------------------------------------------------------------------ invalidations

    public async Task<Invalidation> CreateInvalidationAsync(string distributionId, IReadOnlyList<string> paths, string callerReference, CancellationToken ct)
    {
        var what = $"invalidation on {distributionId}";
        var (response, body) = await SendAsync(HttpMethod.Post, "distribution/" + Id(distributionId) + "/invalidation", CloudFrontXml.InvalidationBatch(paths, callerReference), null, what, false, ct).ConfigureAwait(false);
        return Parse(response, body, what, "Invalidation", CloudFrontXml.ReadInvalidation).Value;
    }

    public async Task<Invalidation?> GetInvalidationAsync(string distributionId, string id, CancellationToken ct)
    {
        var what = $"get invalidation {id} on {distributionId}";
        var (response, body) = await SendAsync(HttpMethod.Get, "distribution/" + Id(distributionId) + "/invalidation/" + Id(id), null, null, what, true, ct).ConfigureAwait(false);
        return response is null ? null : Parse(response, body, what, "Invalidation", CloudFrontXml.ReadInvalidation).Value;
    }

    // ------------------------------------------------------------------ functions

    public async Task<Tagged<FunctionSummary>> CreateFunctionAsync(string name, string comment, string code, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "function", CloudFrontXml.CreateFunction(name, comment, ViewerRequestFunction.Runtime, Encoding.UTF8.GetBytes(code)), null, $"create function {name}", false, ct).ConfigureAwait(false);
        return Parse(response, body, $"create function {name}", "FunctionSummary", CloudFrontXml.ReadFunctionSummary);
    }

    public async Task<Tagged<FunctionSummary>?> DescribeFunctionAsync(string name, string stage, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "function/" + Id(name) + "/describe?Stage=" + stage, null, null, $"describe function {name}", true, ct).ConfigureAwait(false);
        return response is null ? null : Parse(response, body, $"describe function {name}", "FunctionSummary", CloudFrontXml.ReadFunctionSummary);
    }

    public async Task<string?> GetFunctionCodeAsync(string name, string stage, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Get, "function/" + Id(name) + "?Stage=" + stage, null, null, $"get function {name}", true, ct).ConfigureAwait(false);
        return response is null ? null : body;
    }

    public async Task<Tagged<FunctionSummary>> UpdateFunctionAsync(string name, string etag, string comment, string code, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Put, "function/" + Id(name), CloudFrontXml.UpdateFunction(comment, ViewerRequestFunction.Runtime, Encoding.UTF8.GetBytes(code)), etag, $"update function {name}", false, ct).ConfigureAwait(false);
        return Parse(response, body, $"update function {name}", "FunctionSummary", CloudFrontXml.ReadFunctionSummary);
    }

    public async Task<FunctionSummary> PublishFunctionAsync(string name, string etag, CancellationToken ct)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, "function/" + Id(name) + "/publish", null, etag, $"publish function {name}", false, ct).ConfigureAwait(false);
        return Parse(response, body, $"publish function {name}", "FunctionSummary", CloudFrontXml.ReadFunctionSummary).Value;
    }

    /// <summary>Deletes; false when it was already gone.</summary>
    public async Task<bool> DeleteFunctionAsync(string name, string etag, CancellationToken ct)
    {
        var (response, _) = await SendAsync(HttpMethod.Delete, "function/" + Id(name), null, etag, $"delete function {name}", true, ct).ConfigureAwait(false);
        return response is not null;
    }

    // ------------------------------------------------------------------ transport

    private Tagged<T> Parse<T>(HttpResponseMessage? response, string body, string operation, string root, Func<XmlTree, T> read)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            return new Tagged<T>(read(CloudFrontXml.Root(body, root)), response.Headers.ETag?.Tag ?? Header(response, "ETag"));
        }
        catch (XmlException ex)
        {
            throw CloudFrontErrors.Malformed(_options.Name, operation, response, ex);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Sends a signed request. Returns a null response for 404 when <paramref name="allowNotFound"/>; throws mapped errors otherwise.</summary>
    private async Task<(HttpResponseMessage? Response, string Body)> SendAsync(HttpMethod method, string relative, string? xml, string? ifMatch, string operation, bool allowNotFound, CancellationToken ct)
    {
        var uri = new Uri(_options.BaseAddress, Version + "/" + relative);
        using var request = new HttpRequestMessage(method, uri);
        if (xml is not null)
        {
            request.Content = new StringContent(xml, new UTF8Encoding(false));
            request.Content.Headers.ContentType = XmlContentType;
        }

        if (ifMatch is not null)
        {
            // CloudFront ETags are opaque tokens without quotes; send them as given.
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        await AwsSigV4Handler.SignAsync(request, _options.Credentials(), _time.GetUtcNow(), "us-east-1", "cloudfront", ct).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        Log.RequestCompleted(_logger, method.Method, uri.AbsolutePath, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (response.IsSuccessStatusCode)
        {
            return (response, body);
        }

        using (response)
        {
            var error = CloudFrontErrors.FromResponse(_options.Name, operation, response, body);
            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound && error.ErrorCode == CdnErrorCode.NotFound)
            {
                return (null, "");
            }

            Log.RequestFailed(_logger, method.Method, uri.AbsolutePath, status, error.VendorErrorCode ?? error.ErrorCode.ToString());
            throw error;
        }
    }
}
