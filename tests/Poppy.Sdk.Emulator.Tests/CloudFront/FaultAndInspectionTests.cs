using System.Net;

namespace Poppy.Sdk.Emulator.Tests.CloudFront;

/// <summary>Injected faults in CloudFront's error format; inspection and reset.</summary>
public sealed class FaultAndInspectionTests : CloudFrontTestBase
{
    [Fact]
    public async Task RateLimitNext_Is400Throttling_RateExceeded_ThenNormal()
    {
        Emulator.CloudFront.Faults.RateLimitNext(1, TimeSpan.FromSeconds(5));

        var throttled = await GetAsync("distribution");
        var next = await GetAsync("distribution");

        Expect(throttled, HttpStatusCode.BadRequest, "Throttling");
        Assert.Equal("Rate exceeded", throttled.ErrorMessage);
        Assert.Equal("Sender", throttled.Xml.Descendants(Ns + "Type").Single().Value);
        Assert.Equal("text/xml", throttled.ContentType);
        Expect(next, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(500, "InternalFailure")]
    [InlineData(502, "ServiceUnavailable")]
    public async Task FailNext_5xx_IsAReceiverError(int status, string code)
    {
        Emulator.CloudFront.Faults.FailNext(1, status);

        var response = Expect(await GetAsync("distribution"), (HttpStatusCode)status, code);

        Assert.Equal("Receiver", response.Xml.Descendants(Ns + "Type").Single().Value);
        Assert.Equal(response.RequestId, response.Value("RequestId"));
    }

    [Fact]
    public async Task Faults_AreDecidedBeforeAuthentication_AndOnlyForCloudFront()
    {
        Emulator.CloudFront.Faults.VendorDown = true;
        Signing = Signing with { Sign = false };

        var cloudFront = await GetAsync("distribution");
        using var fastly = new HttpRequestMessage(HttpMethod.Get, "service");
        fastly.Headers.Add("Fastly-Key", Emulator.Fastly.ApiToken);
        using var fastlyResponse = await Http.SendAsync(fastly);

        Expect(cloudFront, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable");
        Assert.Equal(HttpStatusCode.OK, fastlyResponse.StatusCode);
    }

    [Fact]
    public async Task ResetNext_AbortsTheConnection()
    {
        Emulator.CloudFront.Faults.ResetNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync("distribution"));
        Expect(await GetAsync("distribution"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Calls_RecordMethodPathAndStatus()
    {
        var (id, _) = await CreateDistributionAsync(Config("calls-1"));
        await GetAsync($"distribution/{id}");
        await GetAsync("distribution/E000000000000A");

        Assert.Equal(
            [
                new EmulatorCall("POST", "/2020-05-31/distribution", 201),
                new EmulatorCall("GET", $"/2020-05-31/distribution/{id}", 200),
                new EmulatorCall("GET", "/2020-05-31/distribution/E000000000000A", 404),
            ],
            Emulator.CloudFront.Calls.Calls);
        Assert.Equal(2, Emulator.CloudFront.Calls.Count("GET", "/distribution/"));
        Assert.Empty(Emulator.Fastly.Calls.Calls);
    }

    [Fact]
    public async Task Snapshots_ShowDistributionsFunctionsAndInvalidations()
    {
        var arn = await CreateLiveFunctionAsync("inspect");
        var config = Config("inspect-1");
        AssociateFunction(config, arn);
        var (id, etag) = await CreateDistributionAsync(config);
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("r", ["/x"])), HttpStatusCode.Created);

        var distribution = Assert.Single(Emulator.CloudFront.Distributions);
        var function = Assert.Single(Emulator.CloudFront.Functions);
        var invalidation = Assert.Single(Emulator.CloudFront.Invalidations);

        Assert.Equal((id, etag, "InProgress", true, "inspect-1"), (distribution.Id, distribution.ETag, distribution.Status, distribution.Enabled, distribution.CallerReference));
        Assert.Equal($"arn:aws:cloudfront::123456789012:distribution/{id}", distribution.Arn);
        Assert.Equal(("inspect", arn, "cloudfront-js-2.0", "DEPLOYED"), (function.Name, function.Arn, function.Runtime, function.Status));
        Assert.Equal((id, "r", "InProgress"), (invalidation.DistributionId, invalidation.CallerReference, invalidation.Status));
        Assert.Equal(["/x"], invalidation.Paths);

        // A snapshot is a copy: changing it changes nothing held.
        distribution.Config.Element(Ns + "Comment")!.Value = "changed";
        Assert.Equal("made by a test", Emulator.CloudFront.GetDistribution(id)!.Config.Element(Ns + "Comment")!.Value);
    }

    [Fact]
    public async Task Reset_ForgetsEverythingButCredentialsAndFaults()
    {
        await CreateDistributionAsync(Config("reset-1"));
        await CreateLiveFunctionAsync("reset");
        Emulator.CloudFront.Faults.ErrorRate = 0.5;

        Emulator.CloudFront.Reset();

        Assert.Empty(Emulator.CloudFront.Distributions);
        Assert.Empty(Emulator.CloudFront.Functions);
        Assert.Empty(Emulator.CloudFront.Invalidations);
        Assert.Empty(Emulator.CloudFront.Calls.Calls);
        Assert.Equal(0.5, Emulator.CloudFront.Faults.ErrorRate);
        Emulator.CloudFront.Faults.Clear();
        Expect(await SendAsync(HttpMethod.Post, "distribution", Config("reset-1").ToString()), HttpStatusCode.Created);
    }
}
