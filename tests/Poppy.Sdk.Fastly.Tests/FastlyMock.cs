using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Fastly.Internal;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Fastly.Tests;

/// <summary>A provider wired to a strict MockHttp handler, a fake clock and a fake logger.</summary>
internal sealed class FastlyMock
{
    public const string Token = "fk-TEST-9f8e7d6c5b4a-SECRET";
    public const string Base = "https://api.fastly.com/";
    public const string VendorId = "SU1Z0isxPaozGVKXdv0eY";
    public const string ServiceId = "svc-1";
    public const string ServiceName = "poppy-svc-1";

    public FastlyMock(Action<FastlyCdnProviderOptions>? configure = null)
    {
        Http.Fallback.ThrowMatchSummary();
        Options = new FastlyCdnProviderOptions { ApiToken = Token };
        configure?.Invoke(Options);
        Logger = new FakeLogger<FastlyCdnProvider>();
        Provider = new FastlyCdnProvider(FastlyCdnProvider.CreateHttpClient(Options, Http), Options, Time, Logger);
    }

    public MockHttpMessageHandler Http { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeLogger<FastlyCdnProvider> Logger { get; }

    public FastlyCdnProviderOptions Options { get; }

    public FastlyCdnProvider Provider { get; }

    public FastlyTranslator Translator => new(Options);

    /// <summary>Expects a request with the exact path, exact query (when given) and the Fastly-Key header.</summary>
    #region expect (docs/extending/writing-a-provider.md)
    public MockedRequest Expect(HttpMethod method, string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var request = Http.Expect(method, Base + (q < 0 ? pathAndQuery : pathAndQuery[..q])).WithHeaders("Fastly-Key", Token);
        return q < 0 ? request.With(r => string.IsNullOrEmpty(r.RequestUri!.Query)) : request.WithExactQueryString(pathAndQuery[(q + 1)..]);
    }

    #endregion
    /// <summary>Expects a form-encoded request with exactly these fields.</summary>
    public MockedRequest ExpectForm(HttpMethod method, string path, params (string Key, string Value)[] fields) =>
        Expect(method, path)
            .With(r => r.Content?.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded")
            .WithExactFormData(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>Expects a JSON request with exactly this body.</summary>
    public MockedRequest ExpectJson(HttpMethod method, string path, string json) =>
        Expect(method, path)
            .With(r => r.Content?.Headers.ContentType?.MediaType == "application/json")
            .WithContent(json);

    public void Verify() => Http.VerifyNoOutstandingExpectation();

    // ------------------------------------------------------------------ the usual calls

    public static string V(int version) => $"service/{VendorId}/version/{version}";

    public void ExpectSearch(string? serviceJson) =>
        Expect(HttpMethod.Get, "service/search?name=" + ServiceName).RespondJson(serviceJson, serviceJson is null ? HttpStatusCode.NotFound : HttpStatusCode.OK);

    public void ExpectGetService(string? serviceJson) =>
        Expect(HttpMethod.Get, "service/" + VendorId).RespondJson(serviceJson, serviceJson is null ? HttpStatusCode.NotFound : HttpStatusCode.OK);

    public void ExpectValidateAndActivate(int version)
    {
        Expect(HttpMethod.Get, V(version) + "/validate").RespondJson("""{"status":"ok","msg":null,"errors":[]}""");
        Expect(HttpMethod.Put, V(version) + "/activate").RespondJson($$"""{"number":{{version}},"active":true,"locked":true,"service_id":"{{VendorId}}"}""");
    }

    /// <summary>Expects the reads of one version, answering with the objects of <paramref name="config"/>.</summary>
    public void ExpectReadVersion(int version, FastlyConfig config, Dictionary<string, string>? aclIds = null)
    {
        Expect(HttpMethod.Get, V(version) + "/domain").RespondJson(FastlyJson.Domains(config, version));
        Expect(HttpMethod.Get, V(version) + "/backend").RespondJson(FastlyJson.Backends(config, version));
        Expect(HttpMethod.Get, V(version) + "/condition").RespondJson(FastlyJson.Conditions(config, version));
        Expect(HttpMethod.Get, V(version) + "/cache_settings").RespondJson(FastlyJson.CacheSettings(config, version));
        Expect(HttpMethod.Get, V(version) + "/response_object").RespondJson(FastlyJson.ResponseObjects(config, version));
        Expect(HttpMethod.Get, V(version) + "/settings").RespondJson(FastlyJson.Settings(config, version));
        var ids = aclIds ?? config.Acls.Select((a, i) => (a.Name, Id: "acl" + i)).ToDictionary(x => x.Name, x => x.Id);
        Expect(HttpMethod.Get, V(version) + "/acl").RespondJson(FastlyJson.Acls(config, ids));
        foreach (var acl in config.Acls)
        {
            Expect(HttpMethod.Get, $"service/{VendorId}/acl/{ids[acl.Name]}/entries?page=1&per_page=100").RespondJson(FastlyJson.AclEntries(acl));
        }
    }

    /// <summary>Expects the creation of every object of <paramref name="config"/> on a version, in the provider's order.</summary>
    public void ExpectCreateAll(int version, FastlyConfig config, FastlyConfig? current = null, string aclIdPrefix = "newacl")
    {
        current ??= new FastlyConfig();
        foreach (var d in config.Domains.Where(d => !current.Domains.Contains(d)))
        {
            ExpectForm(HttpMethod.Post, V(version) + "/domain", ("name", d.Name)).RespondJson($$"""{"name":"{{d.Name}}"}""");
        }

        var n = 0;
        foreach (var a in config.Acls.Where(a => !current.Acls.Contains(a)))
        {
            var id = aclIdPrefix + n++;
            ExpectForm(HttpMethod.Post, V(version) + "/acl", ("name", a.Name)).RespondJson($$"""{"id":"{{id}}","name":"{{a.Name}}"}""");
            if (a.Entries.Count > 0)
            {
                ExpectJson(HttpMethod.Patch, $"service/{VendorId}/acl/{id}/entries", FastlyJson.AclBatch(a)).RespondJson("""{"status":"ok"}""");
            }
        }

        foreach (var c in config.Conditions.Where(c => !current.Conditions.Contains(c)))
        {
            ExpectForm(HttpMethod.Post, V(version) + "/condition", ("name", c.Name), ("type", c.Type), ("statement", c.Statement), ("priority", c.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .RespondJson($$"""{"name":"{{c.Name}}"}""");
        }

        foreach (var b in config.Backends.Where(b => !current.Backends.Contains(b)))
        {
            ExpectForm(HttpMethod.Post, V(version) + "/backend", FastlyJson.BackendForm(b)).RespondJson($$"""{"name":"{{b.Name}}"}""");
        }

        foreach (var s in config.CacheSettings.Where(s => !current.CacheSettings.Contains(s)))
        {
            var fields = new List<(string, string)> { ("name", s.Name), ("ttl", s.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("action", s.Action) };
            if (s.CacheCondition is not null)
            {
                fields.Add(("cache_condition", s.CacheCondition));
            }

            ExpectForm(HttpMethod.Post, V(version) + "/cache_settings", [.. fields]).RespondJson($$"""{"name":"{{s.Name}}"}""");
        }

        foreach (var r in config.ResponseObjects.Where(r => !current.ResponseObjects.Contains(r)))
        {
            ExpectForm(HttpMethod.Post, V(version) + "/response_object",
                ("name", r.Name), ("status", "403"), ("response", r.Response), ("content", r.Content), ("content_type", r.ContentType), ("request_condition", r.RequestCondition!))
                .RespondJson($$"""{"name":"{{r.Name}}"}""");
        }

        if (config.DefaultTtl is { } ttl && ttl != current.DefaultTtl)
        {
            ExpectForm(HttpMethod.Put, V(version) + "/settings", ("general.default_ttl", ttl.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .RespondJson($$"""{"general.default_ttl":{{ttl}}}""");
        }

        if (config.VersionComment is { } comment && comment != current.VersionComment)
        {
            ExpectForm(HttpMethod.Put, V(version), ("comment", comment)).RespondJson($$"""{"number":{{version}}}""");
        }
    }
}

internal static class MockedRequestJsonExtensions
{
    public static void RespondJson(this MockedRequest request, string? json, HttpStatusCode status = HttpStatusCode.OK) =>
        request.Respond(status, "application/json", json ?? """{"msg":"Record not found","detail":"Cannot find service"}""");
}

/// <summary>Fastly-shaped JSON answers with the field types of Fastly's models (the official client's <c>*Response</c> models): string-typed numbers where they say string.</summary>
internal static class FastlyJson
{
    public static string Service(string? versionsJson = null, string comment = "poppy:service_id=" + FastlyMock.ServiceId, string id = FastlyMock.VendorId, string name = FastlyMock.ServiceName) =>
        new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["comment"] = comment,
            ["type"] = "vcl",
            ["customer_id"] = "x4xCwxxJxGCx123Rx5xTx",
            ["versions"] = versionsJson is null ? new JsonArray() : JsonNode.Parse(versionsJson),
        }.ToJsonString();

    public static string Version(int number, bool active, bool locked, string? comment = null) =>
        new JsonObject { ["number"] = number, ["active"] = active, ["locked"] = locked, ["comment"] = comment ?? "", ["service_id"] = FastlyMock.VendorId }.ToJsonString();

    public static string Versions(params string[] versions) => "[" + string.Join(",", versions) + "]";

    public static string Domains(FastlyConfig c, int v) =>
        new JsonArray(c.Domains.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["comment"] = "", ["version"] = v }).ToArray()).ToJsonString();

    public static string Backends(FastlyConfig c, int v) =>
        new JsonArray(c.Backends.Select(b => (JsonNode)new JsonObject
        {
            ["name"] = b.Name,
            ["address"] = b.Address,
            ["hostname"] = b.Address,
            ["port"] = b.Port,
            ["use_ssl"] = b.UseSsl,
            ["ssl_cert_hostname"] = b.SslCertHostname,
            ["ssl_sni_hostname"] = b.SslSniHostname,
            ["ssl_check_cert"] = true,
            ["override_host"] = b.OverrideHost,
            ["request_condition"] = b.RequestCondition ?? "",
            ["version"] = v,
        }).ToArray()).ToJsonString();

    public static string Conditions(FastlyConfig c, int v) =>
        new JsonArray(c.Conditions.Select(x => (JsonNode)new JsonObject
        {
            ["name"] = x.Name,
            ["type"] = x.Type,
            ["statement"] = x.Statement,
            ["priority"] = x.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["comment"] = "",
            ["version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToArray()).ToJsonString();

    public static string CacheSettings(FastlyConfig c, int v) =>
        new JsonArray(c.CacheSettings.Select(x => (JsonNode)new JsonObject
        {
            ["name"] = x.Name,
            ["ttl"] = x.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["stale_ttl"] = "0",
            ["action"] = x.Action,
            ["cache_condition"] = x.CacheCondition ?? "",
            ["version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToArray()).ToJsonString();

    public static string ResponseObjects(FastlyConfig c, int v) =>
        new JsonArray(c.ResponseObjects.Select(x => (JsonNode)new JsonObject
        {
            ["name"] = x.Name,
            ["status"] = x.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["response"] = x.Response,
            ["content"] = x.Content,
            ["content_type"] = x.ContentType,
            ["request_condition"] = x.RequestCondition ?? "",
            ["cache_condition"] = "",
            ["version"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToArray()).ToJsonString();

    public static string Settings(FastlyConfig c, int v) =>
        new JsonObject
        {
            ["general.default_ttl"] = c.DefaultTtl ?? 3600,
            ["general.default_host"] = "",
            ["general.stale_if_error"] = false,
            ["general.stale_if_error_ttl"] = 43200,
            ["service_id"] = FastlyMock.VendorId,
            ["version"] = v,
        }.ToJsonString();

    public static string Acls(FastlyConfig c, Dictionary<string, string> ids) =>
        new JsonArray(c.Acls.Select(a => (JsonNode)new JsonObject { ["id"] = ids[a.Name], ["name"] = a.Name }).ToArray()).ToJsonString();

    public static string AclEntries(AclObject acl) =>
        new JsonArray(acl.Entries.Select((e, i) => (JsonNode)new JsonObject
        {
            ["id"] = "entry" + i,
            ["ip"] = e.Ip,
            ["subnet"] = e.Subnet,
            ["negated"] = e.Negated ? 1 : 0, // AclEntryResponse.negated: a number, 0 or 1
            ["comment"] = "",
        }).ToArray()).ToJsonString();

    public static string AclBatch(AclObject acl) =>
        "{\"entries\":[" + string.Join(",", acl.Entries.Select(e =>
            "{\"op\":\"create\",\"ip\":" + JsonSerializer.Serialize(e.Ip) + (e.Subnet is { } s ? ",\"subnet\":" + s : "") + ",\"negated\":" + (e.Negated ? 1 : 0) + "}")) + "]}";

    public static (string, string)[] BackendForm(BackendObject b)
    {
        var fields = new List<(string, string)>
        {
            ("name", b.Name), ("address", b.Address), ("port", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("use_ssl", b.UseSsl ? "true" : "false"),
        };
        if (b.SslCertHostname is not null)
        {
            fields.Add(("ssl_cert_hostname", b.SslCertHostname));
        }

        if (b.SslSniHostname is not null)
        {
            fields.Add(("ssl_sni_hostname", b.SslSniHostname));
        }

        if (b.OverrideHost is not null)
        {
            fields.Add(("override_host", b.OverrideHost));
        }

        if (b.RequestCondition is not null)
        {
            fields.Add(("request_condition", b.RequestCondition));
        }

        return [.. fields];
    }
}
