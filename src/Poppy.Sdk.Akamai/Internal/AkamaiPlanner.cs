using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>The offline plan (no I/O): the capability check and the translator, once.</summary>
internal sealed class AkamaiPlanner(string providerName, CdnCapabilities capabilities, AkamaiTranslator translator)
{
    /// <summary>The service id an offline plan shows when no service is named yet (<c>PlanService</c>).</summary>
    public const string PlanServiceId = "{service_id}";

    public AkamaiTranslator Translator => translator;

    /// <summary>Plans a validated, normalised spec for a service: every problem at once (the translator's word wins where both speak of one field).</summary>
    public (AkamaiPlan Plan, IReadOnlyList<ValidationProblem> Problems) Plan(string serviceId, ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var translated = translator.Problems(spec);
        var paths = translated.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var problems = CapabilityChecker.Check(spec, capabilities, providerName)
            .Where(p => !paths.Contains(p.Path))
            .Concat(translated.Select(p => p with { Provider = providerName }))
            .ToList();
        return (new AkamaiPlan(serviceId, spec, translator), problems);
    }

    /// <summary>The public plan of a spec, before any service exists (model validation included).</summary>
    public ProviderPlan Plan(ServiceSpec spec)
    {
        var validation = ServiceSpecValidator.Validate(spec, ValidationMode.Create);
        if (!validation.IsValid)
        {
            return ProviderPlan.Invalid(providerName, validation.Problems);
        }

        var (plan, problems) = Plan(PlanServiceId, validation.Normalized!);
        return problems.Count > 0 ? ProviderPlan.Invalid(providerName, problems) : ProviderPlan.Valid(providerName, plan.Summary(), plan.Documents());
    }

    /// <summary>Validates and plans — everything that can fail before a vendor call.</summary>
    /// <exception cref="CdnValidationException">The spec is invalid, or Akamai cannot honour it.</exception>
    public (ServiceSpec Normalized, AkamaiPlan Plan) Prepare(string serviceId, ServiceSpec spec, ValidationMode mode)
    {
        if (ServiceStamp.Problem(serviceId) is { } stamp)
        {
            throw new ArgumentException(stamp, nameof(serviceId));
        }

        var normalized = ServiceSpecValidator.Validate(spec, mode).GetNormalizedOrThrow();
        var (plan, problems) = Plan(serviceId, normalized);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(ProviderPlan.Invalid(providerName, problems).Problems);
        }

        return (normalized, plan);
    }
}
