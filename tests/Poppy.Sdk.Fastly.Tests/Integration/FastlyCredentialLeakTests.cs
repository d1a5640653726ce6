using System.Net;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests.Integration;

/// <summary>
/// Issue 9, defect 5 for Fastly: a rejected API token, and vendor text that quotes the token (in <c>msg</c>,
/// <c>detail</c> or a JSON:API error), never reach an exception, its <c>ToString()</c>, a <see cref="ProviderError"/> or
/// a log record.
/// </summary>
public sealed class FastlyCredentialLeakTests : IAsyncLifetime
{
    private const string WrongToken = "wrong-fastly-token-5b4a3c2d1e0f9a8b";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private CdnEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = _time });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task CreateServiceAsync_WrongApiTokenOnTheEmulator_NoTokenInAnyOutput()
    {
        var options = new FastlyCdnProviderOptions { ApiToken = WrongToken, BaseAddress = _emulator.BaseAddress };
        var provider = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(options), options, _time, new FakeLogger<FastlyCdnProvider>(_logs));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Normalize(TestSpecs.Minimal())));

        Assert.Equal(CdnErrorCode.Unauthorized, error.ErrorCode);
        Assert.Contains("Provided credentials are missing or invalid", error.Message, StringComparison.Ordinal);
        AssertClean([WrongToken, _emulator.Fastly.ApiToken], error.Message, error.ToString(), ProviderError.FromException(error).Message);
        AssertClean([WrongToken, _emulator.Fastly.ApiToken], LogTexts(_logs));
    }

    [Theory]
    [InlineData("""{"msg":"Token {0} is not valid","detail":"key {0} has expired"}""")]
    [InlineData("""{"errors":[{"title":"Unauthorized","detail":"Fastly-Key: {0}","code":"bad_key"}]}""")]
    [InlineData("""{"msg":"Unauthorized","detail":"https://api.fastly.com/service?api_token={1}"}""")]
    public async Task CreateServiceAsync_VendorTextQuotesTheToken_NoTokenInAnyOutput(string template)
    {
        var mock = new FastlyMock();
        var body = template.Replace("{0}", FastlyMock.Token, StringComparison.Ordinal).Replace("{1}", Uri.EscapeDataString(FastlyMock.Token), StringComparison.Ordinal);
        mock.Http.Fallback.Respond(HttpStatusCode.Unauthorized, "application/json", body);

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => mock.Provider.CreateServiceAsync("svc-1", TestSpecs.Normalize(TestSpecs.Minimal())));

        Assert.Contains(SecretScrubber.Mask, error.Message, StringComparison.Ordinal);
        AssertClean([FastlyMock.Token], error.Message, error.ToString(), ProviderError.FromException(error).Message);
        AssertClean([FastlyMock.Token], LogTexts(mock.Logger.Collector));
    }

    private static string[] LogTexts(FakeLogCollector logs)
    {
        var records = logs.GetSnapshot();
        Assert.NotEmpty(records);
        return records.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }
            .Concat(r.StructuredState?.Select(kv => kv.Value ?? "") ?? [])).ToArray();
    }

    private static void AssertClean(string[] secrets, params string[] texts)
    {
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                for (var i = 0; i + 12 <= secret.Length; i += 4)
                {
                    Assert.DoesNotContain(secret.Substring(i, 12), text, StringComparison.Ordinal);
                }
            }
        }
    }
}
