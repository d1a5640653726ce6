using System.Net;
using Poppy.Sdk.CloudFront.Internal;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

public class ErrorTests
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
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task StatusMatrix(HttpStatusCode status, string code, string expectedCode, bool transient, Type type)
    {
        using var response = CloudFrontMock.Error(status, code, "Details from CloudFront.");
        var body = await response.Content.ReadAsStringAsync();

        var ex = CloudFrontErrors.FromResponse("cloudfront", "get distribution E1", response, body);

        Assert.IsType(type, ex);
        Assert.Equal(expectedCode, ex.ErrorCode.ToString());
        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(code, ex.VendorErrorCode);
        Assert.Equal("req-err", ex.RequestId);
        Assert.Equal((int)status, ex.Status);
        Assert.Equal($"CloudFront get distribution E1 failed with HTTP {(int)status} {code}: Details from CloudFront.", ex.Message);
    }

    [Fact]
    public void NonXmlBody_StillMapped()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>oops</html>") };
        var ex = CloudFrontErrors.FromResponse("cloudfront", "list distributions", response, "<html>oops</html>");
        Assert.True(ex.IsTransient);
        Assert.Null(ex.VendorErrorCode);
        Assert.Equal("CloudFront list distributions failed with HTTP 502.", ex.Message);
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
