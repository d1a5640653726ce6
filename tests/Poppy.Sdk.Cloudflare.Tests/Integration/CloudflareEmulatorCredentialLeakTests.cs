using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;

namespace Poppy.Sdk.Cloudflare.Tests.Integration;

/// <summary>A token the emulated Cloudflare refuses (403, code 10000) reaches no exception, <see cref="ProviderError"/> or log record.</summary>
public sealed class CloudflareEmulatorCredentialLeakTests : IAsyncLifetime
{
    private const string WrongToken = "Yq3vWrongCloudflareToken_0123456789abcdefABCDEF";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private CdnEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = _time });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task CreateServiceAsync_WrongToken_UnauthorizedWithoutTheTokenInAnyOutput()
    {
        var options = new CloudflareCdnProviderOptions
        {
            ApiToken = WrongToken,
            ZoneId = _emulator.Cloudflare.ZoneId,
            CnameTarget = "customers.saas.example.net",
            BaseAddress = new Uri(_emulator.BaseAddress, "client/v4/"),
        };
        var provider = new CloudflareCdnProvider(CloudflareCdnProvider.CreateHttpClient(options), options, _time, new FakeLogger<CloudflareCdnProvider>(_logs));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("svc-1", TestSpecs.Normalize(TestSpecs.Simple())));

        Assert.Single(_emulator.Cloudflare.Calls.Calls, c => c.Status == 403);
        Assert.Equal(CdnErrorCode.Unauthorized, error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Empty(_emulator.Cloudflare.CustomHostnames);
        var records = _logs.GetSnapshot();
        Assert.NotEmpty(records);
        var texts = new[] { error.Message, error.ToString(), ProviderError.FromException(error).Message, options.ToString() }
            .Concat(records.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(kv => kv.Value ?? "") ?? [])));
        foreach (var text in texts)
        {
            foreach (var secret in new[] { WrongToken, _emulator.Cloudflare.ApiToken })
            {
                for (var i = 0; i + 12 <= secret.Length; i += 6)
                {
                    Assert.DoesNotContain(secret.Substring(i, 12), text, StringComparison.Ordinal);
                }
            }
        }
    }
}
