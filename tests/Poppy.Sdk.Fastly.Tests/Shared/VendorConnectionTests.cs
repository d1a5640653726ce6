using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Internal;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests.Shared;

/// <summary>The shared vendor HTTP layer (src/Shared/Http), tested once here with a stand-in vendor.</summary>
public class VendorConnectionTests
{
    private const string Base = "https://api.vendor.test/v1/";
    private const string Secret = "vendor-api-token-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly MockHttpMessageHandler _http = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly FakeLogger _logger = new();
    private readonly RecordingMapper _mapper = new();

    public VendorConnectionTests()
    {
        _http.Fallback.ThrowMatchSummary();
    }

    private VendorConnection Connection(Func<System.Net.Http.Headers.HttpResponseHeaders, DateTimeOffset, TimeSpan?>? rateLimit = null) => new(
        new HttpClient(_http),
        new VendorConnectionSettings
        {
            Provider = "vendor-eu",
            Vendor = "Vendor",
            BaseAddress = new Uri("https://api.vendor.test/v1"),
            Accept = "application/json",
            RequestIdHeaders = ["X-Vendor-Request-Id", "X-Request-Id"],
            RateLimitRetryAfter = rateLimit,
            Scrubber = new SecretScrubber(Secret),
        },
        _mapper,
        _time,
        _logger);

    private static VendorRequest Get(string path = "things/1") => new(HttpMethod.Get, path, "get thing '1'");

