using System.Net;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk.Akamai.Tests;

public sealed class ErrorMapperTests
{
    private static CdnRequestFailedException Map(int status, string body, string operation = "get property 'prp_1'", TimeSpan? retryAfter = null)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return AkamaiErrorMapper.Instance.Map(new VendorError("akamai", operation, status, "x", body, response.Headers, "trace-1", retryAfter));
    }

    private static string Problem(int status, string type, string title, string detail = "", string extra = "") =>
        $$"""{"type":"https://problems.luna.akamaiapis.net/{{type}}","title":"{{title}}","detail":"{{detail}}","instance":"/papi/v1/x#1","status":{{status}}{{extra}}}""";

    public static TheoryData<int, string, bool> Matrix() => new()
    {
        { 400, "invalid_request", false },
        { 401, "unauthorized", false },
        { 403, "forbidden", false },
        { 404, "not_found", false },
        { 409, "conflict", false },
        { 412, "precondition_failed", false },
        { 413, "invalid_request", false },
        { 422, "invalid_request", false },
        { 500, "server_error", true },
        { 502, "server_error", true },
        { 503, "service_unavailable", true },
        { 504, "timeout", true },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Map_Status_CodeAndTransience(int status, string code, bool transient)
    {
        var e = Map(status, Problem(status, "papi/v1/errors/x", "Something"));
        Assert.Equal(status, e.Status);
        Assert.Equal(transient, e.IsTransient);
        Assert.IsNotType<CdnRateLimitedException>(e);
        Assert.Equal(code, e.ErrorCode.ToString());
    }

    [Fact]
    public void Map_429WithoutLimitKey_RateLimitedTransientWithRetryAfter()
    {
        var e = Assert.IsType<CdnRateLimitedException>(Map(429, Problem(429, "papi/v1/rate-limit", "Too many requests"), retryAfter: TimeSpan.FromSeconds(12)));
        Assert.True(e.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(12), e.RetryAfter);
        Assert.Equal(CdnErrorCode.RateLimited, e.ErrorCode);
    }

    [Fact]
    public void Map_429WithoutRetryAfter_WaitsFiveSeconds() =>
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.IsType<CdnRateLimitedException>(Map(429, """{"httpStatus":429,"title":"Rate Limit exceeded","rateLimit":100,"rateLimitRemaining":0}""")).RetryAfter);

    [Fact]
    public void Map_429WithLimitKey_QuotaNotTransientNamingTheLimit()
    {
        var e = Map(429, Problem(429, "papi/v1/property-hostname-limit", "Limit exceeded", "Too many hostnames.", ""","limitKey":"HOSTS_PER_PROPERTY","instanceKey":"prp_1","limit":1000,"remaining":0"""));
        Assert.IsNotType<CdnRateLimitedException>(e);
        Assert.False(e.IsTransient);
        Assert.Equal(CdnErrorCode.QuotaExceeded, e.ErrorCode);
        Assert.Equal("HOSTS_PER_PROPERTY", e.VendorErrorCode);
        Assert.Contains("HOSTS_PER_PROPERTY", e.Message, StringComparison.Ordinal);
        Assert.Contains("limit 1000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_400InvalidTimestamp_ClockSkewErrorTellingToFixTheClock()
    {
        var e = Map(400, Problem(400, "pep-authn/request-error", "Bad request", "Invalid timestamp"));
        Assert.False(e.IsTransient);
        Assert.Equal(CdnErrorCode.Unauthorized, e.ErrorCode);
        Assert.Contains("clock", e.Message, StringComparison.Ordinal);
        Assert.Contains("NTP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_401SignatureMismatch_SaysToCheckCredentialsAndSigning()
    {
        var e = Map(401, Problem(401, "pep-authn/deny", "Not authorized", "The signature does not match"));
        Assert.Equal(CdnErrorCode.Unauthorized, e.ErrorCode);
        Assert.Equal("deny", e.VendorErrorCode);
        Assert.Contains("AddAkamai()", e.Message, StringComparison.Ordinal);
        Assert.Contains("The signature does not match", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_409ResourceBusy_Transient()
    {
        var e = Map(409, Problem(409, "papi/v0/resource-busy", "Resource busy", "Another edit or activation is in progress."));
        Assert.True(e.IsTransient);
        Assert.True(AkamaiErrorMapper.IsBusy(e));
        Assert.Equal("resource-busy", e.VendorErrorCode);
    }

    [Fact]
    public void Map_500OnDeletingAProperty_NotTransient()
    {
        var e = Map(500, Problem(500, "papi/v0/server-error", "Internal Server Error"), "delete property 'prp_1'");
        Assert.False(e.IsTransient);
        Assert.Contains("deactivate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_CcuBody_UsesTitleDetailAndSupportId()
    {
        var e = Map(403, """{"httpStatus":403,"supportId":"edcp-9","title":"unauthorized arl","detail":"http://x.example/","describedBy":"https://techdocs.akamai.com/purge-cache/reference/api-errors"}""");
        Assert.Equal("edcp-9", e.RequestId);
        Assert.Contains("unauthorized arl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_BodyNotJson_StillMapsTheStatus()
    {
        var e = Map(502, "<html>bad gateway</html>");
        Assert.True(e.IsTransient);
        Assert.Equal("trace-1", e.RequestId);
    }

    [Fact]
    public void IsAlreadyActive_422ActivationUnprocessable_True() =>
        Assert.True(AkamaiErrorMapper.IsAlreadyActive(Map(422, Problem(422, "papi/v0/activation/already-active", "Activation Unprocessable", "Version 1 is already active"))));

    [Theory]
    [InlineData("GET", 503, true)]
    [InlineData("PUT", 502, true)]
    [InlineData("DELETE", 500, false)]
    [InlineData("GET", 500, true)]
    [InlineData("POST", 503, false)]
    [InlineData("GET", 400, false)]
    [InlineData("POST", 429, false)]
    public void RetryPolicy_OnlyRepeatsWhatCannotDuplicateWork(string method, int status, bool retry)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://h/papi/v1/x");
        using var response = new HttpResponseMessage((HttpStatusCode)status) { RequestMessage = request };
        Assert.Equal(retry, AkamaiRetryPolicy.ShouldRetry(request, response, null));
    }

    [Fact]
    public void RetryPolicy_ConnectionFailureOnGet_Retries()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://h/papi/v1/x");
        Assert.True(AkamaiRetryPolicy.ShouldRetry(request, null, new HttpRequestException("reset")));
    }
}
