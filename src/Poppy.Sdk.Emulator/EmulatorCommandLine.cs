using System.Globalization;
using System.Net;
using System.Reflection;

namespace Poppy.Sdk.Emulator;

/// <summary>The standalone emulator's command line (<c>poppy-emulator</c>): parses the arguments and runs.</summary>
public static class EmulatorCommandLine
{
    /// <summary>Exit code: the emulator ran and was stopped, or help or the version was shown.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: the emulator could not listen (the port is taken, the address is not this machine's).</summary>
    public const int CannotListen = 1;

    /// <summary>Exit code: a bad option or value.</summary>
    public const int UsageError = 2;

    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: poppy-emulator [options]
           or, from a clone: dotnet run --project src/Poppy.Sdk.Emulator -- [options]

          --host ADDRESS           IP address to listen on (default 127.0.0.1; 0.0.0.0 in a container
                                   whose port is published).
          --port N                 Port (default 5080; 0 picks a free one).
          --deploy-delay SECONDS   How long asynchronous deployments take (default 10), such as
                                   CloudFront's InProgress -> Deployed, Akamai's PENDING -> ACTIVE,
                                   Cloudflare's custom hostnames pending -> active.
          --fastly-api-token KEY   The Fastly API token to accept (default emulator-fastly-key).
          --cloudfront-access-key-id ID
                                   The AWS access key id CloudFront requests are signed with
                                   (default AKIDPOPPYEMULATOR).
          --cloudfront-secret-access-key SECRET
                                   The AWS secret access key Signature V4 is verified with
                                   (default emulator-cloudfront-secret-access-key).
          --cloudfront-invalidation-delay SECONDS
                                   How long CloudFront invalidations take (default 30).
          --akamai-client-token TOKEN
                                   The EdgeGrid client token (default akab-emulator-client-token).
          --akamai-client-secret SECRET
                                   The EdgeGrid client secret signatures are verified with
                                   (default emulator-akamai-client-secret=).
          --akamai-access-token TOKEN
                                   The EdgeGrid access token (default akab-emulator-access-token).
          --cloudflare-api-token TOKEN
                                   The Cloudflare API token to accept as a bearer token
                                   (default emulator-cloudflare-token).
          --cloudflare-plan PLAN   free, pro, business or enterprise (default enterprise): the
                                   purge token buckets, files per purge, cache-rule count.
          --cloudflare-validation auto|manual
                                   auto (default): custom hostnames turn active after the deploy
                                   delay; manual: they stay pending (validation never completes).
          --seed N                 Seed of the fault dice (default 1).
          --version                Show the version.
          -h, --help               Show this help.

