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

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        return Verify(
            state.Options,
            state.Time.GetUtcNow(),
            request.Headers.Authorization.ToString(),
            new EdgeGridRequest(request.Method, scheme, host, pathAndQuery, name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body));
    }

    /// <summary>Verifies an authorization header for a request as received.</summary>
    /// <param name="options">The credentials, signed headers and <c>max_body</c>.</param>
    /// <param name="now">The emulator's clock.</param>
    /// <param name="authorization">The <c>Authorization</c> header, or empty.</param>
    /// <param name="request">The request as received.</param>
    /// <returns>Null when it is valid; otherwise the gateway's error.</returns>
    public static AkamaiError? Verify(AkamaiEmulatorOptions options, DateTimeOffset now, string? authorization, EdgeGridRequest request)
    {
        var header = EdgeGrid.Parse(authorization);
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

        if (EdgeGrid.ParseTimestamp(header.Timestamp) is not { } at || (at - now).Duration() > options.AllowedClockSkew)
        {
            return AkamaiError.InvalidTimestamp();
        }

        var data = EdgeGrid.DataToSign(
            request.Method,
            request.Scheme,
            request.Host,
            request.PathAndQuery,
            EdgeGrid.CanonicalHeaders(options.HeadersToSign, request.Header),
            EdgeGrid.ContentHash(request.Method, request.Body, options.MaxBody),
            header.SignedPrefix);
        var expected = EdgeGrid.Signature(data, EdgeGrid.SigningKey(options.ClientSecret, header.Timestamp));
        return EdgeGrid.SameSignature(expected, header.Signature) ? null : AkamaiError.Unauthorized("The signature does not match");
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

/// <summary>A request as the gateway received it, for signature verification.</summary>
/// <param name="Method">The method.</param>
/// <param name="Scheme">The scheme it arrived on (or named in an absolute-form target).</param>
/// <param name="Host">The host (and port) it was sent to.</param>
/// <param name="PathAndQuery">The path and query exactly as sent.</param>
/// <param name="Header">A header's value by name, or null when absent.</param>
/// <param name="Body">The body (POST only matters).</param>
internal sealed record EdgeGridRequest(string Method, string Scheme, string Host, string PathAndQuery, Func<string, string?> Header, byte[] Body);
