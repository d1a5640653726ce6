using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>
/// The emulated Fastly API (api.fastly.com): services, versions (clone, activate, deactivate, lock,
/// validate), versioned objects (domains, backends, conditions, cache settings, headers, request
/// settings, response objects, ACLs), settings, ACL entries, purges (URL, key, bulk keys, all, soft),
/// <c>Fastly-Key</c> authentication and the hourly budget for non-read calls. Answers use Fastly's
/// paths, verbs, form-encoded request bodies, JSON answers and <c>{"msg","detail"}</c> errors.
/// </summary>
public sealed class FastlyEmulator
{
    /// <summary>The versioned object kinds (path segment → whether its key is the name).</summary>
    private static readonly HashSet<string> VersionedKinds = new(StringComparer.Ordinal)
    {
        "domain", "backend", "condition", "cache_settings", "header", "request_settings", "response_object", "acl", "healthcheck", "gzip",
    };

    private static readonly HashSet<string> NumberFields = new(StringComparer.Ordinal)
    {
        "port", "ttl", "stale_ttl", "status", "priority", "first_byte_timeout", "connect_timeout", "between_bytes_timeout",
        "max_conn", "weight", "subnet", "general.default_ttl", "general.stale_if_error_ttl", "max_stale_age",
    };

    private static readonly HashSet<string> BooleanFields = new(StringComparer.Ordinal)
    {
        "use_ssl", "auto_loadbalance", "ssl_check_cert", "general.stale_if_error", "force_miss", "bypass_busy_wait", "negated",
    };

    private static readonly string[] DetailKinds = ["domain", "backend", "condition", "cache_settings", "header", "request_settings", "response_object", "acl"];
    private static readonly string[] AclEntryFields = ["ip", "subnet", "negated", "comment"];
    private static readonly string[] ConditionUsers = ["backend", "cache_settings", "header", "request_settings", "response_object"];
    private static readonly string[] ConditionFields = ["request_condition", "cache_condition", "response_condition"];

    private readonly object _gate = new();
    private readonly Dictionary<string, Service> _services = new(StringComparer.Ordinal);
    private readonly List<FastlyPurgeRecord> _purges = [];
    private readonly TimeProvider _time;
    private long _nextId;
    private long _rateWindow = -1;
    private int _rateUsed;

    internal FastlyEmulator(FastlyEmulatorOptions options, TimeProvider time, int seed)
    {
        Options = options;
        _time = time;
        Faults = new VendorFaults(seed);
    }

    /// <summary>The options (credentials, limits).</summary>
    public FastlyEmulatorOptions Options { get; }

    /// <summary>The API token to send as <c>Fastly-Key</c>.</summary>
    public string ApiKey => Options.ApiKey;

    /// <summary>Faults to inject.</summary>
    public VendorFaults Faults { get; }

    /// <summary>The calls answered.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>The services held now.</summary>
    public IReadOnlyList<FastlyServiceSnapshot> Services
    {
        get
        {
            lock (_gate)
            {
                return _services.Values.OrderBy(s => s.Created).Select(s => new FastlyServiceSnapshot(
                    s.Id, s.Name, s.Comment, s.Versions.FirstOrDefault(v => v.Active)?.Number, s.Versions.Count)).ToList();
            }
        }
    }

    /// <summary>Every purge accepted, in order.</summary>
    public IReadOnlyList<FastlyPurgeRecord> Purges
    {
        get
        {
            lock (_gate)
            {
                return [.. _purges];
            }
        }
    }

    /// <summary>The objects of one kind in one version (for example <c>backend</c>), as field maps.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="version">The version number.</param>
    /// <param name="kind">The object kind (path segment).</param>
    /// <returns>The objects, or empty.</returns>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> GetObjects(string serviceId, int version, string kind)
    {
        lock (_gate)
        {
            return _services.TryGetValue(serviceId, out var s) && s.Version(version) is { } v && v.Objects.TryGetValue(kind, out var objects)
                ? objects.Values.Select(o => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(o)).ToList()
                : [];
        }
    }

