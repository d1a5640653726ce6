using System.Globalization;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Cloudflare.Internal.Api;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>
/// The offline plan (no I/O): the capability check and <see cref="CloudflareTranslator.Translate"/>, once. Its documents
/// are the custom hostname bodies and each phase's rules, as apply sends them (<c>{service_id}</c> stands for the id in
/// <see cref="ICdnProvider.PlanService"/>).
/// </summary>
internal sealed class CloudflarePlanner(string providerName, CdnCapabilities capabilities, CloudflareTranslator translator)
{
    /// <summary>The service id shown by <see cref="ICdnProvider.PlanService"/>, which has none.</summary>
    public const string PlanServiceId = "{service_id}";

    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = CloudflareRequests.WriterOptions.Encoder };

    /// <summary>Plans a validated, normalised spec for a service id.</summary>
    public CloudflarePlan Plan(string serviceId, ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = CapabilityChecker.Check(spec, capabilities, providerName).ToList();
        var (config, translation) = translator.Translate(serviceId, spec);
        problems.AddRange(translation);
        if (problems.Count > 0 || config is null)
        {
            return new CloudflarePlan(ProviderPlan.Invalid(providerName, problems), null);
        }

        return new CloudflarePlan(ProviderPlan.Valid(providerName, Summary(config), Documents(config)), config);
    }

    /// <summary>Validates and plans: everything that can fail before a vendor call.</summary>
    /// <exception cref="CdnValidationException">The spec is invalid, or Cloudflare cannot honour it.</exception>
    public (ServiceSpec Normalized, CloudflareConfig Desired) Prepare(string serviceId, ServiceSpec spec, ValidationMode mode)
    {
        var normalized = ServiceSpecValidator.Validate(spec, mode).GetNormalizedOrThrow();
        var plan = Plan(serviceId, normalized);
        plan.Plan.EnsureValid();
        return (normalized, plan.Config!);
    }

    private static string Summary(CloudflareConfig config) => string.Create(
        CultureInfo.InvariantCulture,
        $"{config.Hostnames.Count} custom hostname(s) on the SaaS zone; {config.InPhase(Phases.Origin).Count()} origin rule(s), {config.InPhase(Phases.Cache).Count()} cache rule(s), {config.InPhase(Phases.Firewall).Count()} custom firewall rule(s)");

    private static List<PlanDocument> Documents(CloudflareConfig config)
    {
        var documents = new List<PlanDocument>
        {
            Document("custom_hostnames", w =>
            {
                w.WriteStartArray();
                foreach (var h in config.Hostnames)
                {
                    CloudflareRequests.WriteHostname(w, h, includeHostname: true);
                }

                w.WriteEndArray();
            }),
        };
        foreach (var phase in Phases.All)
        {
            documents.Add(Document("rules/" + phase, w =>
            {
                w.WriteStartArray();
                foreach (var rule in config.InPhase(phase))
                {
                    CloudflareRequests.WriteRule(w, rule, position: null);
                }

                w.WriteEndArray();
            }));
        }

        return documents;
    }

    private static PlanDocument Document(string name, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            write(writer);
        }

        return new PlanDocument(name, "application/json", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
