using System.Net;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.CloudFront.Internal.Signing;

namespace Poppy.Sdk.Emulator.Tests.CloudFront;

/// <summary>An answer of the emulated CloudFront, parsed.</summary>
public sealed record CfResponse(HttpStatusCode Status, string Text, string? ContentType, string? ETag, string? Location, string? RequestId)
{
    /// <summary>The <c>ETtag</c> header: where UpdateFunction's model puts the ETag.</summary>
    public string? ETtag { get; init; }

    public XElement Xml => XElement.Parse(Text);

    public string? ErrorCode => Xml.Element(CloudFrontTestBase.Ns + "Error")?.Element(CloudFrontTestBase.Ns + "Code")?.Value;

    public string? ErrorMessage => Xml.Element(CloudFrontTestBase.Ns + "Error")?.Element(CloudFrontTestBase.Ns + "Message")?.Value;

    public string Value(string name) => Xml.Element(CloudFrontTestBase.Ns + name)?.Value ?? throw new InvalidOperationException($"no {name} in {Text}");
}

/// <summary>
/// An in-process emulator on a fake clock and a client that signs every request with Signature V4
/// (the signer the CloudFront provider uses), with knobs to get each part of the signature wrong.
/// </summary>
public abstract class CloudFrontTestBase : IAsyncLifetime
{
    public static readonly XNamespace Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    protected static readonly TimeSpan DeployDelay = TimeSpan.FromMinutes(5);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    /// <summary>What the next requests are signed with; tests change these to break the signature.</summary>
    protected SigningSettings Signing { get; set; } = new();

