using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Poppy.Sdk.Akamai.Internal.Signing;

/// <summary>What <see cref="EdgeGridSigner.Sign"/> produced.</summary>
/// <param name="DataToSign">The tab-joined data, without the auth prefix appended (as Akamai's test data shows it).</param>
/// <param name="Authorization">The complete <c>Authorization</c> header value.</param>
internal readonly record struct EdgeGridSignature(string DataToSign, string Authorization);

/// <summary>
/// Akamai EdgeGrid <c>EG1-HMAC-SHA256</c> signing, written from Akamai's description (vendors.md §3.1) and checked against
/// its official test data. Pure: the clock and the nonce are arguments.
/// </summary>
internal static class EdgeGridSigner
{
    public const string Algorithm = "EG1-HMAC-SHA256";

    /// <summary>The timestamp form EdgeGrid uses: <c>yyyyMMddTHH:mm:ss+0000</c>, in UTC.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyyMMdd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    /// <summary>The signing key: Base64(HMAC-SHA256(key = client secret as text, data = timestamp)).</summary>
    public static string SigningKey(string clientSecret, string timestamp) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(timestamp)));

    /// <summary>The content hash: Base64(SHA-256(the first <paramref name="maxBody"/> bytes)) for a POST with a body; empty otherwise.</summary>
    public static string ContentHash(string method, ReadOnlySpan<byte> body, int maxBody)
    {
        if (!string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase) || body.IsEmpty)
        {
            return "";
        }

        return Convert.ToBase64String(SHA256.HashData(body.Length > maxBody ? body[..maxBody] : body));
    }

    /// <summary>The canonical signed headers: for each configured name present, <c>name:value</c> (name lower-cased, value trimmed with white-space runs collapsed), tab-joined.</summary>
    public static string CanonicalHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<string> headersToSign)
    {
        var parts = new List<string>();
        foreach (var name in headersToSign)
        {
            foreach (var (key, value) in headers)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    parts.Add(name.ToLowerInvariant() + ":" + Collapse(value));
                    break;
                }
            }
        }

        return string.Join('\t', parts);
    }

    /// <summary>Signs one request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="scheme">The scheme as sent (<c>https</c>; <c>http</c> against an emulator).</param>
    /// <param name="host">The host (with <c>:port</c> when not the default), as sent.</param>
    /// <param name="pathAndQuery">The path and query exactly as sent.</param>
    /// <param name="headers">The request headers (for <see cref="EdgeGridCredentials.HeadersToSign"/>).</param>
    /// <param name="body">The body (empty for none).</param>
    /// <param name="credentials">The credentials.</param>
    /// <param name="timestamp">The timestamp (<see cref="Timestamp"/>).</param>
    /// <param name="nonce">A fresh nonce.</param>
    /// <returns>The data signed and the header.</returns>
    public static EdgeGridSignature Sign(
        string method,
        string scheme,
        string host,
        string pathAndQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        EdgeGridCredentials credentials,
        string timestamp,
        string nonce)
    {
        var prefix = $"{Algorithm} client_token={credentials.ClientToken};access_token={credentials.AccessToken};timestamp={timestamp};nonce={nonce};";
        var data = string.Join(
            '\t',
            method.ToUpperInvariant(),
            scheme.ToLowerInvariant(),
            host.ToLowerInvariant(),
            pathAndQuery,
            CanonicalHeaders(headers, credentials.HeadersToSign),
            ContentHash(method, body, credentials.MaxBody),
            "");
        var key = SigningKey(credentials.ClientSecret, timestamp);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data + prefix)));
        return new EdgeGridSignature(data, prefix + "signature=" + signature);
    }

    private static string Collapse(string value)
    {
        var sb = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
