using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>
/// Akamai's <c>EG1-HMAC-SHA256</c> signature, computed the way the API gateway checks it: signing key =
/// Base64(HMAC-SHA256(client secret text, timestamp)); data to sign = method, scheme, host (lower case), path
/// and query as sent, the configured signed headers (<c>name:value</c>, value trimmed and white space collapsed),
/// the content hash (Base64(SHA-256) of at most <c>max_body</c> bytes, POST with a body only), then the
/// authorization header up to and including <c>nonce=…;</c> — tab-joined; signature = Base64(HMAC-SHA256(signing
/// key text, data to sign)).
/// </summary>
internal static class EdgeGrid
{
    /// <summary>The scheme name at the start of the header.</summary>
    public const string Scheme = "EG1-HMAC-SHA256";

    /// <summary>The timestamp format (UTC): <c>20140321T19:34:21+0000</c>.</summary>
    public const string TimestampFormat = "yyyyMMdd'T'HH:mm:ss'+0000'";

    /// <summary>The signing key for a timestamp.</summary>
    public static string SigningKey(string clientSecret, string timestamp) => HmacBase64(clientSecret, timestamp);

    /// <summary>The content hash: empty unless a POST with a body; else Base64(SHA-256) of its first <paramref name="maxBody"/> bytes.</summary>
    public static string ContentHash(string method, ReadOnlySpan<byte> body, int maxBody) =>
        !string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase) || body.IsEmpty
            ? ""
            : Convert.ToBase64String(SHA256.HashData(body[..Math.Min(body.Length, maxBody)]));

    /// <summary>The signed headers, canonical: for each configured name the request carries, <c>name:value</c> tab-joined.</summary>
    /// <param name="headersToSign">The configured names, in order.</param>
    /// <param name="valueOf">A header's value by name, or null when absent.</param>
    public static string CanonicalHeaders(IEnumerable<string> headersToSign, Func<string, string?> valueOf)
    {
        var parts = new List<string>();
        foreach (var name in headersToSign)
        {
            if (valueOf(name) is { } value)
            {
                parts.Add(name.ToLowerInvariant() + ":" + string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        return string.Join('\t', parts);
    }

    /// <summary>The data to sign.</summary>
    public static string DataToSign(string method, string scheme, string host, string pathAndQuery, string canonicalHeaders, string contentHash, string authPrefix) =>
        string.Join('\t', method.ToUpperInvariant(), scheme, host.ToLowerInvariant(), pathAndQuery, canonicalHeaders, contentHash, authPrefix);

    /// <summary>The signature of the data with the signing key.</summary>
    public static string Signature(string dataToSign, string signingKey) => HmacBase64(signingKey, dataToSign);

    /// <summary>Parses an authorization header.</summary>
    /// <param name="header">The header value.</param>
    /// <returns>Its fields, or null when it is not an EdgeGrid header.</returns>
    public static EdgeGridHeader? Parse(string? header)
    {
        if (header is null || !header.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var at = header.IndexOf("signature=", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in header[(Scheme.Length + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[pair[..eq].Trim()] = pair[(eq + 1)..];
            }
        }

        return fields.TryGetValue("client_token", out var client) && fields.TryGetValue("access_token", out var access)
            && fields.TryGetValue("timestamp", out var timestamp) && fields.TryGetValue("nonce", out var nonce)
            && fields.TryGetValue("signature", out var signature)
            ? new EdgeGridHeader(client, access, timestamp, nonce, signature, header[..at])
            : null;
    }

    /// <summary>Reads an EdgeGrid timestamp, or null when malformed.</summary>
    public static DateTimeOffset? ParseTimestamp(string timestamp) =>
        DateTimeOffset.TryParseExact(timestamp, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    /// <summary>Compares two signatures in constant time.</summary>
    public static bool SameSignature(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));

    private static string HmacBase64(string key, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));
}

/// <summary>The fields of an EdgeGrid authorization header.</summary>
/// <param name="ClientToken">The client token.</param>
/// <param name="AccessToken">The access token.</param>
/// <param name="Timestamp">The timestamp, as sent.</param>
/// <param name="Nonce">The nonce.</param>
/// <param name="Signature">The signature.</param>
/// <param name="SignedPrefix">Everything before <c>signature=</c>: the part the client signed.</param>
internal sealed record EdgeGridHeader(string ClientToken, string AccessToken, string Timestamp, string Nonce, string Signature, string SignedPrefix)
{
    /// <inheritdoc />
    public override string ToString() => $"EdgeGridHeader {{ Timestamp = {Timestamp}, Nonce = {Nonce} }}";
}
