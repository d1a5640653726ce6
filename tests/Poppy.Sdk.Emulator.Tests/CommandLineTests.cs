namespace Poppy.Sdk.Emulator.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void TryParse_Options_AreApplied()
    {
        Assert.True(EmulatorCommandLine.TryParse(["--port", "0", "--deploy-delay", "2.5", "--fastly-api-token", "k1", "--seed", "7"], out var options, out var error));

        Assert.Null(error);
        Assert.Equal(0, options.Port);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.DeployDelay);
        Assert.Equal("k1", options.Fastly.ApiToken);
        Assert.Equal(7, options.Seed);
    }

    [Fact]
    public void TryParse_Defaults_Port5080AndDocumentedKey()
    {
        Assert.True(EmulatorCommandLine.TryParse([], out var options, out _));

        Assert.Equal(5080, options.Port);
        Assert.Equal("emulator-fastly-key", options.Fastly.ApiToken);
        Assert.Equal("AKIDPOPPYEMULATOR", options.CloudFront.AccessKeyId);
        Assert.Equal("emulator-cloudfront-secret-access-key", options.CloudFront.SecretAccessKey);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CloudFront.InvalidationDelay);
        Assert.Equal("akab-emulator-client-token", options.Akamai.ClientToken);
        Assert.Equal("emulator-akamai-client-secret=", options.Akamai.ClientSecret);
        Assert.Equal("akab-emulator-access-token", options.Akamai.AccessToken);
    }

    [Fact]
    public void TryParse_AkamaiOptions_AreApplied()
    {
        Assert.True(EmulatorCommandLine.TryParse(
            ["--akamai-client-token", "akab-ct", "--akamai-client-secret", "c2VjcmV0+/=", "--akamai-access-token", "akab-at"],
            out var options,
            out var error));

        Assert.Null(error);
        Assert.Equal("akab-ct", options.Akamai.ClientToken);
        Assert.Equal("c2VjcmV0+/=", options.Akamai.ClientSecret);
        Assert.Equal("akab-at", options.Akamai.AccessToken);
    }

    [Fact]
    public void TryParse_CloudFrontOptions_AreApplied()
    {
        Assert.True(EmulatorCommandLine.TryParse(
            ["--cloudfront-access-key-id", "AKIDOTHER", "--cloudfront-secret-access-key", "s3cr3t/+x", "--cloudfront-invalidation-delay", "0"],
            out var options,
            out var error));

        Assert.Null(error);
        Assert.Equal("AKIDOTHER", options.CloudFront.AccessKeyId);
        Assert.Equal("s3cr3t/+x", options.CloudFront.SecretAccessKey);
        Assert.Equal(TimeSpan.Zero, options.CloudFront.InvalidationDelay);
    }

    [Fact]
    public void TryParse_CloudflareOptions_AreApplied()
    {
        Assert.True(EmulatorCommandLine.TryParse(
            ["--cloudflare-api-token", "tok-1", "--cloudflare-plan", "Pro", "--cloudflare-validation", "manual"],
            out var options,
            out var error));

        Assert.Null(error);
        Assert.Equal("tok-1", options.Cloudflare.ApiToken);
        Assert.Equal(Poppy.Sdk.Emulator.Cloudflare.CloudflarePlan.Pro, options.Cloudflare.Plan);
        Assert.False(options.Cloudflare.AutoValidate);
    }

    [Fact]
    public void TryParse_CloudflareDefaults_EnterprisePlanAutoValidation()
    {
        Assert.True(EmulatorCommandLine.TryParse([], out var options, out _));

        Assert.Equal("emulator-cloudflare-token", options.Cloudflare.ApiToken);
        Assert.Equal(Poppy.Sdk.Emulator.Cloudflare.CloudflarePlan.Enterprise, options.Cloudflare.Plan);
        Assert.True(options.Cloudflare.AutoValidate);
    }

    [Theory]
    [InlineData("--port", "x")]
    [InlineData("--cloudflare-plan", "gold")]
    [InlineData("--cloudflare-plan", "1")]
    [InlineData("--cloudflare-validation", "sometimes")]
    [InlineData("--cloudflare-api-token", "two words")]
    [InlineData("--port", "70000")]
    [InlineData("--frob", "1")]
    [InlineData("--port")]
    [InlineData("--cloudfront-secret-access-key", "has space")]
    [InlineData("--cloudfront-access-key-id", "")]
    [InlineData("--cloudfront-invalidation-delay", "-1")]
    [InlineData("--akamai-client-secret", "has space")]
    [InlineData("--akamai-access-token", "")]
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
        await using var emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions
        {
            Fastly = { ApiToken = "secret-for-test" },
            CloudFront = { AccessKeyId = "AKIDTEST", SecretAccessKey = "cf-secret" },
            Akamai = { ClientToken = "akab-ct", ClientSecret = "ak-secret", AccessToken = "akab-at" },
            Cloudflare = { ApiToken = "cfl-token", ZoneId = "0123456789abcdef0123456789abcdef", AccountId = "fedcba9876543210fedcba9876543210" },
        });

        var lines = emulator.DescribeVendors();

        Assert.Equal(4, lines.Count);
        Assert.Matches(@"^fastly base_url=http://127\.0\.0\.1:\d+ api_token=secret-for-test$", lines[0]);
        Assert.Equal($"cloudfront base_url={emulator.BaseAddress.ToString().TrimEnd('/')} access_key_id=AKIDTEST secret_access_key=cf-secret", lines[1]);
        Assert.Equal(
            $"akamai base_url={emulator.BaseAddress.ToString().TrimEnd('/')} host=127.0.0.1:{emulator.BaseAddress.Port} client_token=akab-ct client_secret=ak-secret access_token=akab-at",
            lines[2]);
        Assert.Equal(
            $"cloudflare base_url={emulator.BaseAddress.ToString().TrimEnd('/')}/client/v4 api_token=cfl-token zone_id=0123456789abcdef0123456789abcdef account_id=fedcba9876543210fedcba9876543210",
            lines[3]);
    }
}
