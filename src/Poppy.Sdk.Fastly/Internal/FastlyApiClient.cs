using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// The Fastly REST calls Poppy uses, one method per endpoint. Versioned configuration objects are
/// written as <c>application/x-www-form-urlencoded</c> (as Fastly's API and go-fastly do); ACL batches
/// and bulk purges are JSON; every answer is JSON read through <see cref="FastlyJsonContext"/>.
/// Failures become the SDK's exceptions (<see cref="FastlyErrorMapper"/>); cancellation is passed to every call.
/// </summary>
internal sealed class FastlyApiClient
{
    /// <summary>The page size used for lists (Fastly's maximum).</summary>
    public const int PageSize = 100;

    private readonly HttpClient _http;
    private readonly FastlyCdnProviderOptions _options;
    private readonly Uri _baseAddress;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FastlyApiClient(HttpClient http, FastlyCdnProviderOptions options, TimeProvider time, ILogger logger)
    {
        _http = http;
        _options = options;
        var text = options.BaseAddress.ToString();
        _baseAddress = text.EndsWith('/') ? options.BaseAddress : new Uri(text + "/");
        _time = time;
        _logger = logger;
    }

    private string Provider => _options.Name;

    // ------------------------------------------------------------------ services

    public Task<FastlyServiceDto?> SearchServiceAsync(string name, CancellationToken cancellationToken) =>
        SendOrNullAsync(HttpMethod.Get, "service/search?name=" + Uri.EscapeDataString(name), null, $"search for service '{name}'", FastlyJsonContext.Default.FastlyServiceDto, cancellationToken);

    public Task<FastlyServiceDto?> GetServiceAsync(string serviceId, CancellationToken cancellationToken) =>
        SendOrNullAsync(HttpMethod.Get, "service/" + Seg(serviceId), null, $"get service '{serviceId}'", FastlyJsonContext.Default.FastlyServiceDto, cancellationToken);

