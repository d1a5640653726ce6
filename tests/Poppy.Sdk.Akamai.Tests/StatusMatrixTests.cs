using System.Net;
using RichardSzalay.MockHttp;
using static Poppy.Sdk.Akamai.Tests.AkamaiMock;

namespace Poppy.Sdk.Akamai.Tests;

/// <summary>STYLE rule 12: every operation against the full status matrix (DESIGN §7).</summary>
public sealed class StatusMatrixTests
{
    private static readonly ServiceReference Service = new(ServiceId, PropertyId);

    public static TheoryData<string> Operations() => new() { "create", "get", "update", "delete", "list", "purge" };

    public static TheoryData<string, int> Failures()
    {
        var data = new TheoryData<string, int>();
        foreach (var op in new[] { "create", "get", "update", "delete", "list", "purge" })
        {
            foreach (var status in new[] { 400, 401, 403, 409, 412, 500, 502, 503, 504 })
            {
                data.Add(op, status);
            }
        }

        return data;
    }

    /// <summary>The first call each operation makes.</summary>
    private static MockedRequest FirstCall(AkamaiMock m, string operation) => operation switch
    {
        "create" => m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value"),
        "list" => m.Papi(HttpMethod.Get, "properties"),
        "purge" => m.Expect(HttpMethod.Post, "ccu/v3/delete/url/production"),
        _ => m.Papi(HttpMethod.Get, "properties/prp_100"),
    };

    private static async Task Run(AkamaiMock m, string operation, CancellationToken cancellationToken = default)
    {
        switch (operation)
        {
            case "create":
                await m.Provider.CreateServiceAsync(ServiceId, TestSpecs.Simple(), cancellationToken);
                break;
            case "get":
                await m.Provider.GetServiceAsync(Service, cancellationToken);
                break;
            case "update":
                await m.Provider.UpdateServiceAsync(Service, TestSpecs.Simple(), cancellationToken);
                break;
            case "delete":
                await m.Provider.DeleteServiceAsync(Service, cancellationToken);
                break;
            case "list":
                await foreach (var _ in m.Provider.ListServicesAsync(cancellationToken))
                {
                }

                break;
            default:
                await m.Provider.PurgeAsync(Service, PurgeRequest.ForUrls("https://www.example.com/a"), cancellationToken);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Operation_VendorError_MappedToCodeAndTransience(string operation, int status)
    {
        var m = new AkamaiMock();
        FirstCall(m, operation).Respond(_ => Problem((HttpStatusCode)status, "https://problems.luna.akamaiapis.net/papi/v1/errors/x", "Failure " + status));

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Run(m, operation));

        Assert.Equal(status, e.Status);
        Assert.Equal(CdnErrorCode.FromHttpStatus(status), e.ErrorCode);
        Assert.Equal(status >= 500, e.IsTransient);
        Assert.Equal("akamai", e.Provider);
        m.Verify();
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_429WithRetryAfter_RateLimitedWithThatWait(string operation)
    {
        var m = new AkamaiMock();
        FirstCall(m, operation).Respond(_ =>
        {
            var r = Problem((HttpStatusCode)429, "https://problems.luna.akamaiapis.net/papi/v1/rate-limit", "Too Many Requests");
            r.Headers.TryAddWithoutValidation("Retry-After", "17");
            return r;
        });

        var e = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Run(m, operation));

        Assert.Equal(TimeSpan.FromSeconds(17), e.RetryAfter);
        Assert.True(e.IsTransient);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_429WithoutRetryAfter_RateLimitedWithTheDefaultWait(string operation)
    {
        var m = new AkamaiMock();
        FirstCall(m, operation).Respond(_ => Problem((HttpStatusCode)429, "https://problems.luna.akamaiapis.net/papi/v1/rate-limit", "Too Many Requests"));

        var e = await Assert.ThrowsAsync<CdnRateLimitedException>(() => Run(m, operation));

        Assert.Equal(TimeSpan.FromSeconds(5), e.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_MalformedBody_MalformedResponse(string operation)
    {
        var m = new AkamaiMock();
        FirstCall(m, operation).Respond(_ => Json("<html>not json</html>"));

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Run(m, operation));

        Assert.Equal(CdnErrorCode.MalformedResponse, e.ErrorCode);
        Assert.False(e.IsTransient);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_ConnectionFails_NetworkErrorTransient(string operation)
    {
        var m = new AkamaiMock();
        FirstCall(m, operation).Throw(new HttpRequestException("Connection refused"));

        var e = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Run(m, operation));

        Assert.Equal(CdnErrorCode.NetworkError, e.ErrorCode);
        Assert.True(e.IsTransient);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_CancelledBefore_OperationCanceledWithoutACall(string operation)
    {
        var m = new AkamaiMock();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(m, operation, cts.Token));
        m.Verify();
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_CancelledDuringTheCall_OperationCanceledNotWrapped(string operation)
    {
        var m = new AkamaiMock();
        using var cts = new CancellationTokenSource();
        FirstCall(m, operation).Respond(async () =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.Infinite, cts.Token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(m, operation, cts.Token));
        Assert.IsNotAssignableFrom<CdnException>(e);
    }
}
