using System.Net;
using System.Text.Json;

namespace Poppy.Sdk.Abstractions.Tests;

public class SecretScrubberTests
{
    private const string AccessKeyId = "ASIAEXAMPLEKEY123456";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string SessionToken = "FwoGZXIvYXdzEN3//////////wEaDPoppy+Token/Example==";
    private const string ApiToken = "fastly-api-token-0123456789abcdef";

    // The shape AWS answers SignatureDoesNotMatch with on its REST APIs (the emulator's CloudFrontAuth writes the same).
    private const string AwsMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n"
        + "The Canonical String for this request should have been\n'GET\n/2020-05-31/distribution\n\nhost:cloudfront.amazonaws.com\nx-amz-date:20261201T090000Z\nx-amz-security-token:" + SessionToken + "\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'\n\n"
        + "The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20261201T090000Z\n20261201/us-east-1/cloudfront/aws4_request\n5f1d0c2a'\n";

    private static readonly SecretScrubber Aws = new(AccessKeyId, SecretAccessKey, SessionToken);

    [Theory]
    [InlineData(AccessKeyId)]
    [InlineData(SecretAccessKey)]
    [InlineData(SessionToken)]
    [InlineData(ApiToken)]
    public void Scrub_EachSecretKind_IsMasked(string secret)
    {
        var scrubber = new SecretScrubber(AccessKeyId, SecretAccessKey, SessionToken, ApiToken);

        var text = scrubber.Scrub($"before {secret} after {secret}.");

        Assert.Equal($"before {SecretScrubber.Mask} after {SecretScrubber.Mask}.", text);
    }

