using System.Net.Http.Headers;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// Adds <c>Authorization: Bearer &lt;token&gt;</c> to every request of the provider's <see cref="HttpClient"/>: the only
/// place the token is applied. The token is read when each request is sent (rotation without restart); the header is
/// replaced, never duplicated (a retried attempt passes here again), and never logged.
/// </summary>
internal sealed class CloudflareAuthHandler(Func<string> token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = token();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);

        // A rotated token is not the one the provider was built with: tell the connection, so it is scrubbed too.
        SentCredentials.Record(request, value);
        return base.SendAsync(request, cancellationToken);
    }
}
