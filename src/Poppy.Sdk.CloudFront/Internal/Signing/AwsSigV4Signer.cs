using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Poppy.Sdk.CloudFront.Internal.Signing;

/// <summary>The pieces of one Signature Version 4 signature (kept for tests and diagnostics; no secret in them).</summary>
/// <param name="CanonicalRequest">The canonical request.</param>
/// <param name="StringToSign">The string to sign.</param>
/// <param name="Signature">The hex signature.</param>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
/// <param name="AddedHeaders">Headers the signer added and signed (<c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c>) that the request must carry.</param>
internal sealed record SigV4Signature(string CanonicalRequest, string StringToSign, string Signature, string Authorization, IReadOnlyList<KeyValuePair<string, string>> AddedHeaders);

/// <summary>
/// AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>), written from the published specification and
/// checked against AWS's official test suite. Non-S3 rules: the path is normalised (dot segments
/// removed, repeated slashes collapsed) and each segment percent-encoded; query parameters are
/// encoded then sorted; header values are trimmed with inner spaces collapsed and repeated headers
/// joined by commas. It depends on the BCL only.
/// </summary>
internal static class AwsSigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The hex SHA-256 of an empty payload.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Signs a request.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The path, not percent-encoded (as the resource is named), starting with '/'.</param>
    /// <param name="query">The raw query string without '?', or empty.</param>
    /// <param name="headers">The headers to sign, in request order (names in any case; a name may repeat).</param>
    /// <param name="payloadHash">The hex SHA-256 of the body.</param>
    /// <param name="credentials">The credentials; a session token is added as <c>X-Amz-Security-Token</c> unless present.</param>
    /// <param name="region">The region (<c>us-east-1</c> for CloudFront).</param>
    /// <param name="service">The signing name (<c>cloudfront</c>).</param>
    /// <param name="time">The signing time; <c>X-Amz-Date</c> is added from it unless present.</param>
    /// <returns>The signature and the headers to add.</returns>
    public static SigV4Signature Sign(
        string method,
        string path,
        string query,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string payloadHash,
        AwsCredentials credentials,
        string region,
        string service,
        DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var amzDate = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var all = new List<KeyValuePair<string, string>>(headers);
        var added = new List<KeyValuePair<string, string>>();
        if (!all.Any(h => h.Key.Equals("x-amz-date", StringComparison.OrdinalIgnoreCase)))
        {
            added.Add(new("X-Amz-Date", amzDate));
        }

        if (credentials.SessionToken is { } token && !all.Any(h => h.Key.Equals("x-amz-security-token", StringComparison.OrdinalIgnoreCase)))
        {
            added.Add(new("X-Amz-Security-Token", token));
        }

        all.AddRange(added);
        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(all);
        var canonicalRequest = string.Join('\n', method.ToUpperInvariant(), CanonicalPath(path), CanonicalQuery(query), canonicalHeaders, signedHeaders, payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = SigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signature, authorization, added);
    }

    /// <summary>The hex SHA-256 of a payload.</summary>
    public static string HashPayload(ReadOnlySpan<byte> payload) => payload.IsEmpty ? EmptyPayloadHash : Hex(SHA256.HashData(payload));

    /// <summary>Removes dot segments, collapses repeated slashes and percent-encodes each segment (RFC 3986 unreserved kept).</summary>
    internal static string CanonicalPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(Encode(segment));
        }

        var trailing = segments.Count > 0 && (path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal));
        return "/" + string.Join('/', segments) + (trailing ? "/" : "");
    }

    /// <summary>Decodes then re-encodes every key and value, and sorts by key, then value (ordinal).</summary>
    internal static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            pairs.Add((Encode(Uri.UnescapeDataString(key)), Encode(Uri.UnescapeDataString(value))));
        }

        pairs.Sort((a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>Lower-cased names sorted; values trimmed, inner runs of spaces collapsed, repeats joined by commas in order.</summary>
    internal static (string Canonical, string Signed) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var lower = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(lower, out var values))
            {
                byName[lower] = values = [];
            }

            values.Add(CollapseSpaces(value.Trim()));
        }

        var canonical = new StringBuilder();
        foreach (var (name, values) in byName)
        {
            canonical.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        return (canonical.ToString(), string.Join(';', byName.Keys));
    }

    /// <summary>RFC 3986 percent-encoding of UTF-8 bytes; unreserved characters (A–Z a–z 0–9 - _ . ~) are kept.</summary>
    internal static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                if (!previousSpace)
                {
                    sb.Append(c);
                }

                previousSpace = true;
            }
            else
            {
                sb.Append(c);
                previousSpace = false;
            }
        }

        return sb.ToString();
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
