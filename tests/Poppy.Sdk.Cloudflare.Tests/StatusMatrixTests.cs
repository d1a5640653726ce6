using System.Net;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>STYLE rule 12: every operation against the full status matrix (the first call of each fails).</summary>
public class StatusMatrixTests
{
    public static readonly TheoryData<string> Operations = new() { "create", "get", "update", "delete", "list", "purge" };

    public static TheoryData<string, int> Failures()
    {
        var data = new TheoryData<string, int>();
        foreach (var op in new[] { "create", "get", "update", "delete", "list", "purge" })
        {
            foreach (var status in new[] { 400, 401, 403, 404, 409, 412, 422, 500, 502, 503, 504 })
            {
                data.Add(op, status);
            }
        }

        return data;
    }

    private static MockedRequest FirstCall(CloudflareMock mock, string operation) => operation == "create"
        ? mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?hostname=www.example.com")
        : mock.Expect(HttpMethod.Get, CloudflareMock.ZonePath + "custom_hostnames?page=1&per_page=50");

    private static async Task<object?> RunAsync(CloudflareMock mock, string operation, CancellationToken cancellationToken = default)
    {
        var service = new ServiceReference("svc-1");
        switch (operation)
        {
            case "create":
                return await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Simple(), cancellationToken);
            case "get":
                return await mock.Provider.GetServiceAsync(service, cancellationToken);
            case "update":
                return await mock.Provider.UpdateServiceAsync(service, TestSpecs.Simple(), cancellationToken);
            case "delete":
                return await mock.Provider.DeleteServiceAsync(service, cancellationToken);
            case "list":
                var all = new List<ProviderService>();
                await foreach (var s in mock.Provider.ListServicesAsync(cancellationToken))
                {
                    all.Add(s);
                }

                return all;
            default:
                return await mock.Provider.PurgeAsync(service, PurgeRequest.ForTags("a", "b"), cancellationToken);
        }
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Operation_VendorFails_ThrowsMappedErrorWithTransience(string operation, int status)
    {
        var mock = new CloudflareMock();
        FirstCall(mock, operation).Respond(_ => CloudflareMock.Error(status, 1000 + status, "Something went wrong"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        mock.Verify();
        Assert.Equal(status, error.Status);
        Assert.Equal(CdnErrorCode.FromHttpStatus(status), error.ErrorCode);
        Assert.Equal(status >= 500, error.IsTransient);
        Assert.Equal(("cloudflare", "8f1c2d3e4f5a6b7c-AMS", (1000 + status).ToString(System.Globalization.CultureInfo.InvariantCulture)), (error.Provider, error.RequestId, error.VendorErrorCode));
        Assert.Contains($"Something went wrong (code {1000 + status})", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(CloudflareMock.Token, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_AuthenticationError10000_IsUnauthorized(string operation)
    {
        var mock = new CloudflareMock();
        FirstCall(mock, operation).Respond(_ => CloudflareMock.Error(403, 10000, "Authentication error"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal((CdnErrorCode.Unauthorized, "10000", false), (error.ErrorCode, error.VendorErrorCode, error.IsTransient));
        Assert.Contains("Check the API token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_RateLimited_CarriesRetryAfterOrNull(string operation)
    {
        foreach (var retryAfter in new TimeSpan?[] { TimeSpan.FromSeconds(30), null })
        {
            var mock = new CloudflareMock();
            FirstCall(mock, operation).Respond(_ =>
            {
                var response = CloudflareMock.Error(429, 10429, "Rate limited");
                if (retryAfter is { } wait)
                {
                    response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
                }

                return response;
            });

            var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => RunAsync(mock, operation));

            Assert.Equal((retryAfter, CdnErrorCode.RateLimited, true, 429), (error.RetryAfter, error.ErrorCode, error.IsTransient, error.Status));
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_MalformedBody_IsMalformedResponse(string operation)
    {
        var mock = new CloudflareMock();
        FirstCall(mock, operation).Respond(_ => CloudflareMock.Json("<html>gateway</html>"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal((CdnErrorCode.MalformedResponse, false), (error.ErrorCode, error.IsTransient));
        Assert.Contains("<html>gateway</html>", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_SuccessFalseEnvelope_IsMalformedResponse(string operation)
    {
        var mock = new CloudflareMock();
        FirstCall(mock, operation).Respond(_ => CloudflareMock.Json("{\"success\":false,\"errors\":[],\"messages\":[],\"result\":null}"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal(CdnErrorCode.MalformedResponse, error.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_ConnectionFails_IsTransientNetworkError(string operation)
    {
        var mock = new CloudflareMock();
        FirstCall(mock, operation).Throw(new HttpRequestException("Connection refused (api.cloudflare.com:443)"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal((CdnErrorCode.NetworkError, true, (int?)null), (error.ErrorCode, error.IsTransient, error.Status));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_CancelledBeforeTheCall_ThrowsOperationCanceled(string operation)
    {
        var mock = new CloudflareMock();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(mock, operation, cts.Token));
        mock.Verify();
        Assert.Equal(0, mock.Http.GetMatchCount(mock.Http.Fallback));
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_CancelledDuringTheCall_ThrowsOperationCanceled(string operation)
    {
        var mock = new CloudflareMock();
        using var cts = new CancellationTokenSource();
        FirstCall(mock, operation).Respond(async () =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, cts.Token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(mock, operation, cts.Token));

        Assert.IsNotType<CdnRequestFailedException>(error.InnerException);
    }
}
