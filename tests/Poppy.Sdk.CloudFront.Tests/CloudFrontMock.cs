using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Models;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

/// <summary>A provider wired to a strict MockHttp handler, a fake clock and a fake logger, with XML answer builders.</summary>
internal sealed class CloudFrontMock
{
    public const string AccessKeyId = "AKIDEXAMPLE";
    public const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string Base = "https://cloudfront.amazonaws.com/2020-05-31/";
    public const string DistributionId = "E2QWRUHEXAMPLE";
    public const string DomainName = "d111111abcdef8.cloudfront.net";
    public const string Arn = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHEXAMPLE";
    public const string ServiceId = "svc-1";
    public const string AcmArn = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
    public const string Ns = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

    public CloudFrontMock(Action<CloudFrontCdnProviderOptions>? configure = null)
    {
        Http.Fallback.ThrowMatchSummary();
        Options = new CloudFrontCdnProviderOptions { AccessKeyId = AccessKeyId, SecretAccessKey = Secret, PollingInterval = TimeSpan.FromSeconds(20), AcmCertificateArn = AcmArn };
        configure?.Invoke(Options);
        Logger = new FakeLogger<CloudFrontCdnProvider>();
        Provider = new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(Options, Time, Http), Options, Time, Logger);
    }

    public MockHttpMessageHandler Http { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeLogger<CloudFrontCdnProvider> Logger { get; }

    public CloudFrontCdnProviderOptions Options { get; }

    public CloudFrontCdnProvider Provider { get; }

    public CloudFrontTranslator Translator => new(Options);

    /// <summary>Expects a signed request (SigV4 Authorization for this key, scope us-east-1/cloudfront).</summary>
    public MockedRequest Expect(HttpMethod method, string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var request = Http.Expect(method, Base + (q < 0 ? pathAndQuery : pathAndQuery[..q]))
            .With(r => r.Headers.TryGetValues("Authorization", out var values) && values.Single() is { } auth
                && auth.StartsWith("AWS4-HMAC-SHA256 Credential=" + AccessKeyId + "/20260101/us-east-1/cloudfront/aws4_request, SignedHeaders=", StringComparison.Ordinal)
                && r.Headers.Contains("X-Amz-Date"));
        return q < 0 ? request.With(r => string.IsNullOrEmpty(r.RequestUri!.Query)) : request.WithExactQueryString(pathAndQuery[(q + 1)..]);
    }

    public void Verify() => Http.VerifyNoOutstandingExpectation();

    public static HttpResponseMessage Xml(string xml, HttpStatusCode status = HttpStatusCode.OK, string? etag = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
        if (etag is not null)
        {
            response.Headers.TryAddWithoutValidation("ETag", etag);
        }

        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-123");
        return response;
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message = "Something went wrong.") => Xml(
        $"<?xml version=\"1.0\"?><ErrorResponse xmlns=\"{Ns}\"><Error><Type>{((int)status >= 500 ? "Receiver" : "Sender")}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>",
        status);

    /// <summary>The ARN a published function of this name has in these tests.</summary>
    public static string FunctionArn(string name) => "arn:aws:cloudfront::123456789012:function/" + name;

    /// <summary>The plan of a spec, which must be valid, and its config resolved with the function's test ARN.</summary>
    public (CloudFrontPlan Plan, DistributionConfig Config) Resolved(ServiceSpec spec, string serviceId = ServiceId)
    {
        var (plan, problems) = Translator.Plan(serviceId, TestSpecs.Normalize(spec));
        Assert.Empty(problems);
        return (plan, plan.Resolve(plan.Function is null ? null : FunctionArn(plan.Function.Name)));
    }

    /// <summary>The config XML the provider would send for a spec (for answering reads with it).</summary>
    public string ConfigXml(ServiceSpec spec, Action<DistributionConfig>? change = null)
    {
        var config = Resolved(spec).Config;
        change?.Invoke(config);
        return CloudFrontXml.DistributionConfig(config);
    }

    public static string Body(string configXml) => configXml[(configXml.IndexOf("?>", StringComparison.Ordinal) + 2)..];

    public static string DistributionXml(string configXml, string status, string id = DistributionId) =>
        $"<?xml version=\"1.0\"?><Distribution xmlns=\"{Ns}\"><Id>{id}</Id><ARN>{Arn}</ARN><Status>{status}</Status><LastModifiedTime>2026-01-01T00:00:00Z</LastModifiedTime><InProgressInvalidationBatches>0</InProgressInvalidationBatches><DomainName>{DomainName}</DomainName>"
        + Body(configXml).Replace($" xmlns=\"{Ns}\"", "", StringComparison.Ordinal) + "</Distribution>";

    public static string ListXml(bool truncated, string? next, params (string Id, string Comment)[] items) =>
        $"<?xml version=\"1.0\"?><DistributionList xmlns=\"{Ns}\"><Marker></Marker>{(next is null ? "" : $"<NextMarker>{next}</NextMarker>")}<MaxItems>100</MaxItems><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated><Quantity>{items.Length}</Quantity><Items>"
        + string.Concat(items.Select(i => $"<DistributionSummary><Id>{i.Id}</Id><ARN>arn:aws:cloudfront::123456789012:distribution/{i.Id}</ARN><Status>Deployed</Status><DomainName>{i.Id.ToLowerInvariant()}.cloudfront.net</DomainName><Aliases><Quantity>0</Quantity></Aliases><Comment>{i.Comment}</Comment><Enabled>true</Enabled></DistributionSummary>"))
        + "</Items></DistributionList>";

    public static string InvalidationXml(string id, string status, params string[] paths) =>
        $"<?xml version=\"1.0\"?><Invalidation xmlns=\"{Ns}\"><Id>{id}</Id><Status>{status}</Status><CreateTime>2026-01-01T00:00:00Z</CreateTime><InvalidationBatch><Paths><Quantity>{paths.Length}</Quantity><Items>{string.Concat(paths.Select(p => $"<Path>{p}</Path>"))}</Items></Paths><CallerReference>ref</CallerReference></InvalidationBatch></Invalidation>";

    public static string TagsXml(IEnumerable<KeyValuePair<string, string>> tags) =>
        $"<?xml version=\"1.0\"?><Tags xmlns=\"{Ns}\"><Items>{string.Concat(tags.Select(t => $"<Tag><Key>{t.Key}</Key><Value>{t.Value}</Value></Tag>"))}</Items></Tags>";

    public void ExpectTagRefresh(ServiceSpec spec)
    {
        Expect(HttpMethod.Get, "tagging?Resource=" + Uri.EscapeDataString(Arn)).Respond(_ => Xml(TagsXml([])));
        Expect(HttpMethod.Post, "tagging?Operation=Tag&Resource=" + Uri.EscapeDataString(Arn))
            .With(r => r.Content!.ReadAsStringAsync().Result.Contains("<Key>poppy:manifest:00</Key>", StringComparison.Ordinal))
            .Respond(HttpStatusCode.NoContent);
        _ = spec;
    }

    public void ExpectNoFunction() =>
        Expect(HttpMethod.Get, "function/" + CloudFrontTranslator.FunctionName(ServiceId) + "/describe?Stage=DEVELOPMENT")
            .Respond(_ => Error(HttpStatusCode.NotFound, "NoSuchFunctionExists", "The specified function does not exist."));
}
