using System.Globalization;
using System.Text;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>
/// One run of the DESIGN §2.1 rules over a spec: collects every problem with its path and builds the
/// normalised spec alongside. Input may come from JSON, so every reference is treated as possibly null.
/// </summary>
internal sealed partial class SpecValidation
{
    private const int MaxNameLength = 256;
    private const int MinServiceNameLength = 3;
    private const int MaxRequestUrlLength = 1024;
    private const int MaxDomains = 10;
    private const int MaxOrigins = 10;
    private const string CatchAll = "/*";
    private const string DefaultName = "default";

    private readonly ValidationMode _mode;
    private readonly List<ValidationProblem> _problems = [];
    private readonly List<ValidationProblem> _warnings = [];

    // Valid, normalised domains and origin hosts, for the "a domain is not an origin" rule.
    private readonly List<(int Index, string Domain)> _domains = [];
    private readonly Dictionary<string, int> _originHosts = new(StringComparer.Ordinal);

    public SpecValidation(ValidationMode mode) => _mode = mode;

    public IReadOnlyList<ValidationProblem> Problems => _problems;

    public IReadOnlyList<ValidationProblem> Warnings => _warnings;

    public ServiceSpec Run(ServiceSpec spec)
    {
        var name = ServiceName(spec.Name);
        var flavorId = FlavorId(spec.FlavorId);
        var domains = Domains(spec.Domains);
        var origins = Origins(spec.Origins);
        DomainsAreNotOrigins();
        var caching = Caching(spec.Caching);
        var restrictions = Restrictions(spec.Restrictions);
        var logDelivery = spec.LogDelivery;
        if (logDelivery is null)
        {
            Add("/log_delivery", "log_delivery is null; give an object such as {\"enabled\": false}, or leave it out (delivery is then off).");
        }

        return spec with
        {
            Name = name,
            FlavorId = flavorId,
            Domains = domains,
            Origins = origins,
            Caching = caching,
            Restrictions = restrictions,
            LogDelivery = logDelivery ?? LogDelivery.Disabled,
        };
    }

    private void Add(string path, string message) => _problems.Add(new ValidationProblem(path, message));

    /// <summary>Something accepted as Poppy accepted it, but worth telling: reported, never blocking.</summary>
    private void Warn(string path, string message) => _warnings.Add(new ValidationProblem(path, message));

    private static string P(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}/{index}");

    // ---------------------------------------------------------------- name, flavor

    private string ServiceName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (name is null)
        {
            Add("/name", "The service name is missing; give a name of 3–256 characters.");
        }
        else if (trimmed.Length is < MinServiceNameLength or > MaxNameLength)
        {
            Add("/name", $"The service name is {Text.Count(trimmed.Length, "character")} long after trimming; it must have {MinServiceNameLength}–{MaxNameLength}.");
        }

        return trimmed;
    }

    private string FlavorId(string? flavorId)
    {
        var trimmed = flavorId?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            Add("/flavor_id", "The flavor_id is missing; give the name (1–256 characters) of a configured flavor.");
        }
        else if (trimmed.Length > MaxNameLength)
        {
            Add("/flavor_id", $"The flavor_id is {Text.Count(trimmed.Length, "character")} long; it may have at most {MaxNameLength}.");
        }

        return trimmed;
    }

}