    protected virtual void Configure(CdnEmulatorOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new CdnEmulatorOptions { TimeProvider = Time, DeployDelay = DeployDelay };
        Configure(options);
        Emulator = await CdnEmulator.StartAsync(options);
        Http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        Signing = new SigningSettings { AccessKeyId = Emulator.CloudFront.AccessKeyId, SecretAccessKey = Emulator.CloudFront.SecretAccessKey };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Sends a request under <c>/2020-05-31/</c>, signed per <see cref="Signing"/>.</summary>
    protected async Task<CfResponse> SendAsync(HttpMethod method, string path, string? body = null, string? ifMatch = null, Action<HttpRequestMessage>? afterSigning = null)
    {
        using var request = new HttpRequestMessage(method, "2020-05-31/" + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "text/xml");
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (Signing.Sign)
        {
            Sign(request, body is null ? [] : Encoding.UTF8.GetBytes(body));
        }

        afterSigning?.Invoke(request);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new CfResponse(
            response.StatusCode,
            text,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.NonValidated.TryGetValues("ETag", out var etag) ? etag.ToString() : null,
            response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.First() : null)
        {
            ETtag = response.Headers.NonValidated.TryGetValues("ETtag", out var etTag) ? etTag.ToString() : null,
        };
    }

    protected Task<CfResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Asserts the status, with the body in the failure message.</summary>
    protected static CfResponse Expect(CfResponse response, HttpStatusCode status, string? errorCode = null)
    {
        Assert.True(response.Status == status, $"expected {(int)status} {errorCode}, got {(int)response.Status}: {response.Text}");
        if (errorCode is not null)
        {
            Assert.Equal(errorCode, response.ErrorCode);
        }

        return response;
    }

    /// <summary>Asserts two trees are equal, namespace declarations aside (a parsed root carries its <c>xmlns</c>).</summary>
    protected static void AssertSameXml(XElement expected, XElement? actual)
    {
        Assert.NotNull(actual);
        static XElement Bare(XElement e)
        {
            var copy = new XElement(e);
            foreach (var x in copy.DescendantsAndSelf())
            {
                x.Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
            }

            return copy;
        }

        Assert.True(XNode.DeepEquals(Bare(expected), Bare(actual)), $"expected\n{expected}\nactual\n{actual}");
    }

    private void Sign(HttpRequestMessage request, byte[] body)
    {
        var s = Signing;
        var uri = new Uri(Http.BaseAddress!, request.RequestUri!);
        request.RequestUri = uri;
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.Authority) };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }

        if (s.ContentSha256 is { } declared)
        {
            headers.Add(new("x-amz-content-sha256", declared));
            request.Headers.TryAddWithoutValidation("x-amz-content-sha256", declared);
        }

        var signature = AwsSigV4Signer.Sign(
            request.Method.Method,
            Uri.UnescapeDataString(uri.AbsolutePath),
            uri.Query.TrimStart('?'),
            headers,
            AwsSigV4Signer.HashPayload(body),
            new AwsCredentials(s.AccessKeyId, s.SecretAccessKey, s.SessionToken),
            s.Region,
            s.Service,
            Time.GetUtcNow() + s.ClockOffset);
        foreach (var (name, value) in signature.AddedHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }

    // ---- Request bodies ---------------------------------------------------------------------

    /// <summary>A valid config: two origins, a default behaviour with TTLs, one cache behaviour, enabled.</summary>
    protected static XElement Config(string callerReference, string comment = "made by a test") => new(
        Ns + "DistributionConfig",
        new XElement(Ns + "CallerReference", callerReference),
        new XElement(Ns + "Aliases", new XElement(Ns + "Quantity", 0)),
        new XElement(
            Ns + "Origins",
            new XElement(Ns + "Quantity", 2),
            new XElement(Ns + "Items", Origin("web", "web.example.net"), Origin("images", "images.example.net"))),
        new XElement(
            Ns + "DefaultCacheBehavior",
            new XElement(Ns + "TargetOriginId", "web"),
            new XElement(Ns + "ViewerProtocolPolicy", "redirect-to-https"),
            new XElement(Ns + "MinTTL", 0),
            new XElement(Ns + "DefaultTTL", 60),
            new XElement(Ns + "MaxTTL", 3600)),
        new XElement(
            Ns + "CacheBehaviors",
            new XElement(Ns + "Quantity", 1),
            new XElement(Ns + "Items", Behavior("/images/*", "images"))),
        new XElement(Ns + "Comment", comment),
        new XElement(Ns + "Enabled", "true"));

    protected static XElement Origin(string id, string domain) => new(
        Ns + "Origin",
        new XElement(Ns + "Id", id),
        new XElement(Ns + "DomainName", domain),
        new XElement(
            Ns + "CustomOriginConfig",
            new XElement(Ns + "HTTPPort", 80),
            new XElement(Ns + "HTTPSPort", 443),
            new XElement(Ns + "OriginProtocolPolicy", "https-only")));

    protected static XElement Behavior(string pathPattern, string target) => new(
        Ns + "CacheBehavior",
        new XElement(Ns + "PathPattern", pathPattern),
        new XElement(Ns + "TargetOriginId", target),
        new XElement(Ns + "ViewerProtocolPolicy", "allow-all"));

    /// <summary>Sets the aliases and an ACM certificate (CloudFront wants one for aliases).</summary>
    protected static XElement WithAliases(XElement config, params string[] aliases)
    {
        config.Element(Ns + "Aliases")!.ReplaceWith(new XElement(
            Ns + "Aliases",
            new XElement(Ns + "Quantity", aliases.Length),
            aliases.Length == 0 ? null : new XElement(Ns + "Items", aliases.Select(a => new XElement(Ns + "CNAME", a)))));
        config.Element(Ns + "ViewerCertificate")?.Remove();
        config.Element(Ns + "Enabled")!.AddAfterSelf(new XElement(
            Ns + "ViewerCertificate",
            new XElement(Ns + "ACMCertificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/test"),
            new XElement(Ns + "SSLSupportMethod", "sni-only")));
        return config;
    }

    protected static void SetEnabled(XElement config, bool enabled) => config.Element(Ns + "Enabled")!.Value = enabled ? "true" : "false";

    protected static string Batch(string callerReference, IEnumerable<string> paths)
    {
        var list = paths.ToList();
        return new XElement(
            Ns + "InvalidationBatch",
            new XElement(Ns + "Paths", new XElement(Ns + "Quantity", list.Count), new XElement(Ns + "Items", list.Select(p => new XElement(Ns + "Path", p)))),
            new XElement(Ns + "CallerReference", callerReference)).ToString();
    }

    protected static string CreateFunctionBody(string name, string code, string runtime = "cloudfront-js-2.0", string comment = "a test function") =>
        CreateFunctionBody(name, Encoding.UTF8.GetBytes(code), runtime, comment);

    protected static string CreateFunctionBody(string name, byte[] code, string runtime = "cloudfront-js-2.0", string comment = "a test function") => new XElement(
        Ns + "CreateFunctionRequest",
        new XElement(Ns + "Name", name),
        new XElement(Ns + "FunctionConfig", new XElement(Ns + "Comment", comment), new XElement(Ns + "Runtime", runtime)),
        new XElement(Ns + "FunctionCode", Convert.ToBase64String(code))).ToString();

    // ---- Flows ------------------------------------------------------------------------------

    protected async Task<(string Id, string ETag)> CreateDistributionAsync(XElement config)
    {
        var created = Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.Created);
        return (created.Value("Id"), created.ETag!);
    }

    /// <summary>Creates a function and publishes it to LIVE; returns its ARN.</summary>
    protected async Task<string> CreateLiveFunctionAsync(string name)
    {
        var created = Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody(name, "function handler(event) { return event.request; }")), HttpStatusCode.Created);
        Expect(await SendAsync(HttpMethod.Post, $"function/{name}/publish", ifMatch: created.ETag), HttpStatusCode.OK);
        return created.Xml.Element(Ns + "FunctionMetadata")!.Element(Ns + "FunctionARN")!.Value;
    }

    protected static void AssociateFunction(XElement config, string arn, string eventType = "viewer-request") =>
        config.Element(Ns + "DefaultCacheBehavior")!.Element(Ns + "ViewerProtocolPolicy")!.AddAfterSelf(new XElement(
            Ns + "FunctionAssociations",
            new XElement(Ns + "Quantity", 1),
            new XElement(Ns + "Items", new XElement(Ns + "FunctionAssociation", new XElement(Ns + "FunctionARN", arn), new XElement(Ns + "EventType", eventType)))));

    /// <summary>Disables a distribution, waits (on the fake clock) for the deployment, and deletes it.</summary>
    protected async Task<CfResponse> DisableAndDeleteAsync(string id)
    {
        var current = Expect(await GetAsync($"distribution/{id}/config"), HttpStatusCode.OK);
        var config = current.Xml;
        SetEnabled(config, false);
        Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", config.ToString(), current.ETag), HttpStatusCode.OK);
        Time.Advance(DeployDelay);
        var fresh = Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK);
        return await SendAsync(HttpMethod.Delete, $"distribution/{id}", ifMatch: fresh.ETag);
    }
}

/// <summary>How requests are signed.</summary>
public sealed record SigningSettings
{
    public bool Sign { get; init; } = true;

    public string AccessKeyId { get; init; } = "";

    public string SecretAccessKey { get; init; } = "";

    public string? SessionToken { get; init; }

    public string Region { get; init; } = "us-east-1";

    public string Service { get; init; } = "cloudfront";

    public TimeSpan ClockOffset { get; init; }

    /// <summary>A value to send (and sign) as <c>x-amz-content-sha256</c>, or none.</summary>
    public string? ContentSha256 { get; init; }
}
