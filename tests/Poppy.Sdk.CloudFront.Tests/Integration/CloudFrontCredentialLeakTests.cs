using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;

namespace Poppy.Sdk.CloudFront.Tests.Integration;

/// <summary>
/// Issue 9, defect 5: on <c>SignatureDoesNotMatch</c> the emulated CloudFront answers as AWS does, with the canonical
/// request (which carries the <c>x-amz-security-token</c> value) and the string to sign. None of it, and no credential
/// value, may reach an exception, its <c>ToString()</c>, a <see cref="ProviderError"/> or a log record.
/// </summary>
public sealed class CloudFrontCredentialLeakTests : IAsyncLifetime
{
    // Shaped like real STS credentials: a temporary ASIA key id and a long base64 session token with '/', '+' and '='.
    private const string AccessKeyId = "ASIAPOPPYEMULATOR777";
    private const string SessionToken =
        "IQoJb3JpZ2luX2VjEPoppy//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token+0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        + "0123456789abcdefghijklmnopqrstuvwxyz+/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz==";
    private const string WrongSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYWRONGSECRET";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private CdnEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
    {
        TimeProvider = _time,
        CloudFront = { AccessKeyId = AccessKeyId, SessionToken = SessionToken },
    });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private string[] Secrets => [WrongSecret, SessionToken, AccessKeyId, _emulator.CloudFront.SecretAccessKey];

    [Fact]
    public async Task CreateServiceAsync_SignatureDoesNotMatchWithSessionToken_NoSecretOrCanonicalRequestInAnyOutput()
    {
        var provider = Provider(new CloudFrontCdnProviderOptions { AccessKeyId = AccessKeyId, SecretAccessKey = WrongSecret, SessionToken = SessionToken });

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Normalize(TestSpecs.Simple)));

        // The emulator really sent the canonical request with the token: the test provokes the leak it guards against.
        Assert.Single(_emulator.CloudFront.Calls.Calls, c => c.Status == 403);
        Assert.Equal(CdnErrorCode.Unauthorized, error.ErrorCode);
        Assert.Equal("SignatureDoesNotMatch", error.VendorErrorCode);
        Assert.Contains("does not match the signature you provided", error.Message, StringComparison.Ordinal);
        AssertClean(error.Message, error.ToString(), ProviderError.FromException(error).Message);
        AssertClean(LogTexts());
    }

    [Fact]
    public async Task CreateServiceAsync_RotatingCredentialsProvider_ScrubsTheCurrentSessionToken()
    {
        var provider = Provider(new CloudFrontCdnProviderOptions { CredentialsProvider = () => new AwsCredentials(AccessKeyId, WrongSecret, SessionToken) });

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Normalize(TestSpecs.Simple)));

        Assert.Equal("SignatureDoesNotMatch", error.VendorErrorCode);
        AssertClean(error.Message, error.ToString(), ProviderError.FromException(error).Message);
        AssertClean(LogTexts());
    }

    [Fact]
    public async Task CheckAsync_WrongSecretWithSessionToken_EmulatorAnswersWithTheCanonicalRequestAsAwsDoes()
    {
        var options = new CloudFrontCdnProviderOptions { AccessKeyId = AccessKeyId, SecretAccessKey = WrongSecret, SessionToken = SessionToken, BaseAddress = _emulator.BaseAddress };
        using var http = CloudFrontCdnProvider.CreateHttpClient(options, _time);

        using var response = await http.GetAsync(new Uri(_emulator.BaseAddress, "2020-05-31/distribution"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
        Assert.Contains("The Canonical String for this request should have been", body, StringComparison.Ordinal);
        Assert.Contains("x-amz-security-token:" + SessionToken, body, StringComparison.Ordinal);
        Assert.Contains("The String-to-Sign should have been", body, StringComparison.Ordinal);
    }

    private CloudFrontCdnProvider Provider(CloudFrontCdnProviderOptions options)
    {
        options.BaseAddress = _emulator.BaseAddress;
        options.AcmCertificateArn = CloudFrontMock.AcmArn;
        return new CloudFrontCdnProvider(CloudFrontCdnProvider.CreateHttpClient(options, _time), options, _time, new FakeLogger<CloudFrontCdnProvider>(_logs));
    }

    private string[] LogTexts()
    {
        var records = _logs.GetSnapshot();
        Assert.NotEmpty(records);
        return records.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }
            .Concat(r.StructuredState?.Select(kv => kv.Value ?? "") ?? [])).ToArray();
    }

    private void AssertClean(params string[] texts)
    {
        foreach (var text in texts)
        {
            foreach (var secret in Secrets)
            {
                // Not even a piece: a message cut after the first characters of a token would still leak it.
                for (var i = 0; i + 12 <= secret.Length; i += 6)
                {
                    Assert.DoesNotContain(secret.Substring(i, 12), text, StringComparison.Ordinal);
                }
            }

            Assert.DoesNotContain("x-amz-security-token", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Canonical String", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("AWS4-HMAC-SHA256\n", text, StringComparison.Ordinal);
        }
    }
}