        On start it prints one line per vendor: the vendor, then name=value pairs, e.g.
          fastly base_url=http://127.0.0.1:5080 api_token=emulator-fastly-key
          cloudfront base_url=http://127.0.0.1:5080 access_key_id=AKIDPOPPYEMULATOR secret_access_key=emulator-cloudfront-secret-access-key
          akamai base_url=http://127.0.0.1:5080 host=127.0.0.1:5080 client_token=akab-emulator-client-token client_secret=emulator-akamai-client-secret= access_token=akab-emulator-access-token
          cloudflare base_url=http://127.0.0.1:5080/client/v4 api_token=emulator-cloudflare-token zone_id=20e00000000000000000000000000e01 account_id=ac00000000000000000000000000e0a1
        and serves until stopped (Ctrl+C). Exit codes: 0 stopped, 1 cannot listen, 2 bad option or value.
        """;

    /// <summary>The emulator's version: the package version (and the commit, in a build from source control).</summary>
    public static string Version { get; } =
        typeof(EmulatorCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EmulatorCommandLine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    private enum Request
    {
        Run,
        Help,
        Version,
        Error,
    }

    /// <summary>Parses arguments into options.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The options, when parsed.</param>
    /// <param name="error">What is wrong, when not; null with a false result means help or the version was asked for.</param>
    /// <returns>True when the emulator should start.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out CdnEmulatorOptions options, out string? error) =>
        Parse(args, out options, out error) == Request.Run;

    /// <summary>
    /// Runs the command line: prints help, the version or a usage error, or starts the emulator, prints one
    /// line per vendor to <paramref name="stdout"/> and serves until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where the vendor lines, help and the version go.</param>
    /// <param name="stderr">Where errors go.</param>
    /// <param name="cancellationToken">Stops the emulator.</param>
    /// <returns>The exit code: <see cref="Ok"/>, <see cref="CannotListen"/> or <see cref="UsageError"/>.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        switch (Parse(args, out var options, out var error))
        {
            case Request.Help:
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return Ok;
            case Request.Version:
                await stdout.WriteLineAsync("poppy-emulator " + Version).ConfigureAwait(false);
                return Ok;
            case Request.Error:
                await stderr.WriteLineAsync("poppy-emulator: " + error).ConfigureAwait(false);
                await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
                return UsageError;
        }

        CdnEmulator emulator;
        try
        {
            emulator = await CdnEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"poppy-emulator: cannot listen on {options.Host} port {options.Port}: {e.Message}").ConfigureAwait(false);
            return CannotListen;
        }

        await using (emulator.ConfigureAwait(false))
        {
            foreach (var line in emulator.DescribeVendors())
            {
                await stdout.WriteLineAsync(line).ConfigureAwait(false);
            }

            await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return Ok;
    }

    private static Request Parse(IReadOnlyList<string> args, out CdnEmulatorOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new CdnEmulatorOptions { Port = 5080 };
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "-h" or "--help":
                    return Request.Help;
                case "--version":
                    return Request.Version;
                case "--host" or "--port" or "--deploy-delay" or "--fastly-api-token" or "--cloudfront-access-key-id"
                    or "--cloudfront-secret-access-key" or "--cloudfront-invalidation-delay" or "--seed"
                    or "--akamai-client-token" or "--akamai-client-secret" or "--akamai-access-token"
                    or "--cloudflare-api-token" or "--cloudflare-plan" or "--cloudflare-validation":
                    break;
                default:
                    error = $"unknown option '{arg}'.";
                    return Request.Error;
            }

            if (i + 1 >= args.Count)
            {
                error = $"'{arg}' needs a value.";
                return Request.Error;
            }

            var value = args[++i];
            error = Apply(options, arg, value);
            if (error is not null)
            {
                return Request.Error;
            }
        }

        return Request.Run;
    }

    /// <summary>Sets one option; the error, or null when the value is good.</summary>
    private static string? Apply(CdnEmulatorOptions options, string option, string value)
    {
        switch (option)
        {
            case "--host" when IPAddress.TryParse(value, out var host):
                options.Host = host;
                return null;
            case "--host":
                return $"--host: '{value}' is not an IP address (for example 127.0.0.1, 0.0.0.0 or ::).";
            case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                options.Port = port;
                return null;
            case "--port":
                return $"--port: '{value}' is not a port number (0 to 65535).";
            case "--deploy-delay" when Seconds(value) is { } delay:
                options.DeployDelay = delay;
                return null;
            case "--cloudfront-invalidation-delay" when Seconds(value) is { } invalidation:
                options.CloudFront.InvalidationDelay = invalidation;
                return null;
            case "--deploy-delay" or "--cloudfront-invalidation-delay":
                return $"{option}: '{value}' is not a number of seconds (0 or more).";
            case "--fastly-api-token" when !string.IsNullOrWhiteSpace(value):
                options.Fastly.ApiToken = value;
                return null;
            case "--cloudfront-access-key-id" when IsToken(value):
                options.CloudFront.AccessKeyId = value;
                return null;
            case "--cloudfront-secret-access-key" when IsToken(value):
                options.CloudFront.SecretAccessKey = value;
                return null;
            case "--akamai-client-token" when IsToken(value):
                options.Akamai.ClientToken = value;
                return null;
            case "--akamai-client-secret" when IsToken(value):
                options.Akamai.ClientSecret = value;
                return null;
            case "--akamai-access-token" when IsToken(value):
                options.Akamai.AccessToken = value;
                return null;
            case "--cloudflare-api-token" when IsToken(value):
                options.Cloudflare.ApiToken = value;
                return null;
            case "--fastly-api-token" or "--cloudfront-access-key-id" or "--cloudfront-secret-access-key"
                or "--akamai-client-token" or "--akamai-client-secret" or "--akamai-access-token" or "--cloudflare-api-token":
                return $"{option}: the value must not be blank or contain white space.";
            case "--cloudflare-plan" when Enum.TryParse<Cloudflare.CloudflarePlan>(value, ignoreCase: true, out var plan) && !int.TryParse(value, out _):
                options.Cloudflare.Plan = plan;
                return null;
            case "--cloudflare-plan":
                return $"--cloudflare-plan: '{value}' is not a plan (free, pro, business or enterprise).";
            case "--cloudflare-validation" when value is "auto" or "manual":
                options.Cloudflare.AutoValidate = value == "auto";
                return null;
            case "--cloudflare-validation":
                return $"--cloudflare-validation: '{value}' is not auto or manual.";
            case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed):
                options.Seed = seed;
                return null;
            default:
                return $"{option}: '{value}' is not a whole number.";
        }
    }

    private static TimeSpan? Seconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>A credential value: not blank and without white space (the vendor lines are split on spaces).</summary>
    private static bool IsToken(string value) => value.Length > 0 && !value.Any(char.IsWhiteSpace);
}
