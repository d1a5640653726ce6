namespace Poppy.Sdk.Akamai.Tests.Integration;

/// <summary>
/// Issue 9, defect 5 for Akamai against the emulator: a client secret the emulator's EdgeGrid verifier refuses (401)
/// leaves no secret, client token or access token in the exception, its <c>ToString()</c>, a <see cref="ProviderError"/>
/// or a log record.
/// </summary>
public sealed class AkamaiCredentialLeakTests : AkamaiEmulatorTestBase
{
    private const string WrongSecret = "d3JvbmctYWthbWFpLXNlY3JldC01YjRhM2MyZDFlMGY=";

    [Fact]
    public async Task CreateServiceAsync_WrongClientSecretOnTheEmulator_NoCredentialInAnyOutput()
    {
        var provider = NewProvider(o => o.ClientSecret = WrongSecret);

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => provider.CreateServiceAsync("leak-1", CreateServiceTests.Normalize(TestSpecs.Simple())));

        Assert.Equal(CdnErrorCode.Unauthorized, error.ErrorCode);
        var options = Emulator.Akamai.Options;
        string[] secrets = [WrongSecret, options.ClientSecret, options.ClientToken, options.AccessToken];
        var records = Logs.GetSnapshot();
        Assert.NotEmpty(records);
        var texts = new List<string> { error.Message, error.ToString(), ProviderError.FromException(error).Message, provider.ToString() ?? "" };
        texts.AddRange(records.SelectMany(r => new[] { r.Message, r.Exception?.ToString() ?? "" }.Concat(r.StructuredState?.Select(kv => kv.Value ?? "") ?? [])));
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
