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
        Assert.Equal(System.Net.IPAddress.Loopback, options.Host);
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

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("127.0.0.1")]
    [InlineData("::")]
    public void TryParse_Host_IsApplied(string host)
    {
        Assert.True(EmulatorCommandLine.TryParse(["--host", host, "--port", "0"], out var options, out var error));

        Assert.Null(error);
        Assert.Equal(System.Net.IPAddress.Parse(host), options.Host);
    }

    [Theory]
    [InlineData("--host", "localhost", "poppy-emulator: --host: 'localhost' is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::).")]
    [InlineData("--host", "999.1.1.1", "poppy-emulator: --host: '999.1.1.1' is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::).")]
    [InlineData("--port", "70000", "poppy-emulator: --port: '70000' is not a port number (0 to 65535).")]
    [InlineData("--port", "-1", "poppy-emulator: --port: '-1' is not a port number (0 to 65535).")]
    [InlineData("--deploy-delay", "soon", "poppy-emulator: --deploy-delay: 'soon' is not a number of seconds (0 or more).")]
    [InlineData("--seed", "1.5", "poppy-emulator: --seed: '1.5' is not a whole number.")]
    [InlineData("--fastly-api-token", " ", "poppy-emulator: --fastly-api-token: the value must not be blank or contain white space.")]
    [InlineData("--frob", "1", "poppy-emulator: unknown option '--frob'.")]
    [InlineData("--host", null, "poppy-emulator: '--host' needs a value.")]
    public async Task RunAsync_BadValue_SaysWhatIsWrongOnStderrAndExitsTwo(string option, string? value, string message)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EmulatorCommandLine.RunAsync(value is null ? [option] : [option, value], stdout, stderr);

        Assert.Equal(2, code);
        Assert.Equal(EmulatorCommandLine.UsageError, code);
        Assert.Empty(stdout.ToString());
        var lines = stderr.ToString().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(message, lines[0]);
        Assert.Equal("Usage: poppy-emulator [options]", lines[1]);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task RunAsync_Help_ListsEveryOptionOnStdoutAndExitsZero(string help)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EmulatorCommandLine.RunAsync(["--port", "1", help], stdout, stderr);

        Assert.Equal(0, code);
        Assert.Empty(stderr.ToString());
        foreach (var option in new[] { "--host ADDRESS", "--port N", "--deploy-delay SECONDS", "--fastly-api-token KEY", "--cloudfront-access-key-id ID", "--cloudfront-secret-access-key SECRET", "--cloudfront-invalidation-delay SECONDS", "--seed N", "--version", "-h, --help" })
        {
            Assert.Contains(option, stdout.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_Version_PrintsTheVersionAndExitsZero()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EmulatorCommandLine.RunAsync(["--version"], stdout, stderr);

        Assert.Equal(0, code);
        Assert.Empty(stderr.ToString());
        Assert.Matches(@"^poppy-emulator \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\r?\n$", stdout.ToString());
    }

    [Fact]
    public async Task RunAsync_Host_ServesThereAndPrintsItsBaseUrlUntilCancelled()
    {
        using var stdout = new LineWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource();

        var run = EmulatorCommandLine.RunAsync(["--host", "127.0.0.1", "--port", "0"], stdout, stderr, stop.Token);
        var fastly = await stdout.FirstLineStartingWithAsync("fastly ");
        var baseUrl = fastly.Split(' ')[1]["base_url=".Length..];
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/service");
        request.Headers.Add("Fastly-Key", "emulator-fastly-key");
        using var response = await http.SendAsync(request);
        stop.Cancel();

        Assert.StartsWith("http://127.0.0.1:", baseUrl, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await run);
        Assert.Empty(stderr.ToString());
    }

    [Theory]
    [InlineData("0.0.0.0", "127.0.0.1")]      // all interfaces: reached through this machine's loopback
    [InlineData("::", "[::1]")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("10.1.2.3", "10.1.2.3")]
    [InlineData("fe80::1", "[fe80::1]")]
    public void ReachableHost_ListenAddress_IsTheBaseUrlHost(string listen, string baseUrlHost)
    {
        Assert.Equal(baseUrlHost, CdnEmulator.ReachableHost(System.Net.IPAddress.Parse(listen)));
    }

    [Fact]
    public async Task RunAsync_PortTaken_SaysSoAndExitsOne()
    {
        await using var first = await CdnEmulator.StartAsync();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await EmulatorCommandLine.RunAsync(["--port", first.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], stdout, stderr);

        Assert.Equal(EmulatorCommandLine.CannotListen, code);
        Assert.StartsWith($"poppy-emulator: cannot listen on 127.0.0.1 port {first.BaseAddress.Port}", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A writer whose lines can be awaited as the code under test writes them.</summary>
    private sealed class LineWriter : StringWriter
    {
        private readonly object _gate = new();
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task WriteLineAsync(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
                _next.TrySetResult();
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return Task.CompletedTask;
        }

        public async Task<string> FirstLineStartingWithAsync(string prefix)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (true)
            {
                Task next;
                lock (_gate)
                {
                    var line = ToString().ReplaceLineEndings("\n").Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
                    if (line is not null)
                    {
                        return line;
                    }

                    next = _next.Task;
                }

                await next.WaitAsync(timeout.Token);
            }
        }
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
