using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Poppy.Sdk.CloudFront.Internal.Signing;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// CloudFront's access check: AWS Signature Version 4, verified the way CloudFront does. It parses the
/// <c>Authorization</c> header, checks the key, the session token, the credential scope
/// (<c>us-east-1</c>/<c>cloudfront</c>) and the clock skew, then recomputes the signature from the
/// request as received (with the signer the CloudFront provider uses) and compares in constant time.
/// The body is read for <c>x-amz-content-sha256</c> and the signature, then put back for the operation.
/// </summary>
internal sealed class CloudFrontAuth(CloudFrontState state)
{
    /// <summary>The region every CloudFront signature is scoped to.</summary>
    public const string Region = "us-east-1";

    /// <summary>CloudFront's signing name.</summary>
    public const string Service = "cloudfront";

    /// <summary>How far <c>X-Amz-Date</c> may be from the server's clock.</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    private const string SignatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /// <summary>Checks a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null when it may go on; otherwise CloudFront's 403.</returns>
    public async ValueTask<VendorErrorException?> CheckAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var replay = new MemoryStream(body, writable: false);
        context.Response.RegisterForDispose(replay);
        context.Request.Body = replay;
        try
        {
            Verify(context.Request, body, state.Options, state.Time.GetUtcNow());
            return null;
        }
        catch (CloudFrontError e)
        {
            return e;
        }
    }

    /// <summary>Throws the error CloudFront would answer, unless the request is correctly signed.</summary>
    /// <param name="request">The request.</param>
    /// <param name="body">The request body as received.</param>
    /// <param name="options">The credentials accepted.</param>
    /// <param name="now">The server's clock.</param>
    private static void Verify(HttpRequest request, byte[] body, CloudFrontEmulatorOptions options, DateTimeOffset now)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
        {
            throw new CloudFrontError("MissingAuthenticationToken", "Missing Authentication Token");
        }

        var (credential, signedHeaders, signature) = Parse(authorization);
        var scope = credential.Split('/');
        if (scope.Length != 5)
        {
            throw new CloudFrontError("IncompleteSignature", $"Authorization header's Credential is malformed: '{credential}'. It must be <access key id>/<date>/<region>/<service>/aws4_request.");
        }

        var (accessKeyId, scopeDate, region, service, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4]);
        if (!FixedTimeEquals(accessKeyId, options.AccessKeyId))
        {
            throw InvalidToken();
        }

        var token = request.Headers["X-Amz-Security-Token"].ToString();
        if (token.Length > 0 ? options.SessionToken is null || !FixedTimeEquals(token, options.SessionToken) : options.SessionToken is not null)
        {
            throw InvalidToken();
        }

        if (region != Region)
        {
            throw new CloudFrontError("SignatureDoesNotMatch", $"Credential should be scoped to a valid region, not '{region}'. ");
        }

        if (service != Service)
        {
            throw new CloudFrontError("SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{Service}'. ");
        }

        if (terminator != "aws4_request")
        {
            throw new CloudFrontError("SignatureDoesNotMatch", $"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ");
        }

        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (amzDate.Length == 0)
        {
            throw new CloudFrontError("IncompleteSignature", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw new CloudFrontError("IncompleteSignature", $"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", not '{amzDate}'.");
        }

        if (scopeDate != amzDate[..8])
        {
            throw new CloudFrontError("SignatureDoesNotMatch", $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        if (signedAt < now - AllowedSkew)
        {
            throw new CloudFrontError("SignatureDoesNotMatch", $"Signature expired: {amzDate} is now earlier than {Stamp(now - AllowedSkew)} ({Stamp(now)} - 15 min.)");
        }

        if (signedAt > now + AllowedSkew)
        {
            throw new CloudFrontError("SignatureDoesNotMatch", $"Signature not yet current: {amzDate} is still later than {Stamp(now + AllowedSkew)} ({Stamp(now)} + 15 min.)");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host", StringComparer.Ordinal))
        {
            throw new CloudFrontError("SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var payloadHash = AwsSigV4Signer.HashPayload(body);
        var declaredHash = request.Headers["x-amz-content-sha256"].ToString();
        if (declaredHash.Length > 0 && !string.Equals(declaredHash, payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new CloudFrontError("SignatureDoesNotMatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var name in names)
        {
            var values = name == "host" ? request.Headers.Host : request.Headers[name];
            if (values.Count == 0)
            {
                headers.Add(new(name, ""));
            }

            foreach (var value in values)
            {
                headers.Add(new(name, value ?? ""));
            }
        }

        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var expected = AwsSigV4Signer.Sign(
            request.Method,
            request.PathBase.Add(request.Path).Value ?? "/",
            query,
            headers,
            payloadHash,
            new AwsCredentials(options.AccessKeyId, options.SecretAccessKey),
            Region,
            Service,
            signedAt);
        if (!FixedTimeEquals(signature, expected.Signature))
        {
            throw new CloudFrontError(
                "SignatureDoesNotMatch",
                $"{SignatureMismatchMessage}\n\nThe Canonical String for this request should have been\n'{expected.CanonicalRequest}'\n\nThe String-to-Sign should have been\n'{expected.StringToSign}'\n");
        }
    }

    private static (string Credential, string SignedHeaders, string Signature) Parse(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var algorithm = space < 0 ? authorization : authorization[..space];
        if (algorithm != AwsSigV4Signer.Algorithm)
        {
            throw new CloudFrontError("IncompleteSignature", $"Unsupported AWS 'algorithm': '{algorithm}'.");
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in authorization[(space + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential":
                    credential = value;
                    break;
                case "SignedHeaders":
                    signedHeaders = value;
                    break;
                case "Signature":
                    signature = value;
                    break;
            }
        }

        var missing = new StringBuilder();
        foreach (var (name, value) in new[] { ("Credential", credential), ("Signature", signature), ("SignedHeaders", signedHeaders) })
        {
            if (string.IsNullOrEmpty(value))
            {
                missing.Append(CultureInfo.InvariantCulture, $"Authorization header requires '{name}' parameter. ");
            }
        }

        if (missing.Length > 0)
        {
            throw new CloudFrontError("IncompleteSignature", missing.Append(CultureInfo.InvariantCulture, $"Authorization={authorization}").ToString());
        }

        return (credential!, signedHeaders!, signature!);
    }

    private static CloudFrontError InvalidToken() => new("InvalidClientTokenId", "The security token included in the request is invalid.");

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
