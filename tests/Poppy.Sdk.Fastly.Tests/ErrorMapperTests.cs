using System.Net;
using Poppy.Sdk.Fastly.Internal;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

public class ErrorMapperTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CdnRequestFailedException Map(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        var retryAfter = Poppy.Sdk.Internal.VendorConnection.RetryAfter(response.Headers, Now) ?? FastlyErrorMapper.RateLimitReset(response.Headers, Now);
        return FastlyErrorMapper.Instance.Map(new Poppy.Sdk.Internal.VendorError(
            "fastly", "create backend 'poppy-origin-0'", (int)status, response.ReasonPhrase ?? status.ToString(), body, response.Headers, null, retryAfter));
    }

    [Fact]
    public void FromResponse_LegacyBody_UsesMsgAndDetail()
    {
        var error = Map(HttpStatusCode.BadRequest, """{"msg":"Bad request","detail":"Version '1' for service 'X' is locked"}""");

        Assert.Equal("Fastly create backend 'poppy-origin-0' failed with HTTP 400 (Bad Request): Bad request: Version '1' for service 'X' is locked", error.Message);
        Assert.Equal(CdnErrorCode.InvalidRequest, error.ErrorCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void FromResponse_JsonApiBody_UsesTitleDetailAndCode()
    {
        var error = Map(HttpStatusCode.Conflict, """{"errors":[{"title":"Conflict","detail":"Domain already taken","code":"domain_taken"},{"title":"Conflict","detail":"Second"}]}""");

        Assert.EndsWith("Conflict: Domain already taken: Second", error.Message, StringComparison.Ordinal);
        Assert.Equal("domain_taken", error.VendorErrorCode);
        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>oops</html>")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    public void FromResponse_UnreadableBody_StillMapsStatusWithoutTheBody(string body)
    {
        var error = Map(HttpStatusCode.InternalServerError, body);

        Assert.Equal(CdnErrorCode.ServerError, error.ErrorCode);
        Assert.True(error.IsTransient);
        Assert.EndsWith("(Internal Server Error).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromResponse_LongVendorText_IsTruncatedAndControlCharactersRemoved()
    {
        var error = Map(HttpStatusCode.BadRequest, "{\"msg\":\"" + new string('x', 2000) + "\",\"detail\":\"a\\nb\"}");

        Assert.True(error.Message.Length < 700);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void RetryAfter_HttpDate_IsTheTimeUntilThen()
    {
        var error = (CdnRateLimitedException)Map((HttpStatusCode)429, "", ("Retry-After", Now.AddSeconds(90).ToString("r")));

        Assert.Equal(TimeSpan.FromSeconds(90), error.RetryAfter);
    }

    [Fact]
    public void RetryAfter_PreferredOverFastlyReset()
    {
        var error = (CdnRateLimitedException)Map((HttpStatusCode)429, "", ("Retry-After", "5"), ("Fastly-RateLimit-Reset", Now.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
    }

    [Fact]
    public void RetryAfter_ResetInThePast_IsZero()
    {
        var error = (CdnRateLimitedException)Map((HttpStatusCode)429, "", ("Fastly-RateLimit-Reset", Now.AddMinutes(-1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.Zero, error.RetryAfter);
    }
}

public class RetryPolicyTests
{
    private static HttpRequestMessage Request(HttpMethod method, string path) => new(method, new Uri("https://api.fastly.com/" + path));

    private static HttpResponseMessage Response(int status, bool retryAfter = false)
    {
        var r = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter)
        {
            r.Headers.TryAddWithoutValidation("Retry-After", "1");
        }

        return r;
    }

    [Theory]
    [InlineData("GET", "service/x", true)]
    [InlineData("DELETE", "service/x", true)]
    [InlineData("PUT", "service/x/version/2/activate", true)]
    [InlineData("PUT", "service/x/version/2/clone", false)]
    [InlineData("POST", "service", false)]
    [InlineData("POST", "service/x/version/1/backend", false)]
    [InlineData("PATCH", "service/x/acl/a/entries", false)]
    [InlineData("POST", "purge/www.example.com/a.png", true)]
    [InlineData("POST", "service/x/purge", true)]
    [InlineData("POST", "service/x/purge_all", true)]
    public void IsIdempotent_ByMethodAndPath(string method, string path, bool expected)
    {
        Assert.Equal(expected, FastlyRetryPolicy.IsIdempotent(Request(new HttpMethod(method), path)));
    }

    [Theory]
    [InlineData("GET", 503, false, true)]
    [InlineData("GET", 500, false, true)]
    [InlineData("GET", 400, false, false)]
    [InlineData("GET", 429, false, false)]
    [InlineData("GET", 429, true, true)]
    [InlineData("POST", 503, false, false)]
    [InlineData("POST", 500, false, false)]
    [InlineData("POST", 503, true, true)]
    [InlineData("POST", 429, true, true)]
    [InlineData("POST", 429, false, false)]
    public void ShouldRetry_Response(string method, int status, bool retryAfter, bool expected)
    {
        var path = method == "GET" ? "service/x" : "service";

        Assert.Equal(expected, FastlyRetryPolicy.ShouldRetry(Request(new HttpMethod(method), path), Response(status, retryAfter), null));
    }

    [Theory]
    [InlineData("purge/www.example.com/a.png")]
    [InlineData("service/x/purge")]
    [InlineData("service/x/purge_all")]
    public void ShouldRetry_PurgeRefusedWith429_IsLeftToThePurgeOperation(string path)
    {
        Assert.False(FastlyRetryPolicy.ShouldRetry(Request(HttpMethod.Post, path), Response(429, retryAfter: true), null));
        Assert.True(FastlyRetryPolicy.ShouldRetry(Request(HttpMethod.Post, path), Response(503, retryAfter: true), null));
    }

    [Fact]
    public void ShouldRetry_ConnectionFailure_OnlyForIdempotentRequests()
    {
        Assert.True(FastlyRetryPolicy.ShouldRetry(Request(HttpMethod.Get, "service/x"), null, new HttpRequestException("reset")));
        Assert.False(FastlyRetryPolicy.ShouldRetry(Request(HttpMethod.Post, "service"), null, new HttpRequestException("reset")));
        Assert.False(FastlyRetryPolicy.ShouldRetry(null, null, new HttpRequestException("reset")));
    }
}

public class OptionsTests
{
    [Fact]
    public void ToString_NeverShowsTheToken()
    {
        var options = new FastlyCdnProviderOptions { ApiToken = FastlyMock.Token };

        Assert.DoesNotContain(FastlyMock.Token, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("(set, hidden)", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_RequireOnlyTheToken()
    {
        var problems = new FastlyCdnProviderOptions().Validate();

        Assert.Contains("ApiToken is required", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Empty(new FastlyCdnProviderOptions { ApiToken = "t" }.Validate());
    }

    [Fact]
    public void Validate_RelativeBaseAddress_IsAProblem()
    {
        var problems = new FastlyCdnProviderOptions { ApiToken = "t", BaseAddress = new Uri("/api", UriKind.Relative) }.Validate();

        Assert.Contains("BaseAddress", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithoutTheToken()
    {
        var error = Assert.Throws<ArgumentException>(() => new FastlyCdnProvider(new HttpClient(), new FastlyCdnProviderOptions { ApiToken = "has space" }));

        Assert.DoesNotContain("has space", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_BaseAddressWithPath_KeepsThePath()
    {
        var mock = new RichardSzalay.MockHttp.MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, "http://127.0.0.1:5000/fastly/service/search").Respond(HttpStatusCode.NotFound);
        var options = new FastlyCdnProviderOptions { ApiToken = "t", BaseAddress = new Uri("http://127.0.0.1:5000/fastly") };
        var provider = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options, mock), options);

        Assert.Null(await provider.GetServiceAsync(new ServiceReference("svc-1")));
        mock.VerifyNoOutstandingExpectation();
    }
}
