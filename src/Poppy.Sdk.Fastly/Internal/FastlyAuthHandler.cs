namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// Adds the <c>Fastly-Key</c> header to every request of the provider's named <see cref="HttpClient"/>,
/// reading the token when the request is sent (so a rotated token is picked up without a restart).
/// The header is replaced, never duplicated, and its value is never logged.
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

    /// <summary>Sets the header on a request.</summary>
    public static void Apply(HttpRequestMessage request, string token)
    {
        request.Headers.Remove(HeaderName);
        request.Headers.TryAddWithoutValidation(HeaderName, token);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Apply(request, _token());
        return base.SendAsync(request, cancellationToken);
    }
}
