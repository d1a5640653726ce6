using System.Net;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>STYLE rule 12: every operation against the full status matrix.</summary>
public class StatusMatrixTests
{
    private const string Id = FastlyMock.VendorId;

    public static readonly TheoryData<string> Operations = new() { "create", "get", "update", "delete", "list", "purge" };

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

    /// <summary>Registers the calls that precede the one under test, and returns that call.</summary>
    private static MockedRequest ArrangeUpToFailingCall(FastlyMock mock, string operation)
    {
        switch (operation)
        {
            case "create":
                mock.ExpectSearch(null);
                return mock.Expect(HttpMethod.Post, "service");
            case "list":
                return mock.Expect(HttpMethod.Get, "service?page=1&per_page=100&sort=created&direction=ascend");
            case "purge":
                mock.ExpectGetService(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, true, true))));
                return mock.Expect(HttpMethod.Post, $"service/{Id}/purge");
            default:
                return mock.Expect(HttpMethod.Get, "service/" + Id);
        }
    }

    private static async Task<object?> RunAsync(FastlyMock mock, string operation, CancellationToken cancellationToken = default)
    {
        var service = new ServiceReference("svc-1", Id);
        switch (operation)
        {
            case "create":
                return await mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Minimal(), cancellationToken);
            case "get":
                return await mock.Provider.GetServiceAsync(service, cancellationToken);
            case "update":
                return await mock.Provider.UpdateServiceAsync(service, TestSpecs.Minimal(), cancellationToken);
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
    [MemberData(nameof(Operations))]
    public async Task Operation_Success_Completes(string operation)
    {
        var mock = new FastlyMock();
        var config = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal()));
        var deployed = FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, config.VersionComment)));
        var request = ArrangeUpToFailingCall(mock, operation);
        switch (operation)
        {
            case "create":
                request.RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, false, false))));
                mock.ExpectCreateAll(1, config);
                mock.ExpectValidateAndActivate(1);
                break;
            case "get":
                request.RespondJson(deployed);
                mock.ExpectReadVersion(1, config);
                break;
            case "update":
                var updated = mock.Translator.ToFastly(TestSpecs.Normalize(TestSpecs.Minimal(), Poppy.Sdk.Validation.ValidationMode.Update));
                request.RespondJson(FastlyJson.Service(FastlyJson.Versions(FastlyJson.Version(1, active: true, locked: true, updated.VersionComment))));
                mock.ExpectReadVersion(1, updated);
                break;
            case "delete":
                request.RespondJson(deployed);
                mock.Expect(HttpMethod.Put, FastlyMock.V(1) + "/deactivate").RespondJson(FastlyJson.Version(1, false, true));
                mock.Expect(HttpMethod.Delete, "service/" + Id).RespondJson("""{"status":"ok"}""");
                break;
            case "list":
                request.RespondJson("[" + deployed + "]");
                mock.ExpectReadVersion(1, config);
                break;
            default:
                request.RespondJson("""{"a":"1","b":"2"}""");
                break;
        }

        var result = await RunAsync(mock, operation);

        mock.Verify();
        Assert.NotNull(result);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Operation_VendorFails_ThrowsMappedErrorWithTransience(string operation, int status)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation)
            .Respond((HttpStatusCode)status, [new KeyValuePair<string, string>("Fastly-Request-Id", "req-42")], "application/json", """{"msg":"Something went wrong","detail":"details here"}""");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        mock.Verify();
        Assert.Equal(status, error.Status);
        Assert.Equal(CdnErrorCode.FromHttpStatus(status), error.ErrorCode);
        Assert.Equal(status >= 500, error.IsTransient);
        Assert.Equal("fastly", error.Provider);
        Assert.Equal("req-42", error.RequestId);
        Assert.Contains("Something went wrong: details here", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FastlyMock.Token, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_JsonApiErrorBody_IsRead(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).Respond(HttpStatusCode.Forbidden, "application/vnd.api+json",
            """{"errors":[{"title":"Forbidden","detail":"Token lacks the global scope","code":"insufficient_scope","status":"403"}]}""");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal(CdnErrorCode.Forbidden, error.ErrorCode);
        Assert.Equal("insufficient_scope", error.VendorErrorCode);
        Assert.Contains("Token lacks the global scope", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_NotFound_HasTheOperationsMeaning(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).RespondJson("""{"msg":"Record not found","detail":"Cannot find service"}""", HttpStatusCode.NotFound);

        switch (operation)
        {
            case "get":
                Assert.Null(await RunAsync(mock, operation));
                break;
            case "delete":
                var deleted = (CdnOperation)(await RunAsync(mock, operation))!;
                Assert.True(deleted.HasCompleted);
                Assert.Null(deleted.Error);
                break;
            default:
                var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));
                Assert.Equal(CdnErrorCode.NotFound, error.ErrorCode);
                Assert.False(error.IsTransient);
                break;
        }

        mock.Verify();
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_RateLimitedWithRetryAfter_ThrowsRateLimitedWithThatDelay(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).Respond((HttpStatusCode)429, [new KeyValuePair<string, string>("Retry-After", "30")], "application/json", """{"msg":"Too many requests"}""");

        var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => RunAsync(mock, operation));

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Equal(CdnErrorCode.RateLimited, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Equal(429, error.Status);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_RateLimitedWithFastlyReset_WaitsUntilTheReset(string operation)
    {
        var mock = new FastlyMock();
        var reset = mock.Time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        ArrangeUpToFailingCall(mock, operation).Respond((HttpStatusCode)429,
            [new KeyValuePair<string, string>("Fastly-RateLimit-Remaining", "0"), new KeyValuePair<string, string>("Fastly-RateLimit-Reset", reset)],
            "application/json", """{"msg":"Too many requests"}""");

        var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => RunAsync(mock, operation));

        Assert.Equal(TimeSpan.FromMinutes(10), error.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_RateLimitedWithoutAnyHint_HasNoRetryAfter(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).Respond((HttpStatusCode)429, "application/json", "");

        var error = await Assert.ThrowsAsync<CdnRateLimitedException>(() => RunAsync(mock, operation));

        Assert.Null(error.RetryAfter);
        Assert.True(error.IsTransient);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_MalformedBody_ThrowsMalformedResponse(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).Respond(HttpStatusCode.OK, "application/json", "{\"id\": <html>oops");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal(CdnErrorCode.MalformedResponse, error.ErrorCode);
        Assert.IsType<System.Text.Json.JsonException>(error.InnerException, exactMatch: false);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_NonJsonErrorBody_StillMapsTheStatus(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).Respond(HttpStatusCode.BadGateway, "text/html", "<html>502 Bad Gateway</html>");

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal(CdnErrorCode.ServerError, error.ErrorCode);
        Assert.DoesNotContain("<html>", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_CancelledBeforeStart_ThrowsWithoutCalls(string operation)
    {
        var mock = new FastlyMock();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(mock, operation, cts.Token));

        mock.Verify();
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_CancelledWhileARequestIsInFlight_ThrowsOperationCanceled(string operation)
    {
        var mock = new FastlyMock();
        using var cts = new CancellationTokenSource();
        ArrangeUpToFailingCall(mock, operation).Respond(async _ =>
        {
            await cts.CancelAsync();
            await Task.Delay(Timeout.InfiniteTimeSpan, cts.Token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(mock, operation, cts.Token));

        Assert.Equal(cts.Token, error.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Operation_ConnectionFails_ThrowsTransientNetworkError(string operation)
    {
        var mock = new FastlyMock();
        ArrangeUpToFailingCall(mock, operation).Throw(new HttpRequestException("Connection refused"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => RunAsync(mock, operation));

        Assert.Equal(CdnErrorCode.NetworkError, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Null(error.Status);
    }
}