    [Fact]
    public void Scrub_AwsSignatureMismatch_RemovesBothBlocksAndKeepsTheExplanation()
    {
        var text = SecretScrubber.WithoutSecrets.Scrub(AwsMessage);

        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("x-amz-security-token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS4-HMAC-SHA256", text, StringComparison.Ordinal);
        Assert.StartsWith("The request signature we calculated does not match", text, StringComparison.Ordinal);
        Assert.Contains(SecretScrubber.SigningDetailsMask, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_CanonicalRequestWithAQuoteInAHeaderValue_RemovesThroughTheStringToSign()
    {
        var message = AwsMessage.Replace("host:cloudfront", "user-agent:it's'\nhost:cloudfront", StringComparison.Ordinal);

        var text = SecretScrubber.WithoutSecrets.Scrub(message);

        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain("host;x-amz-date", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_CanonicalRequestCutShort_RemovesToTheEnd()
    {
        var cut = AwsMessage[..AwsMessage.IndexOf("x-amz-security-token:", StringComparison.Ordinal)] + "x-amz-security-token:FwoG";

        var text = SecretScrubber.WithoutSecrets.Scrub(cut);

        Assert.EndsWith(SecretScrubber.SigningDetailsMask, text, StringComparison.Ordinal);
        Assert.DoesNotContain("FwoG", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_BlockInsideXmlMessage_RemovesItAndKeepsTheXml()
    {
        var xml = "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>" + AwsMessage + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";

        var text = SecretScrubber.WithoutSecrets.Scrub(xml);

        Assert.DoesNotContain(SessionToken, text, StringComparison.Ordinal);
        Assert.EndsWith("</Message></Error><RequestId>r-1</RequestId></ErrorResponse>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_BlockInsideJsonString_RemovesIt()
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["message"] = AwsMessage, ["code"] = "InvalidSignature" });

        var text = SecretScrubber.WithoutSecrets.Scrub(json);

        Assert.DoesNotContain("x-amz-security-token", text, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"InvalidSignature\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_MessageWithNewlinesAsSpaces_RemovesTheBlocks()
    {
        var flattened = AwsMessage.Replace('\n', ' ');

        var text = SecretScrubber.WithoutSecrets.Scrub(flattened);

        Assert.DoesNotContain("x-amz-security-token", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CanonicalRequest")]
    [InlineData("StringToSign")]
    [InlineData("StringToSignBytes")]
    [InlineData("CanonicalRequestBytes")]
    public void Scrub_S3StyleSigningElements_AreEmptied(string element)
    {
        var xml = $"<Error><Code>SignatureDoesNotMatch</Code><{element}>GET\n/\nx-amz-security-token:abc</{element}><RequestId>r</RequestId></Error>";

        var text = SecretScrubber.WithoutSecrets.Scrub(xml);

        Assert.Equal($"<Error><Code>SignatureDoesNotMatch</Code><{element}>{SecretScrubber.SigningDetailsMask}</{element}><RequestId>r</RequestId></Error>", text);
    }

    [Fact]
    public void Scrub_SecretsUrlEncoded_AreMasked()
    {
        var text = Aws.Scrub(
            $"a={Uri.EscapeDataString(SessionToken)} b={Uri.EscapeDataString(SecretAccessKey).Replace("%2F", "%2f", StringComparison.Ordinal).Replace("%2B", "%2b", StringComparison.Ordinal)} c={WebUtility.UrlEncode(SecretAccessKey)}");

        Assert.Equal($"a={SecretScrubber.Mask} b={SecretScrubber.Mask} c={SecretScrubber.Mask}", text);
    }

    [Fact]
    public void Scrub_SecretsJsonAndXmlEscaped_AreMasked()
    {
        var secret = "tok&en<+/>\"abcdef";
        var scrubber = new SecretScrubber(secret);

        var text = scrubber.Scrub(JsonSerializer.Serialize(secret) + " " + System.Security.SecurityElement.Escape(secret) + " " + secret.Replace("/", "\\/", StringComparison.Ordinal));

        Assert.Equal($"\"{SecretScrubber.Mask}\" {SecretScrubber.Mask} {SecretScrubber.Mask}", text);
    }

    [Fact]
    public void Scrub_OneSecretContainsAnother_MasksTheWholeLongerOne()
    {
        var scrubber = new SecretScrubber("abcdefgh", "xxabcdefghyy");

        Assert.Equal($"[{SecretScrubber.Mask}] [{SecretScrubber.Mask}]", scrubber.Scrub("[xxabcdefghyy] [abcdefgh]"));
    }

    [Fact]
    public void Scrub_SecretsOverlapPartly_MasksTheUnionWithoutLeavingAPiece()
    {
        var scrubber = new SecretScrubber("12345678abcd", "abcdWXYZ9876");

        Assert.Equal($"<{SecretScrubber.Mask}>", scrubber.Scrub("<12345678abcdWXYZ9876>"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("a")]
    [InlineData("key")]
    [InlineData("1234567")]
    public void Scrub_EmptyOrShortSecret_ScrubsNothing(string secret)
    {
        var scrubber = new SecretScrubber(secret, null);
        const string Text = "The key 1234567 is a short one; a  b  c.";

        Assert.Same(Text, scrubber.Scrub(Text));
    }

    [Fact]
    public void Scrub_SecretOfMinimumLength_IsMasked()
    {
        var secret = new string('k', SecretScrubber.MinimumSecretLength);

        Assert.Equal($"x {SecretScrubber.Mask} y", new SecretScrubber(secret).Scrub($"x {secret} y"));
    }

    [Fact]
    public void Scrub_SecretSourceChanges_FollowsTheCurrentValues()
    {
        var current = "first-secret-value";
        var scrubber = new SecretScrubber(() => [current]);

        current = "second-secret-value";

        Assert.Equal($"first-secret-value {SecretScrubber.Mask}", scrubber.Scrub("first-secret-value second-secret-value"));
    }

    [Fact]
    public void Scrub_MoreSecretsForThisText_AreMaskedWithTheConfiguredOnes()
    {
        var text = Aws.Scrub($"sent {ApiToken} configured {SessionToken}", [ApiToken, null, "short"]);

        Assert.Equal($"sent {SecretScrubber.Mask} configured {SecretScrubber.Mask}", text);
    }

    [Fact]
    public void Scrub_SecretSourceThrows_WithholdsTheText()
    {
        var scrubber = new SecretScrubber(() => throw new InvalidOperationException("vault down"));

        var text = scrubber.Scrub("maybe a secret here");

        Assert.DoesNotContain("secret here", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Scrub_NullOrEmptyText_IsEmpty(string? text) => Assert.Equal("", Aws.Scrub(text));

    [Fact]
    public void Scrub_NothingToRemove_ReturnsTheSameText()
    {
        const string Text = "CloudFront get distribution 'E1' failed with HTTP 404 NoSuchDistribution: The specified distribution does not exist.";

        Assert.Same(Text, Aws.Scrub(Text));
    }

    [Fact]
    public void FromException_MessageWithCanonicalRequest_StoresItWithout()
    {
        var error = ProviderError.FromException(new CdnRequestFailedException("cloudfront", AwsMessage, 403, CdnErrorCode.Unauthorized, false, "SignatureDoesNotMatch"));

        Assert.DoesNotContain(SessionToken, error.Message, StringComparison.Ordinal);
        Assert.Equal("SignatureDoesNotMatch", error.VendorCode);
    }

    [Fact]
    public void FromException_UnknownExceptionWithCanonicalRequest_StoresItWithout()
    {
        var error = ProviderError.FromException(new InvalidOperationException(AwsMessage));

        Assert.DoesNotContain(SessionToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_InnerExceptionWithCanonicalRequest_ShowsItWithout()
    {
        var error = new CdnRequestFailedException("p", "failed", null, CdnErrorCode.Unknown, false, innerException: new InvalidOperationException(AwsMessage));

        Assert.DoesNotContain(SessionToken, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AllProvidersFailed_AttemptWithCanonicalRequest_MessageIsWithout()
    {
        var error = new CdnAllProvidersFailedException("create", [new ProviderAttempt("cloudfront", new InvalidOperationException(AwsMessage))]);

        Assert.DoesNotContain(SessionToken, error.Message, StringComparison.Ordinal);
    }
}
