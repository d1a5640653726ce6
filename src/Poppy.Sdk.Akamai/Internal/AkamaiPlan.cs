using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// What a spec becomes on Akamai, worked out offline: the property name, the edge hostname, the hostnames and the rule
/// tree. The CP code's number exists only once it is created (or found), so <see cref="Rules"/> is the second, pure step
/// that joins it; the offline plan shows <c>{cp_code}</c>.
/// </summary>
/// <param name="ServiceId">The service (or <c>{service_id}</c> offline).</param>
/// <param name="Spec">The validated, normalised spec.</param>
/// <param name="Translator">The translator that made the plan.</param>
internal sealed record AkamaiPlan(string ServiceId, ServiceSpec Spec, AkamaiTranslator Translator)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string PropertyName => AkamaiTranslator.PropertyName(ServiceId);

    public string EdgeHostname => Translator.EdgeHostname(ServiceId);

    public string EdgeHostnamePrefix => AkamaiTranslator.EdgeHostnamePrefix(ServiceId);

    public IReadOnlyList<HostnameItem> Hostnames => Translator.Hostnames(ServiceId, Spec);

    /// <summary>The rule tree with the CP code's number.</summary>
    public JsonObject Rules(long? cpCode) => Translator.Rules(ServiceId, Spec, cpCode);

    /// <summary>The body of <c>PUT …/rules</c>: the rule tree and the version note (the stamp).</summary>
    public RulesPutRequest RulesRequest(long cpCode) => new(Rules(cpCode), AkamaiTranslator.VersionNote(ServiceId));

    /// <summary>The vendor-native documents: the rules PUT body and the hostnames PUT body, as apply sends them.</summary>
    public IReadOnlyList<PlanDocument> Documents()
    {
        var rules = new JsonObject { ["rules"] = Rules(Translator.Options.CpCodeId), ["comments"] = AkamaiTranslator.VersionNote(ServiceId) };
        return
        [
            new PlanDocument("rules (PUT /papi/v1/properties/{property}/versions/{version}/rules)", "application/vnd.akamai.papirules." + Translator.Options.RuleFormat + "+json", rules.ToJsonString(Indented)),
            new PlanDocument("hostnames (PUT /papi/v1/properties/{property}/versions/{version}/hostnames)", "application/json", JsonSerializer.Serialize(Hostnames, AkamaiJsonContext.Default.IReadOnlyListHostnameItem)),
        ];
    }

    /// <summary>One line saying what would be provisioned.</summary>
    public string Summary()
    {
        var rules = Rules(Translator.Options.CpCodeId);
        var children = (rules["children"] as JsonArray)?.Count ?? 0;
        var cp = Translator.Options.CpCodeId is { } id ? "CP code " + id.ToString(CultureInfo.InvariantCulture) : "a new CP code " + PropertyName;
        return string.Create(CultureInfo.InvariantCulture, $"property {PropertyName} (rule format {Translator.Options.RuleFormat}) with {Spec.Domains.Count} hostname(s) on edge hostname {EdgeHostname}, {cp}, a rule tree of {children + 1} rule(s); activated on {string.Join(" then ", Translator.Options.ActivationNetworks)}");
    }
}
