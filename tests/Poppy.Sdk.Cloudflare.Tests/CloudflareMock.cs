using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>A provider wired to a strict MockHttp handler, a fake clock and a fake logger, with v4 envelope builders.</summary>
internal sealed class CloudflareMock
{
    public const string Token = FakeCloudflare.Token;
    public const string Zone = FakeCloudflare.ZoneId;
    public const string Base = FakeCloudflare.Base;
    public const string ZonePath = "zones/" + Zone + "/";

    public CloudflareMock(Action<CloudflareCdnProviderOptions>? configure = null)
    {
        Http.Fallback.ThrowMatchSummary();
        Options = CloudflareHarness.NewOptions();
        configure?.Invoke(Options);
        Provider = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(Options, Http), Options, Time, Logger);
    }

    public MockHttpMessageHandler Http { get; } = new();

    public FakeTimeProvider Time { get; } = CloudflareHarness.Clock();

    public FakeLogger<CloudflareCdnProvider> Logger { get; } = new();

    public CloudflareCdnProviderOptions Options { get; }

    public CloudflareCdnProvider Provider { get; }

    /// <summary>Expects a request to a path under the base (query exact when given) with exactly one bearer token.</summary>
    public MockedRequest Expect(HttpMethod method, string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var request = Http.Expect(method, Base + (q < 0 ? pathAndQuery : pathAndQuery[..q]))
            .With(r => r.Headers.TryGetValues("Authorization", out var values) && values.Single() == "Bearer " + Token);
        return q < 0 ? request.With(r => string.IsNullOrEmpty(r.RequestUri!.Query)) : request.WithExactQueryString(pathAndQuery[(q + 1)..]);
    }

    /// <summary>Expects a request whose JSON body is exactly <paramref name="json"/>.</summary>
    public MockedRequest ExpectJson(HttpMethod method, string pathAndQuery, string json) =>
        Expect(method, pathAndQuery).With(r => r.Content!.ReadAsStringAsync().Result == json && r.Content.Headers.ContentType!.MediaType == "application/json");

    public void Verify() => Http.VerifyNoOutstandingExpectation();

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        response.Headers.TryAddWithoutValidation("CF-Ray", "8f1c2d3e4f5a6b7c-AMS");
        return response;
    }

    public static HttpResponseMessage Ok(string resultJson, string? resultInfo = null) =>
        Json("{\"success\":true,\"errors\":[],\"messages\":[],\"result\":" + resultJson + (resultInfo is null ? "" : ",\"result_info\":" + resultInfo) + "}");

    public static HttpResponseMessage Error(int status, int code, string message) =>
        Json($"{{\"success\":false,\"errors\":[{{\"code\":{code},\"message\":\"{message}\"}}],\"messages\":[],\"result\":null}}", (HttpStatusCode)status);

    public static string Page(int page, int totalPages) => $"{{\"page\":{page},\"per_page\":50,\"count\":0,\"total_count\":0,\"total_pages\":{totalPages}}}";
}
