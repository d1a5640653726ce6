using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// The offline plan (no I/O): the capability check and <see cref="CloudFrontTranslator.Plan"/>, once. Its payloads are the
/// <c>DistributionConfig</c> XML and the viewer-request function's code (<see cref="CloudFrontPlan.Documents"/>).
/// </summary>
internal sealed class CloudFrontPlanner(string providerName, CdnCapabilities capabilities, CloudFrontTranslator translator)
{
    /// <summary>The service id an offline plan shows when no service is named yet (<c>PlanService</c>).</summary>
    public const string PlanServiceId = "{service_id}";

    /// <summary>Plans a validated, normalised spec for a service: every problem at once (the translator's word wins where both speak of one field).</summary>
    public (CloudFrontPlan Plan, IReadOnlyList<ValidationProblem> Problems) Plan(string serviceId, ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var (plan, translated) = translator.Plan(serviceId, spec);
        var paths = translated.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var problems = CapabilityChecker.Check(spec, capabilities, providerName)
            .Where(p => !paths.Contains(p.Path))
            .Select(p => p.Path.EndsWith("/certificate", StringComparison.Ordinal) ? p with { Remedy = p.Remedy + " (custom and sni need CloudFront:AcmCertificateArn)" } : p)
            .Concat(translated)
            .ToList();
        return (plan, problems);
    }

    /// <summary>The public plan of a spec, before any service exists.</summary>
    public ProviderPlan Plan(ServiceSpec spec)
    {
        var (plan, problems) = Plan(PlanServiceId, spec);
        return problems.Count > 0 ? ProviderPlan.Invalid(providerName, problems) : ProviderPlan.Valid(providerName, plan.Summary(), plan.Documents());
    }

    /// <summary>Validates and plans — everything that can fail before a vendor call.</summary>
    /// <exception cref="CdnValidationException">The spec is invalid, or CloudFront cannot honour it.</exception>
    public (ServiceSpec Normalized, CloudFrontPlan Plan) Prepare(string serviceId, ServiceSpec spec, ValidationMode mode)
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
