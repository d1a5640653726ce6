using Poppy.Sdk.Akamai.Internal.Signing;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Signs every request of the provider's <see cref="HttpClient"/> with EdgeGrid (<c>EG1-HMAC-SHA256</c>): the only place
/// credentials are applied. Registered inside the resilience handler by <c>AddAkamai()</c>, so each attempt is signed
/// afresh (a signature carries its time and a nonce Akamai will not accept twice), or put in front of the handler given to
/// <see cref="AkamaiCdnProvider.CreateHttpClient"/>. The time comes from the injected clock, the nonce is a new GUID per
/// request, the scheme and host are the request's own (so an emulator's address is signed as sent), the body is hashed
/// only for a POST (up to <c>max_body</c> bytes), and the configured <c>headers_to_sign</c> are signed. It replaces an
/// earlier <c>Authorization</c>, never adds a second.
/// </summary>
internal sealed class AkamaiAuthHandler : DelegatingHandler
{
    private readonly Func<EdgeGridCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly Func<string> _nonce;

    public AkamaiAuthHandler(Func<EdgeGridCredentials> credentials, TimeProvider time, Func<string>? nonce = null)
    {
        _credentials = credentials;
        _time = time;
        _nonce = nonce ?? (static () => Guid.NewGuid().ToString());
    }

    /// <summary>Signs a request in place.</summary>
    public static async Task SignAsync(HttpRequestMessage request, EdgeGridCredentials credentials, DateTimeOffset time, string nonce, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        request.Headers.Remove("Authorization");
        byte[] body = [];
        if (request.Method == HttpMethod.Post && request.Content is not null)
        {
            body = await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
        {
            headers.Add(new(name, string.Join(", ", values)));
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers.Add(new(name, string.Join(", ", values)));
            }
        }

        var signature = EdgeGridSigner.Sign(request.Method.Method, uri.Scheme, uri.IsDefaultPort ? uri.Host : uri.Authority, uri.PathAndQuery, headers, body, credentials, EdgeGridSigner.Timestamp(time), nonce);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = _credentials();

        // Rotated credentials are not the ones the provider was built with: tell the connection, so they are scrubbed too.
        SentCredentials.Record(request, credentials.ClientToken, credentials.ClientSecret, credentials.AccessToken);
        await SignAsync(request, credentials, _time.GetUtcNow(), _nonce(), cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
