using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Poppy.Sdk.Akamai.Internal;

// The PAPI v1 and CCU v3 bodies Poppy sends and reads (akamai/akamai-apis schemas and examples). Ids are prefixed
// (PAPI-Use-Prefixes: true). Unknown fields are ignored; nulls are not written.

internal sealed record ItemList<T>(IReadOnlyList<T>? Items);

internal sealed record FindByValueRequest(string PropertyName);

internal sealed record VersionItem
{
    public string? PropertyId { get; init; }
    public string? PropertyName { get; init; }
    public int PropertyVersion { get; init; }
    public string? Etag { get; init; }
    public string? StagingStatus { get; init; }
    public string? ProductionStatus { get; init; }
    public string? Note { get; init; }
    public string? RuleFormat { get; init; }
}

internal sealed record VersionsEnvelope(ItemList<VersionItem>? Versions);

internal sealed record PropertyItem
{
    public string? PropertyId { get; init; }
    public string? PropertyName { get; init; }
    public string? ContractId { get; init; }
    public string? GroupId { get; init; }
    public int LatestVersion { get; init; }
    public int? StagingVersion { get; init; }
    public int? ProductionVersion { get; init; }
    public string? Note { get; init; }
}

internal sealed record PropertiesEnvelope(ItemList<PropertyItem>? Properties);

internal sealed record CreatePropertyRequest(string ProductId, string PropertyName, string RuleFormat);

internal sealed record CreateVersionRequest(int CreateFromVersion, string CreateFromVersionEtag);

internal sealed record LinkResponse
{
    public string? PropertyLink { get; init; }
    public string? VersionLink { get; init; }
    public string? ActivationLink { get; init; }
    public string? CpcodeLink { get; init; }
    public string? EdgeHostnameLink { get; init; }
}

internal sealed record CpCodeCreateRequest(string ProductId, string CpcodeName);

internal sealed record CpCodeItem(string? CpcodeId, string? CpcodeName);

internal sealed record CpCodesEnvelope(ItemList<CpCodeItem>? Cpcodes);

internal sealed record EdgeHostnameCreateRequest(string ProductId, string DomainPrefix, string DomainSuffix, string SecureNetwork, string IpVersionBehavior);

internal sealed record EdgeHostnameItem
{
    public string? EdgeHostnameId { get; init; }
    public string? EdgeHostnameDomain { get; init; }
    public string? DomainPrefix { get; init; }
    public string? DomainSuffix { get; init; }
}

internal sealed record EdgeHostnamesEnvelope(ItemList<EdgeHostnameItem>? EdgeHostnames);

internal sealed record ValidationCname(string? Hostname, string? Target);

internal sealed record CertNetworkStatus(string? Status);

internal sealed record CertStatus
{
    public ValidationCname? ValidationCname { get; init; }
    public IReadOnlyList<CertNetworkStatus>? Staging { get; init; }
    public IReadOnlyList<CertNetworkStatus>? Production { get; init; }
}

internal sealed record HostnameItem
{
    public string CnameType { get; init; } = "EDGE_HOSTNAME";
    public string CnameFrom { get; init; } = "";
    public string? CnameTo { get; init; }
    public string? EdgeHostnameId { get; init; }
    public string? CertProvisioningType { get; init; }

    /// <summary>Read only: PAPI reports it, Poppy never sends it.</summary>
    public CertStatus? CertStatus { get; init; }
}

internal sealed record HostnamesResponse
{
    public string? Etag { get; init; }
    public ItemList<HostnameItem>? Hostnames { get; init; }
}

internal sealed record RulesDocument
{
    public string? Etag { get; init; }
    public string? RuleFormat { get; init; }
    public int PropertyVersion { get; init; }
    public string? Comments { get; init; }
    public JsonObject? Rules { get; init; }
}

internal sealed record RulesPutRequest(JsonObject Rules, string? Comments);

internal sealed record ActivationRequest
{
    public int PropertyVersion { get; init; }
    public string Network { get; init; } = "";
    public string ActivationType { get; init; } = "ACTIVATE";
    public IReadOnlyList<string> NotifyEmails { get; init; } = [];
    public string? Note { get; init; }
    public bool AcknowledgeAllWarnings { get; init; } = true;
}

internal sealed record ActivationItem
{
    public string? ActivationId { get; init; }
    public int PropertyVersion { get; init; }
    public string? Network { get; init; }
    public string? ActivationType { get; init; }
    public string? Status { get; init; }
    public string? SubmitDate { get; init; }
}

internal sealed record ActivationsEnvelope(ItemList<ActivationItem>? Activations);

internal sealed record PurgeUrlsRequest(IReadOnlyList<string> Objects);

internal sealed record PurgeCpCodesRequest(IReadOnlyList<long> Objects);

internal sealed record PurgeResponse
{
    public int HttpStatus { get; init; }
    public string? Detail { get; init; }
    public int EstimatedSeconds { get; init; }
    public string? PurgeId { get; init; }
    public string? SupportId { get; init; }
}

/// <summary>An error body: PAPI's RFC 7807 problem (<c>type, title, detail, instance, status, limitKey, limit, remaining</c>) or CCU's (<c>httpStatus, title, detail, supportId, describedBy, rateLimit…</c>).</summary>
internal sealed record ProblemDetails
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    public int? Status { get; init; }
    public string? LimitKey { get; init; }
    public long? Limit { get; init; }
    public long? Remaining { get; init; }
    public int? HttpStatus { get; init; }
    public string? SupportId { get; init; }
    public string? DescribedBy { get; init; }
    public long? RateLimit { get; init; }
    public long? RateLimitRemaining { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(FindByValueRequest))]
[JsonSerializable(typeof(VersionsEnvelope))]
[JsonSerializable(typeof(PropertiesEnvelope))]
[JsonSerializable(typeof(CreatePropertyRequest))]
[JsonSerializable(typeof(CreateVersionRequest))]
[JsonSerializable(typeof(LinkResponse))]
[JsonSerializable(typeof(CpCodeCreateRequest))]
[JsonSerializable(typeof(CpCodesEnvelope))]
[JsonSerializable(typeof(EdgeHostnameCreateRequest))]
[JsonSerializable(typeof(EdgeHostnamesEnvelope))]
[JsonSerializable(typeof(IReadOnlyList<HostnameItem>))]
[JsonSerializable(typeof(HostnamesResponse))]
[JsonSerializable(typeof(RulesDocument))]
[JsonSerializable(typeof(RulesPutRequest))]
[JsonSerializable(typeof(ActivationRequest))]
[JsonSerializable(typeof(ActivationsEnvelope))]
[JsonSerializable(typeof(PurgeUrlsRequest))]
[JsonSerializable(typeof(PurgeCpCodesRequest))]
[JsonSerializable(typeof(PurgeResponse))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(string))]
internal sealed partial class AkamaiJsonContext : JsonSerializerContext;
