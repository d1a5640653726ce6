namespace Poppy.Sdk.Emulator.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void TryParse_Options_AreApplied()
    {
        Assert.True(EmulatorCommandLine.TryParse(["--port", "0", "--deploy-delay", "2.5", "--fastly-key", "k1", "--seed", "7"], out var options, out var error));

        Assert.Null(error);
        Assert.Equal(0, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.DeployDelay);
        Assert.Equal("k1", options.Fastly.ApiKey);
        Assert.Equal(7, options.Seed);
    }

    [Fact]
    public void TryParse_Defaults_Port5080AndDocumentedKey()
    {
        Assert.True(EmulatorCommandLine.TryParse([], out var options, out _));

        Assert.Equal(5080, options.Port);
        Assert.Equal("emulator-fastly-key", options.Fastly.ApiKey);
    }

    [Theory]
    [InlineData("--port", "x")]
    [InlineData("--port", "70000")]
    [InlineData("--frob", "1")]
    [InlineData("--port")]
    public void TryParse_BadArguments_ReportError(params string[] args)
    {
        Assert.False(EmulatorCommandLine.TryParse(args, out _, out var error));

        Assert.NotNull(error);
    }

    [Fact]
    public void TryParse_Help_ReturnsFalseWithoutError()
    {
        Assert.False(EmulatorCommandLine.TryParse(["--help"], out _, out var error));

        Assert.Null(error);
    }

    [Fact]
    public async Task DescribeVendors_PrintsScriptableLinePerVendor()
    {
        await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { Fastly = { ApiKey = "secret-for-test" } });

        var line = Assert.Single(emulator.DescribeVendors());

        Assert.Matches(@"^fastly base_url=http://127\.0\.0\.1:\d+ api_key=secret-for-test$", line);
    }
}
