using System.Net;

namespace Poppy.Sdk.Emulator.Tests.CloudFront;

/// <summary>The access check (CloudFrontAuth): every request to the emulated CloudFront must carry a valid AWS Signature Version 4.</summary>
public sealed class AuthTests : CloudFrontTestBase
{
    [Fact]
    public async Task CorrectlySignedRequest_IsAnswered()
    {
        var response = Expect(await GetAsync("distribution"), HttpStatusCode.OK);

        Assert.Equal(Ns + "DistributionList", response.Xml.Name);
    }

    [Fact]
    public async Task Unsigned_Is403MissingAuthenticationToken_InCloudFrontErrorFormat()
    {
        Signing = Signing with { Sign = false };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "MissingAuthenticationToken");

        Assert.Equal("text/xml", response.ContentType);
        Assert.StartsWith("<?xml version=\"1.0\"?>", response.Text, StringComparison.Ordinal);
        var root = response.Xml;
        Assert.Equal(Ns + "ErrorResponse", root.Name);
        Assert.Equal(["Error", "RequestId"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["Type", "Code", "Message"], root.Element(Ns + "Error")!.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Sender", root.Element(Ns + "Error")!.Element(Ns + "Type")!.Value);
        Assert.Equal("Missing Authentication Token", response.ErrorMessage);
        Assert.False(string.IsNullOrEmpty(response.RequestId));
        Assert.Equal(response.RequestId, response.Value("RequestId"));
    }

    [Fact]
    public async Task UnknownAccessKey_Is403InvalidClientTokenId()
    {
        Signing = Signing with { AccessKeyId = "AKIDSOMEONEELSE" };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "InvalidClientTokenId");

        Assert.Equal("The security token included in the request is invalid.", response.ErrorMessage);
    }

