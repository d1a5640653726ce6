using System.Text.Json.Serialization.Metadata;
using static Poppy.Sdk.Fastly.Internal.Api.FastlyRequests;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>The objects of one service version: domains, backends, conditions, cache settings, response objects, ACL containers.</summary>
internal sealed class VersionedObjectsClient(VendorConnection connection)
{
    public Task<List<FastlyDomainDto>> ListDomainsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        ListAsync(serviceId, version, "domain", FastlyJsonContext.Default.ListFastlyDomainDto, cancellationToken);

    public Task<List<FastlyBackendDto>> ListBackendsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        ListAsync(serviceId, version, "backend", FastlyJsonContext.Default.ListFastlyBackendDto, cancellationToken);

    public Task<List<FastlyConditionDto>> ListConditionsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        ListAsync(serviceId, version, "condition", FastlyJsonContext.Default.ListFastlyConditionDto, cancellationToken);

    public Task<List<FastlyCacheSettingDto>> ListCacheSettingsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        ListAsync(serviceId, version, "cache_settings", FastlyJsonContext.Default.ListFastlyCacheSettingDto, cancellationToken);

    public Task<List<FastlyResponseObjectDto>> ListResponseObjectsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        ListAsync(serviceId, version, "response_object", FastlyJsonContext.Default.ListFastlyResponseObjectDto, cancellationToken);

    public Task<List<FastlyAclDto>> ListAclsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        ListAsync(serviceId, version, "acl", FastlyJsonContext.Default.ListFastlyAclDto, cancellationToken);

    public Task CreateDomainAsync(string serviceId, int version, DomainObject domain, CancellationToken cancellationToken) =>
        CreateAsync(serviceId, version, "domain", domain.Name, [("name", domain.Name)], cancellationToken);

    public Task CreateBackendAsync(string serviceId, int version, BackendObject backend, CancellationToken cancellationToken)
    {
        var fields = new List<(string, string)>
        {
            ("name", backend.Name),
            ("address", backend.Address),
            ("port", Int(backend.Port)),
            ("use_ssl", backend.UseSsl ? "true" : "false"),
        };
        AddIf(fields, "ssl_cert_hostname", backend.SslCertHostname);
        AddIf(fields, "ssl_sni_hostname", backend.SslSniHostname);
        AddIf(fields, "override_host", backend.OverrideHost);
        AddIf(fields, "request_condition", backend.RequestCondition);
        return CreateAsync(serviceId, version, "backend", backend.Name, fields, cancellationToken);
    }

    public Task CreateConditionAsync(string serviceId, int version, ConditionObject condition, CancellationToken cancellationToken) =>
        CreateAsync(serviceId, version, "condition", condition.Name, [
            ("name", condition.Name),
            ("type", condition.Type),
            ("statement", condition.Statement),
            ("priority", Int(condition.Priority))], cancellationToken);

    public Task CreateCacheSettingsAsync(string serviceId, int version, CacheSettingObject setting, CancellationToken cancellationToken)
    {
        var fields = new List<(string, string)>
        {
            ("name", setting.Name),
            ("ttl", Int(setting.Ttl)),
            ("action", setting.Action),
        };
        AddIf(fields, "cache_condition", setting.CacheCondition);
        return CreateAsync(serviceId, version, "cache_settings", setting.Name, fields, cancellationToken);
    }

    public Task CreateResponseObjectAsync(string serviceId, int version, ResponseObject response, CancellationToken cancellationToken)
    {
        var fields = new List<(string, string)>
        {
            ("name", response.Name),
            ("status", Int(response.Status)),
            ("response", response.Response),
            ("content", response.Content),
            ("content_type", response.ContentType),
        };
        AddIf(fields, "request_condition", response.RequestCondition);
        return CreateAsync(serviceId, version, "response_object", response.Name, fields, cancellationToken);
    }

    public Task<FastlyAclDto> CreateAclAsync(string serviceId, int version, string name, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new VendorRequest(HttpMethod.Post, VersionPath(serviceId, version) + "/acl", $"create acl '{name}'") { Content = Form(("name", name)) },
            FastlyJsonContext.Default.FastlyAclDto,
            cancellationToken);

    /// <summary>Deletes a versioned object (<paramref name="kind"/> is the path segment: <c>backend</c>, <c>condition</c>, …); a missing one is fine.</summary>
    public Task DeleteAsync(string serviceId, int version, string kind, string name, CancellationToken cancellationToken) =>
        connection.SendOrNullAsync(new VendorRequest(HttpMethod.Delete, VersionPath(serviceId, version) + "/" + kind + "/" + Seg(name), $"delete {kind.Replace('_', ' ')} '{name}'"), cancellationToken);

    private Task<List<T>> ListAsync<T>(string serviceId, int version, string kind, JsonTypeInfo<List<T>> type, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Get, VersionPath(serviceId, version) + "/" + kind, $"list {kind.Replace('_', ' ')} of version {version} of service '{serviceId}'"), type, cancellationToken);

    private Task CreateAsync(string serviceId, int version, string kind, string name, IEnumerable<(string, string)> fields, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Post, VersionPath(serviceId, version) + "/" + kind, $"create {kind.Replace('_', ' ')} '{name}'") { Content = Form(fields) }, cancellationToken);
}
