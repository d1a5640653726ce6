using System.Globalization;

namespace Poppy.Sdk.Emulator;

/// <summary>Parses the standalone emulator's arguments.</summary>
public static class EmulatorCommandLine
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        Usage: dotnet run --project src/Poppy.Sdk.Emulator -- [options]

          --port N                 Port on 127.0.0.1 (default 5080; 0 picks a free one).
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
          -h, --help               Show this help.

        On start it prints one line per vendor: the vendor, then name=value pairs, e.g.
          fastly base_url=http://127.0.0.1:5080 api_token=emulator-fastly-key
          cloudfront base_url=http://127.0.0.1:5080 access_key_id=AKIDPOPPYEMULATOR secret_access_key=emulator-cloudfront-secret-access-key
          akamai base_url=http://127.0.0.1:5080 host=127.0.0.1:5080 client_token=akab-emulator-client-token client_secret=emulator-akamai-client-secret= access_token=akab-emulator-access-token
          cloudflare base_url=http://127.0.0.1:5080/client/v4 api_token=emulator-cloudflare-token zone_id=20e00000000000000000000000000e01 account_id=ac00000000000000000000000000e0a1
        """;

    /// <summary>Parses arguments into options.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="options">The options, when parsed.</param>
    /// <param name="error">What is wrong, when not; null with no options means help was asked for.</param>
    /// <returns>True when the emulator should start.</returns>
    public static bool TryParse(IReadOnlyList<string> args, out CdnEmulatorOptions options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new CdnEmulatorOptions { Port = 5080 };
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                return false;
            }

            if (i + 1 >= args.Count)
            {
                error = $"'{arg}' needs a value or is not an option.";
                return false;
            }

            var value = args[++i];
            switch (arg)
            {
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                    options.Port = port;
                    break;
                case "--deploy-delay" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                    options.DeployDelay = TimeSpan.FromSeconds(seconds);
                    break;
                case "--fastly-api-token" when !string.IsNullOrWhiteSpace(value):
                    options.Fastly.ApiToken = value;
                    break;
                case "--cloudfront-access-key-id" when IsToken(value):
                    options.CloudFront.AccessKeyId = value;
                    break;
                case "--cloudfront-secret-access-key" when IsToken(value):
                    options.CloudFront.SecretAccessKey = value;
                    break;
                case "--cloudfront-invalidation-delay" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var invalidationSeconds) && invalidationSeconds >= 0:
                    options.CloudFront.InvalidationDelay = TimeSpan.FromSeconds(invalidationSeconds);
                    break;
                case "--akamai-client-token" when IsToken(value):
                    options.Akamai.ClientToken = value;
                    break;
                case "--akamai-client-secret" when IsToken(value):
                    options.Akamai.ClientSecret = value;
                    break;
                case "--akamai-access-token" when IsToken(value):
                    options.Akamai.AccessToken = value;
                    break;
                case "--cloudflare-api-token" when IsToken(value):
                    options.Cloudflare.ApiToken = value;
                    break;
                case "--cloudflare-plan" when Enum.TryParse<Cloudflare.CloudflarePlan>(value, ignoreCase: true, out var plan) && !int.TryParse(value, out _):
                    options.Cloudflare.Plan = plan;
                    break;
                case "--cloudflare-validation" when value is "auto" or "manual":
                    options.Cloudflare.AutoValidate = value == "auto";
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed):
                    options.Seed = seed;
                    break;
                default:
                    error = $"Bad option or value: {arg} {value}";
                    return false;
            }
        }

        return true;
    }

    /// <summary>A credential value: not blank and without white space (the vendor lines are split on spaces).</summary>
    private static bool IsToken(string value) => value.Length > 0 && !value.Any(char.IsWhiteSpace);
}
