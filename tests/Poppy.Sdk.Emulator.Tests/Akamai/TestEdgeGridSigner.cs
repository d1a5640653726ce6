using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>
/// A tiny EdgeGrid signer for the tests, written apart from the emulator's verifier (and checked against the
/// official vectors in <see cref="EdgeGridVectorTests"/>), so a test request is signed as a client would sign it.
/// </summary>
internal static class TestEdgeGridSigner
{
    public static string Sign(
        HttpMethod method, Uri uri, byte[] body, (string Client, string Secret, string Access) credentials, DateTimeOffset at, string? nonce = null, int maxBody = 131072)
    {
        var timestamp = at.UtcDateTime.ToString("yyyyMMdd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
        var prefix = $"EG1-HMAC-SHA256 client_token={credentials.Client};access_token={credentials.Access};timestamp={timestamp};nonce={nonce ?? Guid.NewGuid().ToString()};";
        var hash = method == HttpMethod.Post && body.Length > 0 ? Convert.ToBase64String(SHA256.HashData(body.AsSpan(0, Math.Min(body.Length, maxBody)))) : "";
        var data = $"{method.Method}\t{uri.Scheme}\t{uri.Authority.ToLowerInvariant()}\t{uri.PathAndQuery}\t\t{hash}\t{prefix}";
        var key = Hmac(credentials.Secret, timestamp);
        return prefix + "signature=" + Hmac(key, data);
    }

    private static string Hmac(string key, string data) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(data)));
}