    [Fact]
    public async Task SendAsync_TimeoutNotFromTheCaller_IsTransientTimeout()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Throw(new TaskCanceledException("client timeout"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        Assert.Equal(CdnErrorCode.Timeout, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Equal("vendor-eu", error.Provider);
        Assert.Equal("Vendor get thing '1' timed out.", error.Message);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2001 && r.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(() =>
        {
            cts.Cancel();
            return Task.FromException<HttpResponseMessage>(new TaskCanceledException("cancelled", null, cts.Token));
        });

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Connection().SendAsync(Get(), cts.Token));

        Assert.IsNotType<CdnRequestFailedException>(error);
        Assert.Equal(cts.Token, error.CancellationToken);
    }

    [Fact]
    public async Task SendAsync_ConnectionFails_IsTransientNetworkError()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Throw(new HttpRequestException("Connection reset by peer"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        Assert.Equal(CdnErrorCode.NetworkError, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.Null(error.Status);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task SendAsync_Success_CapturesTheRequestIdAndLogsPathWithoutQuery()
    {
        _http.Expect(HttpMethod.Get, Base + "things").WithExactQueryString("secret=q").WithHeaders("Accept", "application/json")
            .Respond(_ => Response(HttpStatusCode.OK, "[]", ("X-Request-Id", "second"), ("X-Vendor-Request-Id", "req-42")));

        var response = await Connection().SendAsync(Get("things?secret=q"), CancellationToken.None);

        Assert.Equal("req-42", response.RequestId);
        var log = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2000);
        Assert.Equal("vendor-eu: GET /v1/things answered 200 in 0 ms (request id req-42).", log.Message);
        Assert.DoesNotContain("secret", log.Message, StringComparison.Ordinal);
        _http.VerifyNoOutstandingExpectation();
    }

    [Fact]
    public async Task SendAsync_ErrorStatus_GoesThroughTheMapperWithRequestIdAndBody()
    {
        _http.Expect(HttpMethod.Post, Base + "things").Respond(_ => Response(HttpStatusCode.Conflict, "{\"msg\":\"taken\"}", ("X-Request-Id", "r-9")));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(new VendorRequest(HttpMethod.Post, "things", "create thing"), CancellationToken.None));

        Assert.Equal("mapped 409", error.Message);
        var seen = Assert.Single(_mapper.Seen);
        Assert.Equal(("vendor-eu", "create thing", 409, "Conflict", "{\"msg\":\"taken\"}", "r-9"), (seen.Provider, seen.Operation, seen.Status, seen.ReasonPhrase, seen.Body, seen.RequestId));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2001 && r.Message.Contains("409", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ErrorBodyQuotesTheCredential_MapperSeesItScrubbed()
    {
        var body = "{\"msg\":\"bad key " + Secret + "\",\"detail\":\"The Canonical String for this request should have been\\n'GET\\n/\\n\\nx-api-key:" + Secret + "\\n'\"}";
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response(HttpStatusCode.Unauthorized, body));

        await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        var seen = Assert.Single(_mapper.Seen).Body;
        Assert.DoesNotContain(Secret, seen, StringComparison.Ordinal);
        Assert.DoesNotContain("x-api-key", seen, StringComparison.Ordinal);
        Assert.Contains("bad key [redacted]", seen, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(429)]
    public async Task SendAsync_MapperAddsTheCredentialFromElsewhere_MessageIsScrubbedAndTypeKept(int status)
    {
        _mapper.Extra = " (sent key " + Secret + ")";
        _mapper.RateLimits = true;
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response((HttpStatusCode)status, "{}", ("X-Request-Id", "r-5")));

        var error = await Assert.ThrowsAnyAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        Assert.Equal($"mapped {status} (sent key [redacted])", error.Message);
        Assert.Equal(("r-5", status), (error.RequestId, error.Status));
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(3), Assert.IsType<CdnRateLimitedException>(error).RetryAfter);
        }
    }

    [Fact]
    public async Task SendAsync_MalformedBodyQuotesTheCredential_ExcerptIsScrubbed()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response(HttpStatusCode.OK, "<html>token=" + Uri.EscapeDataString(Secret + "/+") + "</html>"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), TestJsonContext.Default.Thing, CancellationToken.None));

        Assert.Equal(CdnErrorCode.MalformedResponse, error.ErrorCode);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.Contains("token=[redacted]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_ConnectionErrorTextHasTheCredential_MessageIsScrubbed()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Throw(new HttpRequestException("proxy refused https://user:" + Secret + "@proxy.test"));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
        Assert.Contains("user:[redacted]@proxy.test", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task GetOrNullAsync_NotFound_IsNull()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(HttpStatusCode.NotFound, "application/json", "{}");

        Assert.Null(await Connection().GetOrNullAsync(Get(), TestJsonContext.Default.Thing, CancellationToken.None));
        Assert.Empty(_mapper.Seen);
    }

    [Fact]
    public async Task SendAsync_NotFound_IsMappedWhenNotAskedForNull()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(HttpStatusCode.NotFound, "application/json", "{}");

        await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), TestJsonContext.Default.Thing, CancellationToken.None));
        Assert.Equal(404, Assert.Single(_mapper.Seen).Status);
    }

    [Fact]
    public async Task SendAsync_JsonBody_IsReadThroughTheTypeInfo()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond("application/json", """{"id":"t-1"}""");

        var thing = await Connection().SendAsync(Get(), TestJsonContext.Default.Thing, CancellationToken.None);

        Assert.Equal("t-1", thing.Id);
    }

    [Theory]
    [InlineData("<html><body>Bad gateway</body></html>")]
    [InlineData("null")]
    [InlineData("")]
    public async Task SendAsync_MalformedBody_IsNonTransientMalformedResponseWithAnExcerpt(string body)
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response(HttpStatusCode.OK, body, ("X-Request-Id", "r-1")));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), TestJsonContext.Default.Thing, CancellationToken.None));

        Assert.Equal(CdnErrorCode.MalformedResponse, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Equal(200, error.Status);
        Assert.Equal("r-1", error.RequestId);
        Assert.StartsWith("Vendor get thing '1' returned HTTP 200 with a body that is not JSON", error.Message, StringComparison.Ordinal);
        Assert.Contains(body.Length == 0 ? "(empty body)" : body, error.Message, StringComparison.Ordinal);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 2003);
    }

    [Fact]
    public async Task SendAsync_LongMalformedBody_IsCutAndFreeOfControlCharacters()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response(HttpStatusCode.OK, "<p>\n" + new string('x', 5000)));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), TestJsonContext.Default.Thing, CancellationToken.None));

        Assert.True(error.Message.Length < 400, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("…", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_RetryAfterSeconds_IsPassedToTheMapper()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response((HttpStatusCode)429, "", ("Retry-After", "7")));

        await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(7), Assert.Single(_mapper.Seen).RetryAfter);
    }

    [Fact]
    public async Task SendAsync_RetryAfterDate_IsTheTimeUntilThenOnTheInjectedClock()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response((HttpStatusCode)503, "", ("Retry-After", Now.AddSeconds(90).ToString("r"))));

        await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection().SendAsync(Get(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(90), Assert.Single(_mapper.Seen).RetryAfter);
    }

    [Fact]
    public async Task SendAsync_NoRetryAfter_UsesTheVendorRateLimitHeaders()
    {
        _http.Expect(HttpMethod.Get, Base + "things/1").Respond(_ => Response((HttpStatusCode)429, "", ("X-Reset-In", "12")));

        await Assert.ThrowsAsync<CdnRequestFailedException>(() => Connection((h, _) => h.TryGetValues("X-Reset-In", out var v) ? TimeSpan.FromSeconds(int.Parse(v.First(), System.Globalization.CultureInfo.InvariantCulture)) : null)
            .SendAsync(Get(), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(12), Assert.Single(_mapper.Seen).RetryAfter);
    }

    [Fact]
    public void RetryAfter_DateInThePast_IsZero()
    {
        using var response = Response((HttpStatusCode)429, "", ("Retry-After", Now.AddMinutes(-1).ToString("r")));

        Assert.Equal(TimeSpan.Zero, VendorConnection.RetryAfter(response.Headers, Now));
    }

    [Fact]
    public async Task SendAsync_RequestHeadersAndBody_AreSentAsDescribed()
    {
        _http.Expect(HttpMethod.Put, Base + "things/1").WithHeaders("If-Match", "E1").WithContent("a=b").Respond(HttpStatusCode.NoContent);

        var response = await Connection().SendAsync(
            new VendorRequest(HttpMethod.Put, "things/1", "update thing") { Headers = [KeyValuePair.Create("If-Match", "E1")], Content = new StringContent("a=b") },
            CancellationToken.None);

        Assert.Equal(204, response.Status);
        _http.VerifyNoOutstandingExpectation();
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private sealed class RecordingMapper : IVendorErrorMapper
    {
        public List<VendorError> Seen { get; } = [];

        /// <summary>Text the mapper adds to its message (as a careless mapper quoting a header might).</summary>
        public string Extra { get; set; } = "";

        /// <summary>Whether a 429 is mapped to <see cref="CdnRateLimitedException"/>.</summary>
        public bool RateLimits { get; set; }

        public CdnRequestFailedException Map(VendorError error)
        {
            Seen.Add(error);
            var message = $"mapped {error.Status}{Extra}";
            return RateLimits && error.Status == 429
                ? new CdnRateLimitedException(error.Provider, message, TimeSpan.FromSeconds(3), 429, "slow", error.RequestId)
                : new CdnRequestFailedException(error.Provider, message, error.Status, CdnErrorCode.FromHttpStatus(error.Status), false, requestId: error.RequestId);
        }
    }
}

internal sealed class Thing
{
    [JsonPropertyName("id")] public string? Id { get; set; }
}

[JsonSerializable(typeof(Thing))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
