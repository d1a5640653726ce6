using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using Poppy.Sdk.Internal;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class ErrorMapperTests
{
    public static TheoryData<HttpStatusCode, string, string, bool, Type> Matrix => new()
    {
        { HttpStatusCode.BadRequest, "Throttling", "rate_limited", true, typeof(CdnRateLimitedException) },
        { HttpStatusCode.BadRequest, "RequestLimitExceeded", "rate_limited", true, typeof(CdnRateLimitedException) },
        { HttpStatusCode.InternalServerError, "InternalFailure", "server_error", true, typeof(CdnRequestFailedException) },
        { HttpStatusCode.BadGateway, "BadGateway", "server_error", true, typeof(CdnRequestFailedException) },
        { HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "service_unavailable", true, typeof(CdnRequestFailedException) },
        { HttpStatusCode.GatewayTimeout, "GatewayTimeout", "timeout", true, typeof(CdnRequestFailedException) },
        { HttpStatusCode.Conflict, "CNAMEAlreadyExists", "conflict", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.Conflict, "DistributionNotDisabled", "conflict", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.BadRequest, "InvalidArgument", "invalid_request", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.BadRequest, "InconsistentQuantities", "invalid_request", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.PreconditionFailed, "PreconditionFailed", "precondition_failed", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.Forbidden, "AccessDenied", "forbidden", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "unauthorized", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.Forbidden, "InvalidClientTokenId", "unauthorized", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.NotFound, "NoSuchDistribution", "not_found", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.BadRequest, "TooManyDistributionCNAMEs", "quota_exceeded", false, typeof(CdnRequestFailedException) },
        { HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress", "rate_limited", true, typeof(CdnRateLimitedException) },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task StatusMatrix(HttpStatusCode status, string code, string expectedCode, bool transient, Type type)
    {
        using var response = CloudFrontMock.Error(status, code, "Details from CloudFront.");
        var body = await response.Content.ReadAsStringAsync();

        var ex = CloudFrontErrorMapper.Instance.Map(new VendorError("cloudfront", "get distribution E1", (int)status, status.ToString(), body, response.Headers, "req-123", null));

        Assert.IsType(type, ex);
        Assert.Equal(expectedCode, ex.ErrorCode.ToString());
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(code, ex.VendorErrorCode);
        Assert.Equal("req-err", ex.RequestId);
        Assert.Equal((int)status, ex.Status);
        Assert.StartsWith($"CloudFront get distribution E1 failed with HTTP {(int)status} {code}: Details from CloudFront.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonXmlBody_StillMapped()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>oops</html>") };
        var ex = CloudFrontErrorMapper.Instance.Map(new VendorError("cloudfront", "list distributions", 502, "Bad Gateway", "<html>oops</html>", response.Headers, "req-1", null));
        Assert.True(ex.IsTransient);
        Assert.Equal("req-1", ex.RequestId);
        Assert.Null(ex.VendorErrorCode);
        Assert.Equal("CloudFront list distributions failed with HTTP 502.", ex.Message);
    }

    [Fact]
    public async Task Get_SuccessWithBrokenXml_IsMalformedResponse_WithRequestIdAndExcerpt()
    {
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Get, "distribution/E1").Respond(_ => CloudFrontMock.Xml("<Distribution><Id>E1</Id>", etag: "A"));

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.GetServiceAsync(new ServiceReference("svc-1", "E1")));

        Assert.Equal(CdnErrorCode.MalformedResponse, ex.ErrorCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("req-123", ex.RequestId);
        Assert.Contains("a Distribution element", ex.Message, StringComparison.Ordinal);
        Assert.Contains("<Distribution><Id>E1</Id>", ex.Message, StringComparison.Ordinal);
        mock.Verify();
    }

    [Fact]
    public async Task Get_ThrottledWithRetryAfter_RateLimitedWithThatDelay()
    {
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Get, "distribution/E1").Respond(_ =>
        {
            var response = CloudFrontMock.Error(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded");
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            return response;
        });

        var ex = await Assert.ThrowsAsync<CdnRateLimitedException>(() => mock.Provider.GetServiceAsync(new ServiceReference("svc-1", "E1")));

        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Equal("Throttling", ex.VendorErrorCode);
        mock.Verify();
    }

    [Fact]
    public async Task Get_ErrorWithoutXml_RequestIdFromTheHeader()
    {
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Get, "distribution/E1").Respond(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("upstream down") };
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-hdr");
            return response;
        });

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.GetServiceAsync(new ServiceReference("svc-1", "E1")));

        Assert.Equal(("req-hdr", true, 503), (ex.RequestId, ex.IsTransient, ex.Status));
        mock.Verify();
    }

    [Fact]
    public async Task Create_UnsignedClient_SaysHowToSign()
    {
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Post, "distribution?WithTags").Respond(_ => CloudFrontMock.Error(HttpStatusCode.Forbidden, "MissingAuthenticationToken", "Missing Authentication Token"));

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.CreateServiceAsync(CloudFrontMock.ServiceId, TestSpecs.Simple));

        Assert.Equal(CdnErrorCode.Unauthorized, ex.ErrorCode);
        Assert.Contains("CloudFrontCdnProvider.CreateHttpClient", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "Throttling", true)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument", false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", true)]
    [InlineData(HttpStatusCode.Conflict, "CNAMEAlreadyExists", false)]
    [InlineData(HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress", false)]
    public async Task RetryPolicy(HttpStatusCode status, string code, bool retry)
    {
        using var response = CloudFrontMock.Error(status, code);
        Assert.Equal(retry, await CloudFrontRetryPolicy.ShouldRetryAsync(response, null));
    }

    [Fact]
    public async Task SecretNeverInLogsOrErrors()
    {
        var mock = new CloudFrontMock();
        mock.Http.When("*").Respond(_ => CloudFrontMock.Error(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."));

        var ex = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.GetServiceAsync(new ServiceReference("svc-1", "E1")));

        Assert.DoesNotContain(CloudFrontMock.Secret, ex.ToString(), StringComparison.Ordinal);
        Assert.All(mock.Logger.Collector.GetSnapshot(), r => Assert.DoesNotContain(CloudFrontMock.Secret, r.Message + string.Join(",", r.StructuredState ?? []), StringComparison.Ordinal));
        Assert.DoesNotContain(CloudFrontMock.Secret, mock.Options.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(mock.Logger.Collector.GetSnapshot());
    }
}
