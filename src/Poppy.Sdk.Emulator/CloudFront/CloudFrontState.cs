using System.Xml.Linq;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// What the emulated CloudFront holds: distributions, functions, invalidations, the ids issued. One lock
/// (<see cref="Gate"/>) guards it all. Deployments and invalidations finish after a delay on the
/// emulator's clock, computed when asked (no timers).
/// </summary>
internal sealed class CloudFrontState(CloudFrontEmulatorOptions options, TimeProvider time, int seed, Func<TimeSpan> deployDelay)
{
    public const string Deployed = "Deployed";
    public const string InProgress = "InProgress";
    public const string Completed = "Completed";
    public const string Development = "DEVELOPMENT";
    public const string Live = "LIVE";

    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private readonly HashSet<string> _issued = new(StringComparer.Ordinal);
    private readonly Random _ids = new(seed);
    private long _sequence;

    /// <summary>The lock every read and change of the state takes.</summary>
    public object Gate { get; } = new();

    /// <summary>The options (credentials, delays, quotas).</summary>
    public CloudFrontEmulatorOptions Options { get; } = options;

    /// <summary>The emulator's clock.</summary>
    public TimeProvider Time { get; } = time;

    /// <summary>The distributions by id.</summary>
    public Dictionary<string, CloudFrontDistribution> Distributions { get; } = new(StringComparer.Ordinal);

    /// <summary>The functions by name.</summary>
    public Dictionary<string, CloudFrontFunction> Functions { get; } = new(StringComparer.Ordinal);

    /// <summary>Every invalidation, oldest first (also those of distributions deleted since).</summary>
    public List<CloudFrontInvalidation> Invalidations { get; } = [];

    /// <summary>The next number of the creation sequence. Call under the lock.</summary>
    public long NextSequence() => ++_sequence;

    /// <summary>A new unique id: the prefix and 13 upper-case letters or digits (CloudFront's shape); also used for ETags. Call under the lock.</summary>
    public string NewId(char prefix)
    {
        string id;
        do
        {
            id = prefix + NewToken(13);
        }
        while (!_issued.Add(id));
        return id;
    }

    /// <summary>Random upper-case letters and digits. Call under the lock.</summary>
    public string NewToken(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = IdAlphabet[_ids.Next(IdAlphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>The ARN of a resource of this account.</summary>
    public string Arn(string resource) => $"arn:aws:cloudfront::{Options.AccountId}:{resource}";

    /// <summary>The ARN of a function.</summary>
    public string FunctionArn(string name) => Arn("function/" + name);

    /// <summary>A distribution, or <c>NoSuchDistribution</c>. Call under the lock.</summary>
    public CloudFrontDistribution FindDistribution(string id) =>
        Distributions.GetValueOrDefault(id) ?? throw new CloudFrontError("NoSuchDistribution", "The specified distribution does not exist.");

    /// <summary>A function with the stage, or <c>NoSuchFunctionExists</c>. Call under the lock.</summary>
    public CloudFrontFunction FindFunction(string name, string stage)
    {
        var function = Functions.GetValueOrDefault(name);
        return function is null || (stage == Live && function.LiveCode is null)
            ? throw new CloudFrontError("NoSuchFunctionExists", $"The function '{name}' does not exist{(stage == Live ? " in the LIVE stage" : "")}.")
            : function;
    }

    /// <summary><c>InProgress</c> until the deploy delay has passed since the last change, then <c>Deployed</c>.</summary>
    public string DistributionStatus(CloudFrontDistribution d, DateTimeOffset now) => now - d.ChangedAt >= deployDelay() ? Deployed : InProgress;

    /// <summary><c>InProgress</c> until the invalidation delay has passed, then <c>Completed</c>.</summary>
    public string InvalidationStatus(CloudFrontInvalidation i, DateTimeOffset now) => now - i.Created >= Options.InvalidationDelay ? Completed : InProgress;

    /// <summary>How many invalidations of a distribution are in progress. Call under the lock.</summary>
    public int InProgressInvalidations(string distributionId, DateTimeOffset now) =>
        Invalidations.Count(i => i.DistributionId == distributionId && InvalidationStatus(i, now) == InProgress);

    /// <summary><c>UNPUBLISHED</c>, <c>DEPLOYED</c> (associated with a distribution) or <c>UNASSOCIATED</c>. Call under the lock.</summary>
    public string FunctionStatus(CloudFrontFunction f) => f.LiveCode is null ? "UNPUBLISHED" : IsAssociated(f.Name) ? "DEPLOYED" : "UNASSOCIATED";

    /// <summary>Whether a distribution refers to the function. Call under the lock.</summary>
    public bool IsAssociated(string name)
    {
        var arn = FunctionArn(name);
        return Distributions.Values.Any(d => d.Config.Descendants(Ns + "FunctionARN").Any(e => e.Value.Trim() == arn));
    }

    /// <summary>The alternate domain names of a config.</summary>
    public static List<string> Aliases(XElement config) => [.. Items(config.Element(Ns + "Aliases")).Select(a => a.Value.Trim())];

    /// <summary>Whether a config is enabled.</summary>
    public static bool IsEnabled(XElement config) => Text(config, "Enabled")?.Trim() == "true";

    /// <summary>Forgets every distribution, function and invalidation.</summary>
    public void Reset()
    {
        lock (Gate)
        {
            Distributions.Clear();
            Functions.Clear();
            Invalidations.Clear();
        }
    }
}

/// <summary>A distribution held by the emulated CloudFront: its config as the client sent it, ETag, tags.</summary>
internal sealed class CloudFrontDistribution(string id, string arn, string domainName, string callerReference, long sequence)
{
    public string Id { get; } = id;

    public string Arn { get; } = arn;

    public string DomainName { get; } = domainName;

    public string CallerReference { get; } = callerReference;

    public long Sequence { get; } = sequence;

    public required XElement Config { get; set; }

    public required string ETag { get; set; }

    public required DateTimeOffset ChangedAt { get; set; }

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}

/// <summary>An invalidation held by the emulated CloudFront.</summary>
internal sealed record CloudFrontInvalidation(string DistributionId, string Id, string CallerReference, List<string> Paths, DateTimeOffset Created, long Sequence);

/// <summary>A CloudFront Function: its DEVELOPMENT stage, and its LIVE stage once published.</summary>
internal sealed class CloudFrontFunction(string name, DateTimeOffset created)
{
    public string Name { get; } = name;

    public DateTimeOffset Created { get; } = created;

    public required XElement DevelopmentConfig { get; set; }

    public required byte[] DevelopmentCode { get; set; }

    public required string DevelopmentETag { get; set; }

    public required DateTimeOffset DevelopmentModified { get; set; }

    public XElement? LiveConfig { get; set; }

    public byte[]? LiveCode { get; set; }

    public string? LiveETag { get; set; }

    public DateTimeOffset LiveModified { get; set; }

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}
