namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Adds the <c>Fastly-Key</c> header to every request of the provider's <see cref="HttpClient"/>: the only place the
/// token is applied (the provider and its API clients never touch it). Registered on the named client by
/// <c>AddFastly()</c>, or put in front of the handler given to <see cref="FastlyCdnProvider.CreateHttpClient"/>. The token
/// is read when each request is sent (so a rotated token applies without a restart); the header is replaced, never
/// duplicated (a retried attempt passes here again), and its value is never logged.
/// </summary>
internal sealed class FastlyAuthHandler : DelegatingHandler
{
    /// <summary>The header Fastly reads the API token from.</summary>
    public const string HeaderName = "Fastly-Key";

    private readonly Func<string> _token;

    public FastlyAuthHandler(Func<string> token)
    {
        _token = token;
    }

    #region send (docs/extending/writing-a-provider.md)
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = _token();
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, token);

        // A rotated token is not the one the provider was built with: tell the connection, so it is scrubbed too.
        SentCredentials.Record(request, token);
        return base.SendAsync(request, cancellationToken);
    }
    #endregion
}
