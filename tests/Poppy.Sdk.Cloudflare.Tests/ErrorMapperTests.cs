using System.Net;
using Poppy.Sdk.Cloudflare.Internal;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk.Cloudflare.Tests;

public class ErrorMapperTests
{
    private static VendorError Error(int status, string body, HttpResponseMessage? response = null) =>
        new("cloudflare", "get zone 'z'", status, "Reason", body, (response ?? new HttpResponseMessage()).Headers, "ray-1", null);

    [Fact]
    public void Map_Envelope_ReadsEveryErrorAndKeepsTheFirstCode()
    {
        var error = CloudflareErrorMapper.Instance.Map(Error(400, "{\"success\":false,\"errors\":[{\"code\":1004,\"message\":\"DNS Validation Error\"},{\"code\":1009,\"message\":\"Invalid hostname\"}],\"messages\":[],\"result\":null}"));

        Assert.Equal("Cloudflare get zone 'z' failed with HTTP 400 (Reason): DNS Validation Error (code 1004); Invalid hostname (code 1009)", error.Message);
        Assert.Equal(("1004", CdnErrorCode.InvalidRequest, "ray-1"), (error.VendorErrorCode, error.ErrorCode, error.RequestId));
    }

    [Fact]
    public void Map_DuplicateHostname_IsConflict()
    {
        var error = CloudflareErrorMapper.Instance.Map(Error(400, "{\"success\":false,\"errors\":[{\"code\":1406,\"message\":\"Duplicate custom hostname found.\"}]}"));

        Assert.Equal(CdnErrorCode.Conflict, error.ErrorCode);
    }

    [Fact]
    public void Map_ThrottleCodeAtAnyStatus_IsRateLimited()
    {
        var error = CloudflareErrorMapper.Instance.Map(Error(400, "{\"success\":false,\"errors\":[{\"code\":971,\"message\":\"Please wait and consider throttling your request speed\"}]}"));

        Assert.IsType<CdnRateLimitedException>(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("{\"errors\":\"not an array\"}")]
    public void Map_NotAnEnvelope_StillMapsByStatus(string body)
    {
        var error = CloudflareErrorMapper.Instance.Map(Error(502, body));

        Assert.Equal((CdnErrorCode.FromHttpStatus(502), true, (string?)null), (error.ErrorCode, error.IsTransient, error.VendorErrorCode));
    }

    [Theory]
    [InlineData("\"default\";r=0;t=30", 30)]
    [InlineData("\"default\";r=10;t=0", 0)]
    [InlineData("garbage", null)]
    public void RateLimitReset_ReadsTheRatelimitHeader(string header, int? seconds)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Ratelimit", header);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, Poppy.Sdk.Cloudflare.Internal.Api.CloudflareRequests.RateLimitReset(response.Headers, DateTimeOffset.UnixEpoch));
    }

    [Theory]
    [InlineData("GET", "custom_hostnames", 503, true, true)]
    [InlineData("POST", "custom_hostnames", 503, false, false)]
    [InlineData("POST", "custom_hostnames", 503, true, true)]
    [InlineData("POST", "rulesets/r/rules", 502, false, false)]
    [InlineData("PATCH", "rulesets/r/rules/x", 502, false, true)]
    [InlineData("DELETE", "custom_hostnames/h", 500, false, true)]
    [InlineData("POST", "purge_cache", 429, true, false)]
    [InlineData("GET", "custom_hostnames", 429, false, false)]
    [InlineData("GET", "custom_hostnames", 400, false, false)]
    public void RetryPolicy_RepeatsOnlyWhatCannotDuplicateWork(string method, string path, int status, bool retryAfter, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.cloudflare.com/client/v4/zones/z/" + path);
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfter)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(expected, CloudflareRetryPolicy.ShouldRetry(request, response, null));
    }

    [Fact]
    public void RetryPolicy_LostAnswerOfACreate_IsNotRepeated()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "https://api.cloudflare.com/client/v4/zones/z/custom_hostnames");
        using var get = new HttpRequestMessage(HttpMethod.Get, "https://api.cloudflare.com/client/v4/zones/z/custom_hostnames");

        Assert.False(CloudflareRetryPolicy.ShouldRetry(post, null, new HttpRequestException("reset")));
        Assert.True(CloudflareRetryPolicy.ShouldRetry(get, null, new HttpRequestException("reset")));
    }
}
