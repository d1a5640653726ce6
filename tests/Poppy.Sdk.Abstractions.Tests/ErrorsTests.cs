namespace Poppy.Sdk.Abstractions.Tests;

public class ErrorsTests
{
    [Fact]
    public void CdnValidationException_Message_ListsEveryProblemWithPathAndProvider()
    {
        var exception = new CdnValidationException(
        [
            new ValidationProblem("/name", "The service name is too short."),
            new ValidationProblem("/origins/1/port", "Port 8080 is not supported.") { Provider = "akamai" },
        ]);

        Assert.Equal(
            "The service spec has 2 problems:" + Environment.NewLine +
            "  /name: The service name is too short." + Environment.NewLine +
            "  /origins/1/port: Port 8080 is not supported. (provider 'akamai')",
            exception.Message);
        Assert.Equal(2, exception.Problems.Count);
    }

    [Fact]
    public void CdnValidationException_PurgeRequestSubject_MessageNamesThePurgeRequest()
    {
        var exception = new CdnValidationException([new ValidationProblem("/items/0", "x")], CdnValidationException.PurgeRequestSubject);

        Assert.StartsWith("The purge request has 1 problem:", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("service spec", exception.Message, StringComparison.Ordinal);
        Assert.Equal("purge request", exception.Subject);
    }

    [Fact]
    public void CdnValidationException_OneProblem_SingularWording() =>
        Assert.StartsWith("The service spec has 1 problem:", new CdnValidationException([new ValidationProblem("/name", "x")]).Message, StringComparison.Ordinal);

    [Fact]
    public void CdnRequestFailedException_ToString_HasDiagnosticFieldsOnly()
    {
        var exception = new CdnRequestFailedException("fastly", "The service was not found.", 404, CdnErrorCode.NotFound, isTransient: false, "404_NOT_FOUND", "req-123");

        var text = exception.ToString();

        Assert.Equal(
            "Poppy.Sdk.CdnRequestFailedException: The service was not found. (provider=fastly, status=404, code=not_found, vendor_code=404_NOT_FOUND, request_id=req-123, transient=false)",
            text);
        foreach (var secretBearing in new[] { "Authorization", "Fastly-Key", "Bearer", "X-Auth", "Signature", "Cookie" })
        {
            Assert.DoesNotContain(secretBearing, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void CdnRequestFailedException_ToString_WithoutResponseAndWithInner()
    {
        var exception = new CdnRequestFailedException("cloudflare", "Connection refused.", null, CdnErrorCode.NetworkError, isTransient: true,
            innerException: new HttpRequestException("No connection could be made."));

        var lines = exception.ToString().Split(Environment.NewLine);

        Assert.Equal("Poppy.Sdk.CdnRequestFailedException: Connection refused. (provider=cloudflare, status=none, code=network_error, transient=true)", lines[0]);
        Assert.Equal(" ---> System.Net.Http.HttpRequestException: No connection could be made.", lines[1]);
    }

    [Fact]
    public void CdnRateLimitedException_CarriesRetryAfterAndIsTransient()
    {
        var exception = new CdnRateLimitedException("akamai", "Too many requests.", TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), exception.RetryAfter);
        Assert.Equal(429, exception.Status);
        Assert.Equal(CdnErrorCode.RateLimited, exception.ErrorCode);
        Assert.True(exception.IsTransient);
        Assert.IsAssignableFrom<CdnRequestFailedException>(exception);
    }

    [Theory]
    [InlineData(400, "invalid_request")]
    [InlineData(422, "invalid_request")]
    [InlineData(401, "unauthorized")]
    [InlineData(403, "forbidden")]
    [InlineData(404, "not_found")]
    [InlineData(410, "not_found")]
    [InlineData(408, "timeout")]
    [InlineData(409, "conflict")]
    [InlineData(412, "precondition_failed")]
    [InlineData(429, "rate_limited")]
    [InlineData(500, "server_error")]
    [InlineData(502, "server_error")]
    [InlineData(503, "service_unavailable")]
    [InlineData(504, "timeout")]
    [InlineData(418, "unknown")]
    public void CdnErrorCode_FromHttpStatus_MapsToNormalisedCode(int status, string expected) =>
        Assert.Equal(expected, CdnErrorCode.FromHttpStatus(status).ToString());

    [Fact]
    public void CdnErrorCode_Equality_ByValue()
    {
        Assert.Equal(CdnErrorCode.Conflict, new CdnErrorCode("conflict"));
        Assert.True(CdnErrorCode.Conflict == new CdnErrorCode("conflict"));
        Assert.True(CdnErrorCode.Conflict != CdnErrorCode.NotFound);
        Assert.Equal("unknown", default(CdnErrorCode).ToString());
        Assert.Throws<ArgumentException>(() => new CdnErrorCode(" "));
    }

    [Fact]
    public void CdnAllProvidersFailedException_Message_ListsEachAttempt()
    {
        var last = new CdnRequestFailedException("cloudfront", "Throttled.", 400, CdnErrorCode.RateLimited, isTransient: true);
        var exception = new CdnAllProvidersFailedException("create",
        [
            new ProviderAttempt("fastly", new TimeoutException("No answer in 30 s.")),
            new ProviderAttempt("cloudfront", last),
        ]);

        Assert.Equal(
            "'create' failed on every provider tried (2):" + Environment.NewLine +
            "  fastly: No answer in 30 s." + Environment.NewLine +
            "  cloudfront: Throttled.",
            exception.Message);
        Assert.Same(last, exception.InnerException);
    }

    [Fact]
    public void ProviderError_FromException_MapsEachKind()
    {
        var failed = ProviderError.FromException(new CdnRequestFailedException("fastly", "Gone.", 404, CdnErrorCode.NotFound, false, "E404", "r-1"));
        Assert.Equal(("not_found", "Gone.", "E404", "r-1", 404, false), (failed.Code, failed.Message, failed.VendorCode, failed.RequestId, failed.HttpStatus, failed.IsTransient));

        Assert.Equal("invalid_request", ProviderError.FromException(new CdnValidationException([new ValidationProblem("/name", "x")])).Code);
        Assert.Equal("cancelled", ProviderError.FromException(new OperationCanceledException()).Code);
        Assert.True(ProviderError.FromException(new TimeoutException("t")).IsTransient);
        Assert.Equal("network_error", ProviderError.FromException(new HttpRequestException("n")).Code);
        Assert.Equal("unknown", ProviderError.FromException(new InvalidOperationException("?")).Code);
    }
}
