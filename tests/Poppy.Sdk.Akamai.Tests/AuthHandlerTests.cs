using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.Akamai.Internal.Signing;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class AuthHandlerTests
{
    private sealed class Capture : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, string? Authorization)> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add((request, request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private static readonly EdgeGridCredentials Credentials = new("h", "akab-ct", "secret-value-123", "akab-at") { HeadersToSign = ["X-Test1"] };

    private static (HttpClient Client, Capture Capture, FakeTimeProvider Time) Client(Func<string>? nonce = null)
    {
        var capture = new Capture();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        return (new HttpClient(new AkamaiAuthHandler(() => Credentials, time, nonce) { InnerHandler = capture }), capture, time);
    }

    [Fact]
    public async Task SendAsync_EmulatorAddress_SignsSchemeAndHostWithPortAsSent()
    {
        var (client, capture, _) = Client(() => "n-1");
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:5080/papi/v1/properties?contractId=ctr_1&groupId=grp_1");
        request.Headers.TryAddWithoutValidation("X-Test1", "  a   b ");

        await client.SendAsync(request);

        var expected = EdgeGridSigner.Sign("GET", "http", "127.0.0.1:5080", "/papi/v1/properties?contractId=ctr_1&groupId=grp_1", [new("X-Test1", "  a   b ")], [], Credentials, "20260301T12:00:00+0000", "n-1");
        Assert.Equal(expected.Authorization, capture.Seen.Single().Authorization);
        Assert.Contains("\tx-test1:a b\t", expected.DataToSign, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_PostBody_HashedPutBody_Not()
    {
        var (client, capture, _) = Client(() => "n");
        await client.PostAsync(new Uri("https://h/ccu/v3/delete/url/production"), new StringContent("""{"objects":["a"]}""", Encoding.UTF8, "application/json"));
        await client.PutAsync(new Uri("https://h/papi/v1/x"), new StringContent("""{"objects":["a"]}""", Encoding.UTF8, "application/json"));

        var post = EdgeGridSigner.Sign("POST", "https", "h", "/ccu/v3/delete/url/production", [], """{"objects":["a"]}"""u8, Credentials, "20260301T12:00:00+0000", "n");
        var put = EdgeGridSigner.Sign("PUT", "https", "h", "/papi/v1/x", [], [], Credentials, "20260301T12:00:00+0000", "n");
        Assert.Equal(post.Authorization, capture.Seen[0].Authorization);
        Assert.Equal(put.Authorization, capture.Seen[1].Authorization);
        Assert.NotEqual("", EdgeGridSigner.ContentHash("POST", """{"objects":["a"]}"""u8, 131_072));
    }

    [Fact]
    public async Task SendAsync_EveryRequest_FreshNonceAndTheClocksTimestamp()
    {
        var (client, capture, time) = Client();
        await client.GetAsync(new Uri("https://h/papi/v1/a"));
        time.Advance(TimeSpan.FromSeconds(61));
        await client.GetAsync(new Uri("https://h/papi/v1/a"));

        var nonces = capture.Seen.Select(s => s.Authorization!.Split(";nonce=")[1].Split(';')[0]).ToList();
        Assert.NotEqual(nonces[0], nonces[1]);
        Assert.All(nonces, n => Assert.True(Guid.TryParse(n, out _)));
        Assert.Contains("timestamp=20260301T12:00:00+0000;", capture.Seen[0].Authorization, StringComparison.Ordinal);
        Assert.Contains("timestamp=20260301T12:01:01+0000;", capture.Seen[1].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RequestSentAgain_ReplacesTheHeaderNeverDuplicates()
    {
        var (client, capture, _) = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://h/papi/v1/a");
        request.Headers.TryAddWithoutValidation("Authorization", "EG1-HMAC-SHA256 stale");

        await client.SendAsync(request);

        Assert.Single(capture.Seen.Single().Request.Headers.GetValues("Authorization"));
        Assert.DoesNotContain("stale", capture.Seen.Single().Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateHttpClient_ReadsCredentialsOnEveryRequest()
    {
        var options = AkamaiMock.ValidOptions();
        var capture = new Capture();
        using var client = AkamaiCdnProvider.CreateHttpClient(options, new FakeTimeProvider(), capture);
        await client.GetAsync(new Uri("https://h/a"));
        options.ClientToken = "akab-rotated-token";
        await client.GetAsync(new Uri("https://h/a"));

        Assert.Contains("client_token=akab-client-token-static;", capture.Seen[0].Authorization, StringComparison.Ordinal);
        Assert.Contains("client_token=akab-rotated-token;", capture.Seen[1].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_EveryRequest_VerifiesAsAkamaiWouldAndAWrongSecretDoesNot()
    {
        // The mock recomputes each signature from the request as received; a provider signing with another secret fails to match.
        var good = new AkamaiMock();
        good.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => AkamaiMock.Json(AkamaiMock.FindByValue()));
        Assert.Null(await good.Provider.GetServiceAsync(new ServiceReference(AkamaiMock.ServiceId)));
        good.Verify();

        var bad = new AkamaiMock(o => o.ClientSecret = "another-secret-value-0000");
        bad.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => AkamaiMock.Json(AkamaiMock.FindByValue()));
        await Assert.ThrowsAnyAsync<Exception>(() => bad.Provider.GetServiceAsync(new ServiceReference(AkamaiMock.ServiceId)));
        Assert.Throws<InvalidOperationException>(bad.Verify);
    }
}
