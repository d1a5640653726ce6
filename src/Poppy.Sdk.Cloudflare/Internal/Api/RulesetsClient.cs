using static Poppy.Sdk.Cloudflare.Internal.Api.CloudflareRequests;

namespace Poppy.Sdk.Cloudflare.Internal.Api;

/// <summary>
/// The zone's phase entry points and their single-rule endpoints. Rules are added, edited and deleted one at a time,
/// never by replacing a phase, so services sharing the zone never overwrite each other; the entry point itself is
/// created (<c>PUT</c> with no rules) only when it does not exist yet.
/// </summary>
internal sealed class RulesetsClient(VendorConnection connection, string zoneId)
{
    /// <summary><c>GET /zones/{zone_id}/rulesets/phases/{phase}/entrypoint</c>; null when the phase has no entry point yet.</summary>
    public async Task<CfRulesetDto?> GetEntryPointAsync(string phase, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, EntryPoint(phase), $"get the {phase} entry point"), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfRulesetDto);
    }

    /// <summary><c>PUT /zones/{zone_id}/rulesets/phases/{phase}/entrypoint</c> with no rules: creates a missing entry point.</summary>
    public async Task<CfRulesetDto> CreateEntryPointAsync(string phase, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(
            new VendorRequest(HttpMethod.Put, EntryPoint(phase), $"create the {phase} entry point")
            {
                Content = Body(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("description", "Zone entry point (created by Poppy; rules are written one at a time)");
                    w.WriteStartArray("rules");
                    w.WriteEndArray();
                    w.WriteEndObject();
                }),
            },
            cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfRulesetDto);
    }

    /// <summary><c>POST /zones/{zone_id}/rulesets/{ruleset_id}/rules</c>: adds one rule; returns the ruleset.</summary>
    public async Task<CfRulesetDto> CreateRuleAsync(string rulesetId, RuleObject rule, (string Where, string RuleId)? position, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(
            new VendorRequest(HttpMethod.Post, Rules(rulesetId), $"add rule '{rule.Ref}' to the {rule.Phase} entry point") { Content = Body(w => WriteRule(w, rule, position)) },
            cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfRulesetDto);
    }

    /// <summary><c>PATCH /zones/{zone_id}/rulesets/{ruleset_id}/rules/{rule_id}</c>: replaces one rule's content in place.</summary>
    public async Task<CfRulesetDto> EditRuleAsync(string rulesetId, string ruleId, RuleObject rule, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(
            new VendorRequest(HttpMethod.Patch, Rules(rulesetId) + "/" + Seg(ruleId), $"edit rule '{rule.Ref}' of the {rule.Phase} entry point") { Content = Body(w => WriteRule(w, rule, position: null)) },
            cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfRulesetDto);
    }

    /// <summary><c>DELETE /zones/{zone_id}/rulesets/{ruleset_id}/rules/{rule_id}</c>; false when it was already gone.</summary>
    public async Task<bool> DeleteRuleAsync(string rulesetId, string ruleId, string reference, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Delete, Rules(rulesetId) + "/" + Seg(ruleId), $"delete rule '{reference}'"), cancellationToken).ConfigureAwait(false);
        return response is not null;
    }

    private string EntryPoint(string phase) => Zone(zoneId) + "/rulesets/phases/" + Seg(phase) + "/entrypoint";

    private string Rules(string rulesetId) => Zone(zoneId) + "/rulesets/" + Seg(rulesetId) + "/rules";
}
