using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>What the PAPI operations share: the contract and group a request names, ids as the request wants them, envelopes and links.</summary>
internal sealed class Papi(AkamaiState state, HttpContext context)
{
    public AkamaiState State { get; } = state;

    public HttpContext Context { get; } = context;

    /// <summary>Whether the answer writes ids with prefixes (<c>PAPI-Use-Prefixes</c>).</summary>
    public bool Prefixes { get; } = UsePrefixes(context, state.Options.UsePrefixesByDefault);

    public string Account => Id("act", State.Options.AccountId, Prefixes);

    public string Contract => Id("ctr", State.Options.ContractId, Prefixes);

    public string Group => Id("grp", State.Options.GroupId, Prefixes);

    public string Query(string name) => Context.Request.Query[name].ToString();

    /// <summary>
    /// Checks the <c>contractId</c> and <c>groupId</c> query parameters: 400 when required and missing, 403 when
    /// they name a contract or group the API client cannot reach.
    /// </summary>
    public Papi RequireContractAndGroup(bool required = true)
    {
        foreach (var (name, prefix, expected) in new[] { ("contractId", "ctr", State.Options.ContractId), ("groupId", "grp", State.Options.GroupId) })
        {
            var value = Query(name);
            if (value.Length == 0)
            {
                if (required)
                {
                    throw AkamaiError.BadRequest($"The query parameter '{name}' is required.");
                }

                continue;
            }

            if (!string.Equals(Bare(prefix, value), expected, StringComparison.Ordinal))
            {
                throw AkamaiError.Forbidden($"The authorization token you provided does not allow access to {name} '{value}'.");
            }
        }

        return this;
    }

    /// <summary>A product of the contract, as sent; 400 when it is not one.</summary>
    public string Product(string? productId)
    {
        var bare = Bare("prd", productId);
        if (bare.Length == 0)
        {
            throw AkamaiError.BadRequest("The productId member is required.");
        }

        return State.Options.Products.Contains(bare)
            ? bare
            : throw AkamaiError.BadRequest($"The product '{productId}' is not available on contract ctr_{State.Options.ContractId}.");
    }

    /// <summary>An envelope: <c>accountId</c>, <c>contractId</c>, <c>groupId</c>, then the members given.</summary>
    public JsonObject Envelope(params (string Name, JsonNode? Value)[] members)
    {
        var json = new JsonObject { ["accountId"] = Account, ["contractId"] = Contract, ["groupId"] = Group };
        foreach (var (name, value) in members)
        {
            json[name] = value;
        }

        return json;
    }

    /// <summary>A list member: <c>{"items": [...]}</c>.</summary>
    public static JsonObject Items(IEnumerable<JsonNode> items) => new() { ["items"] = new JsonArray([.. items]) };

    /// <summary>A link to a created resource, with the contract and group as query.</summary>
    public string Link(string path) => $"/papi/v1/{path}?contractId={Contract}&groupId={Group}";

    /// <summary>A property's id as written.</summary>
    public string PropertyId(AkamaiProperty p) => Id("prp", p.Id, Prefixes);

    /// <summary>A version's JSON (as in version lists and find-by-value).</summary>
    public JsonObject VersionJson(AkamaiProperty p, AkamaiVersion v, DateTimeOffset now) => new()
    {
        ["propertyVersion"] = v.Number,
        ["updatedByUser"] = "poppy-emulator",
        ["updatedDate"] = Date(v.Updated),
        ["productionStatus"] = State.VersionStatus(p, v.Number, AkamaiState.Production, now),
        ["stagingStatus"] = State.VersionStatus(p, v.Number, AkamaiState.Staging, now),
        ["etag"] = v.Etag,
        ["productId"] = Id("prd", p.ProductId, Prefixes),
        ["ruleFormat"] = v.RuleFormat,
        ["note"] = v.Note ?? "",
    };

    /// <summary>A property's JSON (as in property lists).</summary>
    public JsonObject PropertyJson(AkamaiProperty p, DateTimeOffset now) => new()
    {
        ["accountId"] = Account,
        ["contractId"] = Contract,
        ["groupId"] = Group,
        ["propertyId"] = PropertyId(p),
        ["propertyName"] = p.Name,
        ["latestVersion"] = p.Versions.Count,
        ["stagingVersion"] = State.ActiveVersion(p, AkamaiState.Staging, now),
        ["productionVersion"] = State.ActiveVersion(p, AkamaiState.Production, now),
        ["assetId"] = Id("aid", p.Id + 10_000_000, Prefixes),
        ["productId"] = Id("prd", p.ProductId, Prefixes),
        ["ruleFormat"] = p.RuleFormat,
        ["note"] = p.Versions[^1].Note ?? "",
    };

    /// <summary>A quoted etag for the <c>ETag</c> header.</summary>
    public static string Quoted(string etag) => "\"" + etag + "\"";

    /// <summary>
    /// Checks <c>If-Match</c> against the current etag: a missing header is accepted (Akamai's own Go client
    /// sends none); a stale one is 412.
    /// </summary>
    public void CheckIfMatch(string current)
    {
        var sent = Context.Request.Headers.IfMatch.ToString().Trim();
        if (sent.Length > 0 && sent != "*" && !string.Equals(sent.Trim('"'), current, StringComparison.Ordinal))
        {
            throw AkamaiError.PreconditionFailed(
                $"The If-Match etag '{sent}' does not match the current etag '{current}': another client changed this resource. Read it again.");
        }
    }

    /// <summary>A route value as a version number, or 404.</summary>
    public int VersionNumber(string name = "version") =>
        int.TryParse(Context.Request.RouteValues[name]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw AkamaiError.NotFound($"The version '{Context.Request.RouteValues[name]}' does not exist.");
}
