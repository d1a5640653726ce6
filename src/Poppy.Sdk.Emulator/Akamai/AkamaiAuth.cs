using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>
/// The EdgeGrid gateway's check of a request as received: the client and access tokens (401
/// <c>pep-authn/deny</c>), the timestamp within <see cref="AkamaiEmulatorOptions.AllowedClockSkew"/> of the
/// emulator's clock (400 "Invalid timestamp"), then the signature recomputed from the scheme, host and raw
/// target the request arrived with, the configured signed headers and the hash of a POST body (401
/// "The signature does not match"). Over plain HTTP the scheme signed is <c>http</c>, as a client pointed
/// at the emulator's <c>http://</c> base URL signs it.
/// </summary>
internal sealed class AkamaiAuth(AkamaiState state)
{
    public async ValueTask<VendorErrorException?> CheckAsync(HttpContext context)
    {
        var options = state.Options;
        var header = EdgeGrid.Parse(context.Request.Headers.Authorization.ToString());
        if (header is null)
        {
            return AkamaiError.Unauthorized("Invalid authorization header");
        }

        if (!string.Equals(header.ClientToken, options.ClientToken, StringComparison.Ordinal))
        {
            return AkamaiError.Unauthorized("Invalid authorization client token");
        }

        if (!string.Equals(header.AccessToken, options.AccessToken, StringComparison.Ordinal))
        {
            return AkamaiError.Unauthorized("Invalid authorization access token");
        }

        if (EdgeGrid.ParseTimestamp(header.Timestamp) is not { } at || (at - state.Time.GetUtcNow()).Duration() > options.AllowedClockSkew)
        {
            return AkamaiError.InvalidTimestamp();
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var expected = Expected(context, header, body, options);
        return EdgeGrid.SameSignature(expected, header.Signature) ? null : AkamaiError.Unauthorized("The signature does not match");
    }

    /// <summary>The signature the request should carry.</summary>
    private static string Expected(HttpContext context, EdgeGridHeader header, byte[] body, AkamaiEmulatorOptions options)
    {
        var request = context.Request;
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } target ? target : request.Path + request.QueryString;
        string scheme = request.Scheme, host = request.Host.Value ?? "", pathAndQuery = raw;

        // An absolute-form target (through a proxy) carries the scheme and host the client signed.
        if (Uri.TryCreate(raw, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            scheme = absolute.Scheme;
            var start = raw.IndexOf("//", StringComparison.Ordinal) + 2;
            var slash = raw.IndexOf('/', start);
            host = slash < 0 ? raw[start..] : raw[start..slash];
            pathAndQuery = slash < 0 ? "/" : raw[slash..];
        }

        var data = EdgeGrid.DataToSign(
            request.Method,
            scheme,
            host,
            pathAndQuery,
            EdgeGrid.CanonicalHeaders(options.HeadersToSign, name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null),
            EdgeGrid.ContentHash(request.Method, body, options.MaxBody),
            header.SignedPrefix);
        return EdgeGrid.Signature(data, EdgeGrid.SigningKey(options.ClientSecret, header.Timestamp));
    }

    /// <summary>A POST body, buffered so the operation reads it again; empty for other methods.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            return [];
        }

        context.Request.EnableBuffering();
        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy, context.RequestAborted).ConfigureAwait(false);
        context.Request.Body.Position = 0;
        return copy.ToArray();
    }
}
