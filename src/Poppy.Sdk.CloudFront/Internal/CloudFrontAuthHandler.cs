using System.Globalization;

using Poppy.Sdk.CloudFront.Internal.Signing;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Signs every request of the provider's <see cref="HttpClient"/> with AWS Signature Version 4: the only place
/// credentials are applied (the provider and its API clients never touch them). Registered on the named client by
/// <c>AddCloudFront()</c> inside the resilience handler, so each attempt is signed afresh (a signature carries its
/// time), or put in front of the handler given to <see cref="CloudFrontCdnProvider.CreateHttpClient"/>. It adds
/// <c>X-Amz-Date</c> (from the injected clock), <c>X-Amz-Security-Token</c> for temporary credentials, and
/// <c>Authorization</c>, replacing an earlier signature, never duplicating it. Signed headers: <c>host</c>,
/// <c>x-amz-*</c> and <c>content-type</c>. CloudFront needs no <c>x-amz-content-sha256</c> (an S3 header), so none is sent.
/// </summary>
internal sealed class CloudFrontAuthHandler : DelegatingHandler
{
    private readonly Func<AwsCredentials> _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly string _region;
    private readonly string _service;

    public CloudFrontAuthHandler(Func<AwsCredentials> credentials, TimeProvider timeProvider, string region = "us-east-1", string service = "cloudfront")
    {
        _credentials = credentials;
        _timeProvider = timeProvider;
        _region = region;
        _service = service;
    }

    /// <summary>Signs a request in place (replacing an earlier signature).</summary>
    public static async Task SignAsync(HttpRequestMessage request, AwsCredentials credentials, DateTimeOffset time, string region, string service, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        request.Headers.Remove("Authorization");
        request.Headers.Remove("X-Amz-Date");
        request.Headers.Remove("X-Amz-Security-Token");
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>> { new("host", host) };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
            }
        }

        var signature = AwsSigV4Signer.Sign(
            request.Method.Method,
            Uri.UnescapeDataString(uri.AbsolutePath),
            uri.Query.TrimStart('?'),
            headers,
            AwsSigV4Signer.HashPayload(body),
            credentials,
            region,
            service,
            time);
        foreach (var (name, value) in signature.AddedHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = _credentials();

        // Rotated credentials are not the ones the provider was built with: tell the connection, so they are scrubbed too.
        SentCredentials.Record(request, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        await SignAsync(request, credentials, _timeProvider.GetUtcNow(), _region, _service, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