    public async Task<(List<FastlyServiceDto> Items, bool HasMore)> ListServicesAsync(int page, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"service?page={page}&per_page={PageSize}&sort=created&direction=ascend");
        var (response, body) = await SendCoreAsync(HttpMethod.Get, path, null, "list services", allowNotFound: false, null, cancellationToken).ConfigureAwait(false);
        using (response!)
        {
            var items = Deserialize(body, FastlyJsonContext.Default.ListFastlyServiceDto, "list services", response!);
            return (items, HasNextPage(response!, items.Count));
        }
    }

    public Task<FastlyServiceDto> CreateServiceAsync(string name, string comment, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "service", Form(("name", name), ("comment", comment), ("type", "vcl")), $"create service '{name}'", FastlyJsonContext.Default.FastlyServiceDto, cancellationToken);

    /// <summary>Deletes a service; false when it did not exist.</summary>
    public async Task<bool> DeleteServiceAsync(string serviceId, CancellationToken cancellationToken)
    {
        var (response, _) = await SendCoreAsync(HttpMethod.Delete, "service/" + Seg(serviceId), null, $"delete service '{serviceId}'", allowNotFound: true, null, cancellationToken).ConfigureAwait(false);
        response?.Dispose();
        return response is not null;
    }

    // ------------------------------------------------------------------ versions

    public Task<FastlyVersionDto> CloneVersionAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, VersionPath(serviceId, version) + "/clone", null, $"clone version {version} of service '{serviceId}'", FastlyJsonContext.Default.FastlyVersionDto, cancellationToken);

    public Task<FastlyVersionDto> ActivateVersionAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, VersionPath(serviceId, version) + "/activate", null, $"activate version {version} of service '{serviceId}'", FastlyJsonContext.Default.FastlyVersionDto, cancellationToken);

    /// <summary>Deactivates a version; false when the service or version did not exist.</summary>
    public async Task<bool> DeactivateVersionAsync(string serviceId, int version, CancellationToken cancellationToken)
    {
        var (response, _) = await SendCoreAsync(HttpMethod.Put, VersionPath(serviceId, version) + "/deactivate", null, $"deactivate version {version} of service '{serviceId}'", allowNotFound: true, null, cancellationToken).ConfigureAwait(false);
        response?.Dispose();
        return response is not null;
    }

    public Task<FastlyVersionDto> UpdateVersionCommentAsync(string serviceId, int version, string comment, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, VersionPath(serviceId, version), Form(("comment", comment)), $"update version {version} of service '{serviceId}'", FastlyJsonContext.Default.FastlyVersionDto, cancellationToken);

    /// <summary>Compiles a version; throws when Fastly reports it invalid.</summary>
    public async Task ValidateVersionAsync(string serviceId, int version, CancellationToken cancellationToken)
    {
        var operation = $"validate version {version} of service '{serviceId}'";
        var (response, body) = await SendCoreAsync(HttpMethod.Get, VersionPath(serviceId, version) + "/validate", null, operation, allowNotFound: false, null, cancellationToken).ConfigureAwait(false);
        using (response!)
        {
            var result = Deserialize(body, FastlyJsonContext.Default.FastlyStatusDto, operation, response!);
            if (!string.Equals(result.Status, "ok", StringComparison.OrdinalIgnoreCase))
            {
                var (text, _) = FastlyErrorMapper.ReadError(body);
                throw new CdnRequestFailedException(
                    Provider,
                    $"Fastly rejected the configuration of version {version} of service '{serviceId}': {text ?? "no details given"}",
                    (int)response!.StatusCode,
                    CdnErrorCode.InvalidRequest,
                    isTransient: false,
                    vendorErrorCode: "validation_failed");
            }
        }
    }

    // ------------------------------------------------------------------ versioned objects

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

    public Task<FastlySettingsDto> GetSettingsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, VersionPath(serviceId, version) + "/settings", null, $"get settings of version {version} of service '{serviceId}'", FastlyJsonContext.Default.FastlySettingsDto, cancellationToken);

    public Task UpdateSettingsAsync(string serviceId, int version, int defaultTtl, CancellationToken cancellationToken) =>
        SendNoBodyAsync(HttpMethod.Put, VersionPath(serviceId, version) + "/settings", Form(("general.default_ttl", Int(defaultTtl))), $"update settings of version {version} of service '{serviceId}'", cancellationToken);

    public Task CreateDomainAsync(string serviceId, int version, DomainObject domain, CancellationToken cancellationToken) =>
        CreateAsync(serviceId, version, "domain", domain.Name, Form(("name", domain.Name)), cancellationToken);

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
        return CreateAsync(serviceId, version, "backend", backend.Name, Form([.. fields]), cancellationToken);
    }

    public Task CreateConditionAsync(string serviceId, int version, ConditionObject condition, CancellationToken cancellationToken) =>
        CreateAsync(serviceId, version, "condition", condition.Name, Form(
            ("name", condition.Name),
            ("type", condition.Type),
            ("statement", condition.Statement),
            ("priority", Int(condition.Priority))), cancellationToken);

    public Task CreateCacheSettingsAsync(string serviceId, int version, CacheSettingObject setting, CancellationToken cancellationToken)
    {
        var fields = new List<(string, string)>
        {
            ("name", setting.Name),
            ("ttl", Int(setting.Ttl)),
            ("action", setting.Action),
        };
        AddIf(fields, "cache_condition", setting.CacheCondition);
        return CreateAsync(serviceId, version, "cache_settings", setting.Name, Form([.. fields]), cancellationToken);
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
        return CreateAsync(serviceId, version, "response_object", response.Name, Form([.. fields]), cancellationToken);
    }

    public Task<FastlyAclDto> CreateAclAsync(string serviceId, int version, string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, VersionPath(serviceId, version) + "/acl", Form(("name", name)), $"create acl '{name}'", FastlyJsonContext.Default.FastlyAclDto, cancellationToken);

    /// <summary>Deletes a versioned object (<paramref name="kind"/> is the path segment: <c>backend</c>, <c>condition</c>, …).</summary>
    public async Task DeleteObjectAsync(string serviceId, int version, string kind, string name, CancellationToken cancellationToken)
    {
        var (response, _) = await SendCoreAsync(HttpMethod.Delete, VersionPath(serviceId, version) + "/" + kind + "/" + Seg(name), null, $"delete {kind.Replace('_', ' ')} '{name}'", allowNotFound: true, null, cancellationToken).ConfigureAwait(false);
        response?.Dispose();
    }

    // ------------------------------------------------------------------ ACL entries (versionless)

    public async Task<List<FastlyAclEntryDto>> ListAclEntriesAsync(string serviceId, string aclId, CancellationToken cancellationToken)
    {
        var all = new List<FastlyAclEntryDto>();
        for (var page = 1; ; page++)
        {
            var operation = $"list entries of acl '{aclId}'";
            var path = string.Create(CultureInfo.InvariantCulture, $"service/{Seg(serviceId)}/acl/{Seg(aclId)}/entries?page={page}&per_page={PageSize}");
            var (response, body) = await SendCoreAsync(HttpMethod.Get, path, null, operation, allowNotFound: false, null, cancellationToken).ConfigureAwait(false);
            using (response!)
            {
                var items = Deserialize(body, FastlyJsonContext.Default.ListFastlyAclEntryDto, operation, response!);
                all.AddRange(items);
                if (!HasNextPage(response!, items.Count))
                {
                    return all;
                }
            }
        }
    }

    /// <summary>Adds entries with one batch call per 1,000 (Fastly's batch limit).</summary>
    public async Task CreateAclEntriesAsync(string serviceId, string aclId, IReadOnlyList<AclEntryObject> entries, CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(1000))
        {
            var batch = new FastlyAclBatchDto
            {
                Entries = chunk.Select(e => new FastlyAclBatchEntryDto { Op = "create", Ip = e.Ip, Subnet = e.Subnet, Negated = e.Negated ? 1 : 0 }).ToList(),
            };
            var content = JsonContent.Create(batch, FastlyJsonContext.Default.FastlyAclBatchDto);
            await SendNoBodyAsync(HttpMethod.Patch, $"service/{Seg(serviceId)}/acl/{Seg(aclId)}/entries", content, $"add entries to acl '{aclId}'", cancellationToken).ConfigureAwait(false);
        }
    }

    // ------------------------------------------------------------------ purge

    /// <summary>Purges one URL (<c>host/path?query</c>, no scheme); returns Fastly's purge id.</summary>
    public async Task<string?> PurgeUrlAsync(string hostAndPath, bool soft, CancellationToken cancellationToken)
    {
        var result = await SendAsync(HttpMethod.Post, "purge/" + hostAndPath, null, $"purge url '{hostAndPath}'", FastlyJsonContext.Default.FastlyPurgeDto, cancellationToken, SoftHeader(soft)).ConfigureAwait(false);
        return result.Id;
    }

    /// <summary>Purges surrogate keys (at most 256); returns key → purge id.</summary>
    public Task<Dictionary<string, string>> PurgeKeysAsync(string serviceId, IReadOnlyList<string> keys, bool soft, CancellationToken cancellationToken)
    {
        var content = JsonContent.Create(new FastlyBulkPurgeRequestDto { SurrogateKeys = [.. keys] }, FastlyJsonContext.Default.FastlyBulkPurgeRequestDto);
        return SendAsync(HttpMethod.Post, $"service/{Seg(serviceId)}/purge", content, $"purge {keys.Count} surrogate key(s) of service '{serviceId}'", FastlyJsonContext.Default.DictionaryStringString, cancellationToken, SoftHeader(soft));
    }

    public Task PurgeAllAsync(string serviceId, CancellationToken cancellationToken) =>
        SendNoBodyAsync(HttpMethod.Post, $"service/{Seg(serviceId)}/purge_all", null, $"purge all of service '{serviceId}'", cancellationToken);

    // ------------------------------------------------------------------ plumbing

    private static string VersionPath(string serviceId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"service/{Seg(serviceId)}/version/{version}");

    private static string Seg(string value) => Uri.EscapeDataString(value);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static (string, string)[]? SoftHeader(bool soft) => soft ? [("Fastly-Soft-Purge", "1")] : null;

    private static void AddIf(List<(string, string)> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields.Add((name, value));
        }
    }

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private Task<List<T>> ListAsync<T>(string serviceId, int version, string kind, JsonTypeInfo<List<T>> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, VersionPath(serviceId, version) + "/" + kind, null, $"list {kind.Replace('_', ' ')} of version {version} of service '{serviceId}'", type, cancellationToken);

    private Task CreateAsync(string serviceId, int version, string kind, string name, HttpContent content, CancellationToken cancellationToken) =>
        SendNoBodyAsync(HttpMethod.Post, VersionPath(serviceId, version) + "/" + kind, content, $"create {kind.Replace('_', ' ')} '{name}'", cancellationToken);

    private static bool HasNextPage(HttpResponseMessage response, int count)
    {
        // Fastly sends RFC 8288 Link headers on paged lists; without one, a full page means there may be more.
        if (response.Headers.TryGetValues("Link", out var links))
        {
            return links.Any(l => l.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase));
        }

        return count >= PageSize;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, string operation, JsonTypeInfo<T> type, CancellationToken cancellationToken, (string, string)[]? headers = null)
    {
        var (response, body) = await SendCoreAsync(method, path, content, operation, allowNotFound: false, headers, cancellationToken).ConfigureAwait(false);
        using (response!)
        {
            return Deserialize(body, type, operation, response!);
        }
    }

    private async Task<T?> SendOrNullAsync<T>(HttpMethod method, string path, HttpContent? content, string operation, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var (response, body) = await SendCoreAsync(method, path, content, operation, allowNotFound: true, null, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        using (response)
        {
            return Deserialize(body, type, operation, response);
        }
    }

    private async Task SendNoBodyAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken)
    {
        var (response, _) = await SendCoreAsync(method, path, content, operation, allowNotFound: false, null, cancellationToken).ConfigureAwait(false);
        response?.Dispose();
    }

    private T Deserialize<T>(string body, JsonTypeInfo<T> type, string operation, HttpResponseMessage response)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException e)
        {
            var error = FastlyErrorMapper.Malformed(Provider, operation, response, e);
            Log.RequestFailed(_logger, response.RequestMessage?.Method.Method ?? "?", response.RequestMessage?.RequestUri?.AbsolutePath ?? "?", (int)response.StatusCode, error.ErrorCode.ToString());
            throw error;
        }
    }

    /// <summary>
    /// Sends a request and reads its body. Returns (null, "") for a 404 when <paramref name="allowNotFound"/>;
    /// throws the mapped exception for any other failure.
    /// </summary>
    private async Task<(HttpResponseMessage? Response, string Body)> SendCoreAsync(
        HttpMethod method, string path, HttpContent? content, string operation, bool allowNotFound, (string Name, string Value)[]? headers, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, path)) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        FastlyAuthHandler.Apply(request, _options.ApiToken);
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var logPath = request.RequestUri!.AbsolutePath;
        var started = _time.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TaskCanceledException or TimeoutRejectedException or TimeoutException)
        {
            Log.RequestFailed(_logger, method.Method, logPath, null, CdnErrorCode.Timeout.ToString());
            throw new CdnRequestFailedException(Provider, $"Fastly {operation} timed out.", null, CdnErrorCode.Timeout, isTransient: true, innerException: e);
        }
        catch (HttpRequestException e)
        {
            Log.RequestFailed(_logger, method.Method, logPath, null, CdnErrorCode.NetworkError.ToString());
            throw new CdnRequestFailedException(Provider, $"Fastly {operation} failed: the connection failed ({e.Message}).", null, CdnErrorCode.NetworkError, isTransient: true, innerException: e);
        }

        var keep = false;
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            Log.RequestCompleted(_logger, method.Method, logPath, status, _time.GetElapsedTime(started).TotalMilliseconds);
            if (method != HttpMethod.Get && response.Headers.TryGetValues("Fastly-RateLimit-Remaining", out var remaining)
                && int.TryParse(remaining.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left))
            {
                Log.RateLimitRemaining(_logger, left);
            }

            if (response.IsSuccessStatusCode)
            {
                keep = true;
                return (response, body);
            }

            if (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
            {
                return (null, "");
            }

            var error = FastlyErrorMapper.FromResponse(Provider, operation, response, body, _time.GetUtcNow());
            Log.RequestFailed(_logger, method.Method, logPath, status, error.ErrorCode.ToString());
            throw error;
        }
        finally
        {
            if (!keep)
            {
                response.Dispose();
            }
        }
    }
}
