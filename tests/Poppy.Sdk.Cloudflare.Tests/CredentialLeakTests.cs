using Microsoft.Extensions.Logging.Testing;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>A token Cloudflare quotes back (or one sent after rotation) reaches no message, ToString, ProviderError or log record.</summary>
public class CredentialLeakTests
{
    [Fact]
    public async Task AuthError_QuotingTheToken_NoTokenInAnyOutput()
    {
        var logs = new FakeLogCollector();
        var zone = new FakeCloudflare();
        var options = CloudflareHarness.NewOptions();
        options.ApiToken = "cf-WRONG-token-9876543210fedcba";
        var echo = new EchoingHandler(options.ApiToken) { InnerHandler = zone };
        var provider = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(options, echo), options, CloudflareHarness.Clock(), new FakeLogger<CloudflareCdnProvider>(logs));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Simple()));

        Assert.Equal((CdnErrorCode.Unauthorized, "10000"), (error.ErrorCode, error.VendorErrorCode));
        Assert.True(echo.Echoed);
        var texts = new[] { error.Message, error.ToString(), ProviderError.FromException(error).Message }
            .Concat(logs.GetSnapshot().SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(kv => kv.Value ?? "") ?? [])));
        foreach (var text in texts)
        {
            for (var i = 0; i + 12 <= options.ApiToken.Length; i += 6)
            {
                Assert.DoesNotContain(options.ApiToken.Substring(i, 12), text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Answers a 403 whose message quotes the bearer token it received, as a misbehaving proxy might.</summary>
    private sealed class EchoingHandler(string token) : DelegatingHandler
    {
        public bool Echoed { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Echoed = request.Headers.Authorization?.Parameter == token;
            return Task.FromResult(FakeCloudflare.Error(System.Net.HttpStatusCode.Forbidden, 10000, "Authentication error: token " + request.Headers.Authorization?.Parameter + " is not valid"));
        }
    }
}