    /// <summary>Removes every service and purge (credentials and faults stay).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _services.Clear();
            _purges.Clear();
            _rateUsed = 0;
        }

        Calls.Clear();
    }

    /// <summary>Whether a path belongs to the Fastly API.</summary>
    internal static bool Owns(PathString path) =>
        path.StartsWithSegments("/service", StringComparison.Ordinal) || path.StartsWithSegments("/purge", StringComparison.Ordinal);

    internal async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var status = await DispatchAsync(context).ConfigureAwait(false);
        Calls.Add(new EmulatorCall(request.Method, request.Path.Value ?? "", status));
    }

    private async Task<int> DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var fault = Faults.Decide();
        if (Faults.AddedLatency > TimeSpan.Zero)
        {
            await Task.Delay(Faults.AddedLatency, _time, context.RequestAborted).ConfigureAwait(false);
        }

        switch (fault.Kind)
        {
            case FaultKind.Reset:
                context.Abort();
                return 0;
            case FaultKind.RateLimited:
                WriteRateLimitHeaders(context, 0);
                if (Faults.RateLimitRetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((long)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }

                return await ErrorAsync(context, 429, "Too many requests", "Rate limit exceeded (injected).").ConfigureAwait(false);
            case FaultKind.Status:
                return await ErrorAsync(context, fault.Status, fault.Status == 503 ? "Service unavailable" : "Error", "Injected fault.").ConfigureAwait(false);
        }

        if (!request.Headers.TryGetValue("Fastly-Key", out var key) || key.ToString() != Options.ApiKey)
        {
            return await ErrorAsync(context, 401, "Provided credentials are missing or invalid", null).ConfigureAwait(false);
        }

        var segments = (request.Path.Value ?? "").Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var isPurge = segments[0] == "purge" || (segments.Length >= 3 && segments[2] is "purge" or "purge_all");
        if (!isRead && !isPurge)
        {
            var now = _time.GetUtcNow().ToUnixTimeSeconds();
            int remaining;
            lock (_gate)
            {
                var window = now / 3600;
                if (window != _rateWindow)
                {
                    _rateWindow = window;
                    _rateUsed = 0;
                }

                if (_rateUsed >= Options.HourlyRateLimit)
                {
                    remaining = -1;
                }
                else
                {
                    _rateUsed++;
                    remaining = Options.HourlyRateLimit - _rateUsed;
                }
            }

            WriteRateLimitHeaders(context, Math.Max(0, remaining));
            if (remaining < 0)
            {
                return await ErrorAsync(context, 429, "Too many requests", "You have exceeded your hourly rate limit.").ConfigureAwait(false);
            }
        }

        try
        {
            return segments[0] == "purge"
                ? await PurgeUrlAsync(context, segments).ConfigureAwait(false)
                : await ServiceAsync(context, segments).ConfigureAwait(false);
        }
        catch (EmulatorError e)
        {
            return await ErrorAsync(context, e.Status, e.Msg, e.Detail).ConfigureAwait(false);
        }
    }

    private void WriteRateLimitHeaders(HttpContext context, int remaining)
    {
        var reset = (_time.GetUtcNow().ToUnixTimeSeconds() / 3600 + 1) * 3600;
        context.Response.Headers["Fastly-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Fastly-RateLimit-Reset"] = reset.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<int> ServiceAsync(HttpContext context, string[] s)
    {
        var method = context.Request.Method;
        if (s.Length == 1)
        {
            return HttpMethods.IsGet(method) ? await ListServicesAsync(context).ConfigureAwait(false)
                : HttpMethods.IsPost(method) ? await CreateServiceAsync(context).ConfigureAwait(false)
                : throw MethodNotAllowed();
        }

        if (s.Length == 2 && s[1] == "search" && HttpMethods.IsGet(method))
        {
            var name = context.Request.Query["name"].ToString();
            JsonObject found;
            lock (_gate)
            {
                var service = _services.Values.FirstOrDefault(x => x.Name == name) ?? throw NotFound($"Cannot find service '{name}'");
                found = ServiceJson(service, withVersions: true);
            }

            return await JsonAsync(context, 200, found).ConfigureAwait(false);
        }

        var id = s[1];
        if (s.Length == 2)
        {
            if (HttpMethods.IsGet(method))
            {
                return await JsonAsync(context, 200, Locked(() => ServiceJson(Get(id), withVersions: true))).ConfigureAwait(false);
            }

            if (HttpMethods.IsPut(method))
            {
                var form = await FormAsync(context).ConfigureAwait(false);
                return await JsonAsync(context, 200, Locked(() =>
                {
                    var service = Get(id);
                    service.Name = form.GetValueOrDefault("name", service.Name);
                    service.Comment = form.GetValueOrDefault("comment", service.Comment);
                    return ServiceJson(service, withVersions: true);
                })).ConfigureAwait(false);
            }

            if (HttpMethods.IsDelete(method))
            {
                lock (_gate)
                {
                    var service = Get(id);
                    if (service.Versions.Any(v => v.Active))
                    {
                        throw new EmulatorError(400, "Bad request", "Cannot delete a service with an active version; deactivate it first.");
                    }

                    _services.Remove(id);
                }

                return await JsonAsync(context, 200, new JsonObject { ["status"] = "ok" }).ConfigureAwait(false);
            }

            throw MethodNotAllowed();
        }

        if (s.Length == 3 && s[2] == "details" && HttpMethods.IsGet(method))
        {
            return await JsonAsync(context, 200, Locked(() =>
            {
                var service = Get(id);
                var json = ServiceJson(service, withVersions: true);
                var active = service.Versions.FirstOrDefault(v => v.Active);
                json["active_version"] = active is null ? null : VersionJson(service, active, withObjects: true);
                json["version"] = VersionJson(service, service.Versions[^1], withObjects: true);
                return json;
            })).ConfigureAwait(false);
        }

        if (s[2] == "purge_all" && s.Length == 3 && HttpMethods.IsPost(method))
        {
            Record("all", Locked(() => Get(id).Id), context);
            return await JsonAsync(context, 200, new JsonObject { ["status"] = "ok" }).ConfigureAwait(false);
        }

        if (s[2] == "purge" && HttpMethods.IsPost(method))
        {
            return await PurgeKeysAsync(context, id, s).ConfigureAwait(false);
        }

        if (s[2] == "acl" && s.Length >= 5)
        {
            return await AclEntriesAsync(context, id, s[3], s).ConfigureAwait(false);
        }

        if (s[2] != "version")
        {
            throw NotFound("Unknown path.");
        }

        if (s.Length == 3)
        {
            if (HttpMethods.IsGet(method))
            {
                return await JsonAsync(context, 200, Locked(() =>
                {
                    var service = Get(id);
                    return new JsonArray([.. service.Versions.Select(v => (JsonNode)VersionJson(service, v, withObjects: false))]);
                })).ConfigureAwait(false);
            }

            if (HttpMethods.IsPost(method))
            {
                return await JsonAsync(context, 200, Locked(() =>
                {
                    var service = Get(id);
                    var version = new Version(service.Versions.Count + 1);
                    service.Versions.Add(version);
                    return VersionJson(service, version, withObjects: false);
                })).ConfigureAwait(false);
            }

            throw MethodNotAllowed();
        }

        if (!int.TryParse(s[3], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw NotFound($"Version '{s[3]}' is not a number.");
        }

        if (s.Length == 4)
        {
            if (HttpMethods.IsGet(method))
            {
                return await JsonAsync(context, 200, Locked(() => { var sv = Get(id); return VersionJson(sv, GetVersion(sv, number), withObjects: false); })).ConfigureAwait(false);
            }

            if (HttpMethods.IsPut(method))
            {
                var form = await FormAsync(context).ConfigureAwait(false);
                return await JsonAsync(context, 200, Locked(() =>
                {
                    var sv = Get(id);
                    var v = Editable(sv, number);
                    v.Comment = form.GetValueOrDefault("comment", v.Comment);
                    return VersionJson(sv, v, withObjects: false);
                })).ConfigureAwait(false);
            }

            throw MethodNotAllowed();
        }

        var action = s[4];
        if (s.Length == 5)
        {
            switch (action)
            {
                case "clone" when HttpMethods.IsPut(method):
                    return await JsonAsync(context, 200, Locked(() =>
                    {
                        var sv = Get(id);
                        var source = GetVersion(sv, number);
                        var copy = source.CloneAs(sv.Versions.Count + 1);
                        sv.Versions.Add(copy);
                        return VersionJson(sv, copy, withObjects: false);
                    })).ConfigureAwait(false);
                case "activate" when HttpMethods.IsPut(method):
                    return await JsonAsync(context, 200, Locked(() =>
                    {
                        var sv = Get(id);
                        var v = GetVersion(sv, number);
                        var problems = Validate(v);
                        if (problems.Count > 0)
                        {
                            throw new EmulatorError(400, "Bad request", "Version is invalid: " + string.Join("; ", problems));
                        }

                        foreach (var other in sv.Versions)
                        {
                            other.Active = false;
                        }

                        v.Active = true;
                        v.Locked = true;
                        v.Deployed = true;
                        sv.Updated = _time.GetUtcNow();
                        return VersionJson(sv, v, withObjects: false);
                    })).ConfigureAwait(false);
                case "deactivate" when HttpMethods.IsPut(method):
                    return await JsonAsync(context, 200, Locked(() =>
                    {
                        var sv = Get(id);
                        var v = GetVersion(sv, number);
                        if (!v.Active)
                        {
                            throw new EmulatorError(400, "Bad request", $"Version {number} is not active.");
                        }

                        v.Active = false;
                        return VersionJson(sv, v, withObjects: false);
                    })).ConfigureAwait(false);
                case "lock" when HttpMethods.IsPut(method):
                    return await JsonAsync(context, 200, Locked(() =>
                    {
                        var sv = Get(id);
                        var v = GetVersion(sv, number);
                        v.Locked = true;
                        return VersionJson(sv, v, withObjects: false);
                    })).ConfigureAwait(false);
                case "validate" when HttpMethods.IsGet(method):
                    return await JsonAsync(context, 200, Locked(() =>
                    {
                        var problems = Validate(GetVersion(Get(id), number));
                        return new JsonObject
                        {
                            ["status"] = problems.Count == 0 ? "ok" : "error",
                            ["msg"] = problems.Count == 0 ? null : string.Join("; ", problems),
                            ["errors"] = new JsonArray([.. problems.Select(p => (JsonNode)JsonValue.Create(p))]),
                            ["warnings"] = new JsonArray(),
                            ["messages"] = new JsonArray(),
                        };
                    })).ConfigureAwait(false);
                case "settings":
                    return await SettingsAsync(context, id, number).ConfigureAwait(false);
            }

            if (VersionedKinds.Contains(action))
            {
                return await ObjectsAsync(context, id, number, action, null).ConfigureAwait(false);
            }

            throw NotFound($"Unknown path segment '{action}'.");
        }

        if (s.Length == 6 && VersionedKinds.Contains(action))
        {
            return await ObjectsAsync(context, id, number, action, s[5]).ConfigureAwait(false);
        }

        throw NotFound("Unknown path.");
    }

    private async Task<int> ListServicesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? Math.Min(pp, 1000) : 20;
        JsonArray items;
        bool more;
        lock (_gate)
        {
            var ordered = _services.Values.OrderBy(x => x.Created).ThenBy(x => x.Id, StringComparer.Ordinal).ToList();
            if (query["direction"] == "descend")
            {
                ordered.Reverse();
            }

            items = new JsonArray([.. ordered.Skip((page - 1) * perPage).Take(perPage).Select(x => (JsonNode)ServiceJson(x, withVersions: true))]);
            more = ordered.Count > page * perPage;
        }

        if (more)
        {
            var next = $"{context.Request.Scheme}://{context.Request.Host}/service?page={page + 1}&per_page={perPage}";
            context.Response.Headers["Link"] = $"<{next}>; rel=\"next\"";
        }

        return await JsonAsync(context, 200, items).ConfigureAwait(false);
    }

    private async Task<int> CreateServiceAsync(HttpContext context)
    {
        var form = await FormAsync(context).ConfigureAwait(false);
        if (!form.TryGetValue("name", out var name) || string.IsNullOrWhiteSpace(name))
        {
            throw new EmulatorError(400, "Bad request", "Name can't be blank.");
        }

        return await JsonAsync(context, 200, Locked(() =>
        {
            var service = new Service(NewId(), name, form.GetValueOrDefault("comment", ""), form.GetValueOrDefault("type", "vcl"), _time.GetUtcNow());
            service.Versions.Add(new Version(1));
            _services[service.Id] = service;
            return ServiceJson(service, withVersions: true);
        })).ConfigureAwait(false);
    }

    private async Task<int> SettingsAsync(HttpContext context, string id, int number)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return await JsonAsync(context, 200, Locked(() => SettingsJson(Get(id), GetVersion(Get(id), number)))).ConfigureAwait(false);
        }

        if (!HttpMethods.IsPut(context.Request.Method))
        {
            throw MethodNotAllowed();
        }

        var form = await FormAsync(context).ConfigureAwait(false);
        return await JsonAsync(context, 200, Locked(() =>
        {
            var sv = Get(id);
            var v = Editable(sv, number);
            foreach (var (k, value) in form)
            {
                v.Settings[k] = value;
            }

            return SettingsJson(sv, v);
        })).ConfigureAwait(false);
    }

    private async Task<int> ObjectsAsync(HttpContext context, string id, int number, string kind, string? name)
    {
        var method = context.Request.Method;
        if (name is null && HttpMethods.IsGet(method))
        {
            return await JsonAsync(context, 200, Locked(() =>
            {
                var sv = Get(id);
                var v = GetVersion(sv, number);
                return new JsonArray([.. v.List(kind).Select(o => (JsonNode)ObjectJson(sv, v, o))]);
            })).ConfigureAwait(false);
        }

        if (name is null && HttpMethods.IsPost(method))
        {
            var form = await FormAsync(context).ConfigureAwait(false);
            return await JsonAsync(context, 200, Locked(() =>
            {
                var sv = Get(id);
                var v = Editable(sv, number);
                if (!form.TryGetValue("name", out var objectName) || string.IsNullOrEmpty(objectName))
                {
                    throw new EmulatorError(400, "Bad request", "Name can't be blank.");
                }

                var objects = v.Kind(kind);
                if (objects.ContainsKey(objectName))
                {
                    throw new EmulatorError(409, "Duplicate record", $"Duplicate {kind}: '{objectName}'");
                }

                if (kind == "acl")
                {
                    form["id"] = NewId();
                }

                objects[objectName] = form;
                return ObjectJson(sv, v, form);
            })).ConfigureAwait(false);
        }

        if (name is null)
        {
            throw MethodNotAllowed();
        }

        if (HttpMethods.IsGet(method))
        {
            return await JsonAsync(context, 200, Locked(() =>
            {
                var sv = Get(id);
                var v = GetVersion(sv, number);
                return ObjectJson(sv, v, v.Kind(kind).GetValueOrDefault(name) ?? throw NotFound($"Cannot find {kind} '{name}'"));
            })).ConfigureAwait(false);
        }

        if (HttpMethods.IsPut(method))
        {
            var form = await FormAsync(context).ConfigureAwait(false);
            return await JsonAsync(context, 200, Locked(() =>
            {
                var sv = Get(id);
                var v = Editable(sv, number);
                var objects = v.Kind(kind);
                var existing = objects.GetValueOrDefault(name) ?? throw NotFound($"Cannot find {kind} '{name}'");
                foreach (var (k, value) in form)
                {
                    existing[k] = value;
                }

                if (existing["name"] != name)
                {
                    objects.Remove(name);
                    objects[existing["name"]] = existing;
                }

                return ObjectJson(sv, v, existing);
            })).ConfigureAwait(false);
        }

        if (HttpMethods.IsDelete(method))
        {
            return await JsonAsync(context, 200, Locked(() =>
            {
                var v = Editable(Get(id), number);
                if (!v.Kind(kind).Remove(name))
                {
                    throw NotFound($"Cannot find {kind} '{name}'");
                }

                return new JsonObject { ["status"] = "ok" };
            })).ConfigureAwait(false);
        }

        throw MethodNotAllowed();
    }

    private async Task<int> AclEntriesAsync(HttpContext context, string id, string aclId, string[] s)
    {
        var method = context.Request.Method;
        Dictionary<string, Dictionary<string, string>> Entries()
        {
            var sv = Get(id);
            if (!sv.Versions.Any(v => v.List("acl").Any(a => a.GetValueOrDefault("id") == aclId)))
            {
                throw NotFound($"Cannot find ACL '{aclId}'");
            }

            if (!sv.AclEntries.TryGetValue(aclId, out var entries))
            {
                sv.AclEntries[aclId] = entries = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            }

            return entries;
        }

        JsonObject EntryJson(Dictionary<string, string> e) => Typed(e, new JsonObject { ["service_id"] = id, ["acl_id"] = aclId });

        if (s[4] == "entries" && s.Length == 5)
        {
            if (HttpMethods.IsGet(method))
            {
                var query = context.Request.Query;
                var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
                var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) && pp > 0 ? pp : 100;
                bool more = false;
                var items = Locked(() =>
                {
                    var all = Entries().Values.ToList();
                    more = all.Count > page * perPage;
                    return new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(e => (JsonNode)EntryJson(e))]);
                });
                if (more)
                {
                    context.Response.Headers["Link"] = $"<{context.Request.Scheme}://{context.Request.Host}/service/{id}/acl/{aclId}/entries?page={page + 1}&per_page={perPage}>; rel=\"next\"";
                }

                return await JsonAsync(context, 200, items).ConfigureAwait(false);
            }

            if (HttpMethods.IsPatch(method))
            {
                var body = await JsonBodyAsync(context).ConfigureAwait(false);
                var ops = body?["entries"] as JsonArray ?? throw new EmulatorError(400, "Bad request", "Expected {\"entries\": [...]}.");
                if (ops.Count > 1000)
                {
                    throw new EmulatorError(400, "Bad request", "At most 1000 entries per batch.");
                }

                Locked(() =>
                {
                    var entries = Entries();
                    foreach (var op in ops.OfType<JsonObject>())
                    {
                        switch (op["op"]?.GetValue<string>())
                        {
                            case "create":
                                var entry = new Dictionary<string, string>(StringComparer.Ordinal) { ["id"] = NewId() };
                                foreach (var field in AclEntryFields)
                                {
                                    if (op[field] is { } node)
                                    {
                                        entry[field] = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
                                    }
                                }

                                entries[entry["id"]] = entry;
                                break;
                            case "delete":
                                entries.Remove(op["id"]?.GetValue<string>() ?? "");
                                break;
                            default:
                                throw new EmulatorError(400, "Bad request", "Each entry needs op 'create' or 'delete'.");
                        }
                    }

                    return 0;
                });
                return await JsonAsync(context, 200, new JsonObject { ["status"] = "ok" }).ConfigureAwait(false);
            }

            throw MethodNotAllowed();
        }

        if (s[4] == "entry" && s.Length == 5 && HttpMethods.IsPost(method))
        {
            var form = await FormAsync(context).ConfigureAwait(false);
            return await JsonAsync(context, 200, Locked(() =>
            {
                form["id"] = NewId();
                Entries()[form["id"]] = form;
                return EntryJson(form);
            })).ConfigureAwait(false);
        }

        if (s[4] == "entry" && s.Length == 6)
        {
            if (HttpMethods.IsGet(method))
            {
                return await JsonAsync(context, 200, Locked(() => EntryJson(Entries().GetValueOrDefault(s[5]) ?? throw NotFound("Cannot find entry")))).ConfigureAwait(false);
            }

            if (HttpMethods.IsDelete(method))
            {
                return await JsonAsync(context, 200, Locked(() => Entries().Remove(s[5]) ? new JsonObject { ["status"] = "ok" } : throw NotFound("Cannot find entry"))).ConfigureAwait(false);
            }
        }

        throw NotFound("Unknown path.");
    }

    private async Task<int> PurgeKeysAsync(HttpContext context, string id, string[] s)
    {
        Locked(() => Get(id));
        if (s.Length == 4)
        {
            var purgeId = Record("key", s[3], context);
            return await JsonAsync(context, 200, new JsonObject { ["status"] = "ok", ["id"] = purgeId }).ConfigureAwait(false);
        }

        var keys = new List<string>();
        if (context.Request.Headers.TryGetValue("Surrogate-Key", out var header))
        {
            keys.AddRange(header.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else if (await JsonBodyAsync(context).ConfigureAwait(false) is { } body && body["surrogate_keys"] is JsonArray array)
        {
            keys.AddRange(array.Select(k => k?.GetValue<string>() ?? ""));
        }

        if (keys.Count == 0)
        {
            throw new EmulatorError(400, "Bad request", "No surrogate keys given (Surrogate-Key header or {\"surrogate_keys\": [...]}).");
        }

        if (keys.Count > 256)
        {
            throw new EmulatorError(400, "Bad request", $"Too many surrogate keys: {keys.Count} (at most 256 per request).");
        }

        var result = new JsonObject();
        foreach (var k in keys)
        {
            result[k] = Record("key", k, context);
        }

        return await JsonAsync(context, 200, result).ConfigureAwait(false);
    }

    private async Task<int> PurgeUrlAsync(HttpContext context, string[] s)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || s.Length < 2)
        {
            throw MethodNotAllowed();
        }

        var target = string.Join('/', s[1..]);
        var purgeId = Record("url", target, context);
        return await JsonAsync(context, 200, new JsonObject { ["status"] = "ok", ["id"] = purgeId }).ConfigureAwait(false);
    }

    private string Record(string kind, string target, HttpContext context)
    {
        var soft = context.Request.Headers.TryGetValue("Fastly-Soft-Purge", out var v) && v.ToString() == "1";
        lock (_gate)
        {
            var id = "purge-" + (++_nextId).ToString("x8", CultureInfo.InvariantCulture);
            _purges.Add(new FastlyPurgeRecord(kind, target, soft, id));
            return id;
        }
    }

    private static List<string> Validate(Version v)
    {
        var problems = new List<string>();
        if (v.List("domain").Count == 0)
        {
            problems.Add("Version has no domain");
        }

        if (v.List("backend").Count == 0)
        {
            problems.Add("Version has no backend");
        }

        var conditions = v.Kind("condition");
        foreach (var kind in ConditionUsers)
        {
            foreach (var o in v.List(kind))
            {
                foreach (var field in ConditionFields)
                {
                    if (o.TryGetValue(field, out var c) && !string.IsNullOrEmpty(c) && !conditions.ContainsKey(c))
                    {
                        problems.Add($"{kind} '{o["name"]}' refers to a missing condition '{c}'");
                    }
                }
            }
        }

        return problems;
    }

    private static EmulatorError NotFound(string detail) => new(404, "Record not found", detail);

    private static EmulatorError MethodNotAllowed() => new(405, "Method not allowed", null);

    private static async Task<Dictionary<string, string>> FormAsync(HttpContext context)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (k, v) in form)
            {
                result[k] = v.ToString();
            }
        }
        else if (context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
                 && await JsonBodyAsync(context).ConfigureAwait(false) is { } json)
        {
            foreach (var (k, v) in json)
            {
                if (v is not null)
                {
                    result[k] = v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString();
                }
            }
        }

        return result;
    }

    private static async Task<JsonObject?> JsonBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            throw new EmulatorError(400, "Bad request", "The body is not valid JSON.");
        }
    }

    private static async Task<int> ErrorAsync(HttpContext context, int status, string msg, string? detail)
    {
        if (context.Response.HasStarted)
        {
            return status;
        }

        return await JsonAsync(context, status, new JsonObject { ["msg"] = msg, ["detail"] = detail }).ConfigureAwait(false);
    }

    private static async Task<int> JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
        return status;
    }

    private T Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            return action();
        }
    }

    private Service Get(string id) => _services.GetValueOrDefault(id) ?? throw NotFound($"Cannot find service '{id}'");

    private static Version GetVersion(Service service, int number) => service.Version(number) ?? throw NotFound($"Cannot find version {number} of service '{service.Id}'");

    private static Version Editable(Service service, int number)
    {
        var v = GetVersion(service, number);
        if (v.Active || v.Locked)
        {
            throw new EmulatorError(400, "Bad request", $"Version {number} of service '{service.Id}' is {(v.Active ? "active" : "locked")} and cannot be edited; clone it first.");
        }

        return v;
    }

    private string NewId()
    {
        lock (_gate)
        {
            // Fastly ids are 22 alphanumeric characters.
            var n = ++_nextId;
            return "emu" + n.ToString("D6", CultureInfo.InvariantCulture) + Convert.ToHexString(BitConverter.GetBytes(n * 2654435761L))[..13].ToLowerInvariant();
        }
    }

    private JsonObject ServiceJson(Service s, bool withVersions)
    {
        var active = s.Versions.FirstOrDefault(v => v.Active);
        var json = new JsonObject
        {
            ["id"] = s.Id,
            ["name"] = s.Name,
            ["comment"] = s.Comment,
            ["type"] = s.Type,
            ["customer_id"] = "emulatorcustomer00000",
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
            ["version"] = active?.Number ?? s.Versions[^1].Number,
            ["active_version"] = active?.Number,
        };
        if (withVersions)
        {
            json["versions"] = new JsonArray([.. s.Versions.Select(v => (JsonNode)VersionJson(s, v, withObjects: false))]);
        }

        return json;
    }

    private JsonObject VersionJson(Service s, Version v, bool withObjects)
    {
        var json = new JsonObject
        {
            ["number"] = v.Number,
            ["service_id"] = s.Id,
            ["active"] = v.Active,
            ["locked"] = v.Locked,
            ["deployed"] = v.Deployed,
            ["staging"] = false,
            ["testing"] = false,
            ["comment"] = v.Comment,
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
        };
        if (withObjects)
        {
            foreach (var kind in DetailKinds)
            {
                var key = kind switch { "domain" => "domains", "backend" => "backends", "condition" => "conditions", "header" => "headers", "response_object" => "response_objects", "acl" => "acls", _ => kind };
                json[key] = new JsonArray([.. v.List(kind).Select(o => (JsonNode)ObjectJson(s, v, o))]);
            }

            json["settings"] = SettingsJson(s, v);
        }

        return json;
    }

    private JsonObject SettingsJson(Service s, Version v)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["general.default_ttl"] = "3600",
            ["general.default_host"] = "",
            ["general.stale_if_error"] = "false",
            ["general.stale_if_error_ttl"] = "43200",
        };
        foreach (var (k, value) in v.Settings)
        {
            fields[k] = value;
        }

        return Typed(fields, new JsonObject { ["service_id"] = s.Id, ["version"] = v.Number });
    }

    private JsonObject ObjectJson(Service s, Version v, Dictionary<string, string> fields) =>
        Typed(fields, new JsonObject
        {
            ["service_id"] = s.Id,
            ["version"] = v.Number,
            ["created_at"] = Stamp(s.Created),
            ["updated_at"] = Stamp(s.Updated),
            ["deleted_at"] = null,
        });

    private static JsonObject Typed(Dictionary<string, string> fields, JsonObject json)
    {
        foreach (var (k, value) in fields)
        {
            if (NumberFields.Contains(k) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                json[k] = n;
            }
            else if (BooleanFields.Contains(k) && (value is "true" or "false" or "1" or "0"))
            {
                json[k] = value is "true" or "1";
            }
            else
            {
                json[k] = value;
            }
        }

        return json;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed class Service(string id, string name, string comment, string type, DateTimeOffset created)
    {
        public string Id { get; } = id;

        public string Name { get; set; } = name;

        public string Comment { get; set; } = comment;

        public string Type { get; } = type;

        public DateTimeOffset Created { get; } = created;

        public DateTimeOffset Updated { get; set; } = created;

        public List<Version> Versions { get; } = [];

        public Dictionary<string, Dictionary<string, Dictionary<string, string>>> AclEntries { get; } = new(StringComparer.Ordinal);

        public Version? Version(int number) => number >= 1 && number <= Versions.Count ? Versions[number - 1] : null;
    }

    private sealed class Version(int number)
    {
        public int Number { get; } = number;

        public bool Active { get; set; }

        public bool Locked { get; set; }

        public bool Deployed { get; set; }

        public string Comment { get; set; } = "";

        public Dictionary<string, Dictionary<string, Dictionary<string, string>>> Objects { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Dictionary<string, string>> Kind(string kind)
        {
            if (!Objects.TryGetValue(kind, out var objects))
            {
                Objects[kind] = objects = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            }

            return objects;
        }

        public List<Dictionary<string, string>> List(string kind) => Objects.TryGetValue(kind, out var o) ? [.. o.Values] : [];

        public Version CloneAs(int number)
        {
            var copy = new Version(number) { Comment = Comment };
            foreach (var (kind, objects) in Objects)
            {
                var target = copy.Kind(kind);
                foreach (var (name, fields) in objects)
                {
                    target[name] = new Dictionary<string, string>(fields, StringComparer.Ordinal);
                }
            }

            foreach (var (k, v) in Settings)
            {
                copy.Settings[k] = v;
            }

            return copy;
        }
    }
}

/// <summary>An answer in the vendor's error format.</summary>
internal sealed class EmulatorError(int status, string msg, string? detail) : Exception(msg)
{
    public int Status { get; } = status;

    public string Msg { get; } = msg;

    public string? Detail { get; } = detail;
}