    [Fact]
    public async Task WrongSecret_Is403SignatureDoesNotMatch_WithTheCanonicalRequest()
    {
        Signing = Signing with { SecretAccessKey = "not-the-secret" };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("GET\n/2020-05-31/distribution\n", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretRotatedAtTheEmulator_RefusesTheOldSecret()
    {
        Expect(await GetAsync("distribution"), HttpStatusCode.OK);

        Emulator.CloudFront.Options.SecretAccessKey = "rotated";

        Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task OtherRegion_Is403SignatureDoesNotMatch()
    {
        Signing = Signing with { Region = "eu-west-1" };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        Assert.StartsWith("Credential should be scoped to a valid region", response.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("'eu-west-1'", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherService_Is403SignatureDoesNotMatch()
    {
        Signing = Signing with { Service = "s3" };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        Assert.Equal("Credential should be scoped to correct service: 'cloudfront'. ", response.ErrorMessage);
    }

    [Fact]
    public async Task SignedMoreThan15MinutesAgo_IsExpired()
    {
        Signing = Signing with { ClockOffset = TimeSpan.FromMinutes(-15) - TimeSpan.FromSeconds(1) };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        Assert.Equal("Signature expired: 20261125T101459Z is now earlier than 20261125T101500Z (20261125T103000Z - 15 min.)", response.ErrorMessage);
    }

    [Fact]
    public async Task SignedMoreThan15MinutesAhead_IsNotYetCurrent()
    {
        Signing = Signing with { ClockOffset = TimeSpan.FromMinutes(16) };

        var response = Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        Assert.StartsWith("Signature not yet current: 20261125T104600Z", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-15)]
    [InlineData(15)]
    public async Task SignedWithin15Minutes_IsAccepted(int minutes)
    {
        Signing = Signing with { ClockOffset = TimeSpan.FromMinutes(minutes) };

        Expect(await GetAsync("distribution"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task ClockOfTheEmulator_DecidesExpiry()
    {
        Signing = Signing with { ClockOffset = TimeSpan.FromMinutes(-10) };
        Expect(await GetAsync("distribution"), HttpStatusCode.OK);

        // The client keeps signing "10 minutes ago" relative to a clock that has moved on by 6 minutes more.
        var stale = Time.GetUtcNow() - TimeSpan.FromMinutes(10);
        Time.Advance(TimeSpan.FromMinutes(6));
        Signing = Signing with { ClockOffset = stale - Time.GetUtcNow() };

        Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task BodyChangedAfterSigning_IsSignatureDoesNotMatch()
    {
        var body = Config("tampered").ToString();

        var response = await SendAsync(HttpMethod.Post, "distribution", body, afterSigning: request =>
            request.Content = new StringContent(body.Replace("made by a test", "made by someone else", StringComparison.Ordinal), System.Text.Encoding.UTF8, "text/xml"));

        Expect(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
        Assert.Empty(Emulator.CloudFront.Distributions);
    }

    [Fact]
    public async Task QueryChangedAfterSigning_IsSignatureDoesNotMatch()
    {
        var response = await SendAsync(HttpMethod.Get, "distribution?MaxItems=1", afterSigning: request =>
            request.RequestUri = new Uri(request.RequestUri!.ToString().Replace("MaxItems=1", "MaxItems=2", StringComparison.Ordinal)));

        Expect(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task SignedQuery_IsVerified()
    {
        var response = Expect(await GetAsync("distribution?MaxItems=7&Marker="), HttpStatusCode.OK);

        Assert.Equal("7", response.Value("MaxItems"));
    }

    [Fact]
    public async Task ContentSha256_ThatDoesNotMatchTheBody_IsRefused()
    {
        Signing = Signing with { ContentSha256 = new string('0', 64) };

        var response = Expect(await SendAsync(HttpMethod.Post, "distribution", Config("sha").ToString()), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");

        Assert.Contains("x-amz-content-sha256", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContentSha256_ThatMatches_IsAccepted()
    {
        var body = Config("sha-ok").ToString();
        Signing = Signing with { ContentSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body))) };

        Expect(await SendAsync(HttpMethod.Post, "distribution", body), HttpStatusCode.Created);
    }

    [Fact]
    public async Task SessionToken_WhenNoneIsConfigured_IsRefused()
    {
        Signing = Signing with { SessionToken = "some-token" };

        Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }

    [Fact]
    public async Task MalformedAuthorization_IsIncompleteSignature()
    {
        Signing = Signing with { Sign = false };

        var response = await SendAsync(HttpMethod.Get, "distribution", afterSigning: request =>
            request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDPOPPYEMULATOR/20261125/us-east-1/cloudfront/aws4_request"));

        Expect(response, HttpStatusCode.Forbidden, "IncompleteSignature");
        Assert.Contains("'Signature'", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialDateOtherThanXAmzDate_IsSignatureDoesNotMatch()
    {
        var response = await SendAsync(HttpMethod.Get, "distribution", afterSigning: request =>
        {
            var authorization = request.Headers.GetValues("Authorization").Single();
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("/20261125/", "/20261124/", StringComparison.Ordinal));
        });

        Expect(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
        Assert.StartsWith("Date in Credential scope does not match", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_AreLoggedAsCalls()
    {
        Signing = Signing with { Sign = false };
        await GetAsync("distribution");

        var call = Assert.Single(Emulator.CloudFront.Calls.Calls);

        Assert.Equal(new EmulatorCall("GET", "/2020-05-31/distribution", 403), call);
    }
}

/// <summary>An emulator configured with temporary credentials (a session token).</summary>
public sealed class AuthSessionTokenTests : CloudFrontTestBase
{
    protected override void Configure(CdnEmulatorOptions options) => options.CloudFront.SessionToken = "the-session-token";

    [Fact]
    public async Task MatchingToken_IsAccepted()
    {
        Signing = Signing with { SessionToken = "the-session-token" };

        Expect(await GetAsync("distribution"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task OtherToken_IsInvalidClientTokenId()
    {
        Signing = Signing with { SessionToken = "another-token" };

        Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }

    [Fact]
    public async Task MissingToken_IsInvalidClientTokenId()
    {
        Expect(await GetAsync("distribution"), HttpStatusCode.Forbidden, "InvalidClientTokenId");
    }
}
