using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.CloudFront.Internal.Signing;

namespace Poppy.Sdk.CloudFront.Tests;

public sealed class AuthHandlerTests
{
    private sealed class Capture : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public string? Body { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    private static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    [Fact]
    public async Task SendAsync_SignsWithFakeClockForCloudFrontUsEast1()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 30, 15, TimeSpan.Zero));
        var capture = new Capture();
        using var client = new HttpClient(new CloudFrontAuthHandler(() => Credentials, time) { InnerHandler = capture });
        const string xml = "<DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"/>";

        using var content = new StringContent(xml, Encoding.UTF8, "text/xml");
        await client.PostAsync("https://cloudfront.amazonaws.com/2020-05-31/distribution", content);

        var request = capture.Request!;
        Assert.Equal("20261125T083015Z", request.Headers.GetValues("X-Amz-Date").Single());
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/cloudfront/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=", authorization, StringComparison.Ordinal);
        var expected = AwsSigV4Signer.Sign(
            "POST", "/2020-05-31/distribution", "",
            [new("host", "cloudfront.amazonaws.com"), new("content-type", "text/xml; charset=utf-8"), new("X-Amz-Date", "20261125T083015Z")],
            AwsSigV4Signer.HashPayload(Encoding.UTF8.GetBytes(xml)), Credentials, "us-east-1", "cloudfront", time.GetUtcNow());
        Assert.Equal(expected.Authorization, authorization);
        Assert.Equal(xml, capture.Body);
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task SendAsync_SessionToken_IsSentAndSigned_SecretNeverSent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var capture = new Capture();
        var credentials = Credentials with { SessionToken = "session-token-value" };
        using var client = new HttpClient(new CloudFrontAuthHandler(() => credentials, time) { InnerHandler = capture });

        await client.GetAsync("http://127.0.0.1:8080/2020-05-31/distribution/E123?Marker=&MaxItems=10");

        var request = capture.Request!;
        Assert.Equal("session-token-value", request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("SignedHeaders=host;x-amz-date;x-amz-security-token,", request.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        var everything = string.Join("\n", request.Headers.SelectMany(h => h.Value));
        Assert.DoesNotContain(Credentials.SecretAccessKey, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NonDefaultPort_IsPartOfSignedHost()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var capture = new Capture();
        using var client = new HttpClient(new CloudFrontAuthHandler(() => Credentials, time) { InnerHandler = capture });

        await client.GetAsync("http://127.0.0.1:8080/2020-05-31/distribution");

        var expected = AwsSigV4Signer.Sign("GET", "/2020-05-31/distribution", "", [new("host", "127.0.0.1:8080"), new("X-Amz-Date", "20261125T000000Z")],
            AwsSigV4Signer.EmptyPayloadHash, Credentials, "us-east-1", "cloudfront", time.GetUtcNow());
        Assert.Equal(expected.Authorization, capture.Request!.Headers.GetValues("Authorization").Single());
    }

    [Fact]
    public async Task SendAsync_SameRequestSentAgain_CarriesOneFreshSignature()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var capture = new Capture();
        using var invoker = new HttpMessageInvoker(new CloudFrontAuthHandler(() => Credentials, time) { InnerHandler = capture });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://cloudfront.amazonaws.com/2020-05-31/distribution");

        await invoker.SendAsync(request, CancellationToken.None);
        var first = request.Headers.GetValues("Authorization").Single();
        time.Advance(TimeSpan.FromMinutes(1));
        await invoker.SendAsync(request, CancellationToken.None); // as a retry handler outside this one would

        Assert.NotEqual(first, request.Headers.GetValues("Authorization").Single());
        Assert.Equal("20261125T000100Z", request.Headers.GetValues("X-Amz-Date").Single());
    }

    [Fact]
    public async Task CreateHttpClient_SignsWithTheOptionsCredentials_ReadPerRequest()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        var capture = new Capture();
        var options = new CloudFrontCdnProviderOptions { AccessKeyId = "AKIDFIRST", SecretAccessKey = "secret-1" };
        using var client = CloudFrontCdnProvider.CreateHttpClient(options, time, capture);

        await client.GetAsync("https://cloudfront.amazonaws.com/2020-05-31/distribution");
        Assert.Contains("Credential=AKIDFIRST/", capture.Request!.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
        options.AccessKeyId = "AKIDROTATED";
        await client.GetAsync("https://cloudfront.amazonaws.com/2020-05-31/distribution");
        Assert.Contains("Credential=AKIDROTATED/", capture.Request!.Headers.GetValues("Authorization").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void AwsCredentials_ToString_HidesSecretAndToken()
    {
        var text = (Credentials with { SessionToken = "tok-123" }).ToString();

        Assert.Contains("AKIDEXAMPLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Credentials.SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123", text, StringComparison.Ordinal);
    }
}
