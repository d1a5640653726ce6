using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>
/// Field types as the official <c>fastly</c> client's models (npm <c>fastly</c> 13, <c>dist/model/*Response.js</c>) declare
/// them: the legacy versioned objects answer numbers as strings, domains, backends and settings as numbers, ACL
/// entries' <c>negated</c> as 0/1.
/// </summary>
public sealed class ModelTypeTests : FastlyTestBase
{
    [Fact]
    public async Task VersionedObjects_Answered_NumbersAsStringsWhereTheModelSaysString()
    {
        var id = await CreateDeployableServiceAsync();
        var v = $"service/{id}/version/1";

        var condition = await SendAsync(HttpMethod.Post, v + "/condition", Form(("name", "c"), ("type", "REQUEST"), ("statement", "req.url ~ \"^/a\""), ("priority", "10")));
        var cache = await SendAsync(HttpMethod.Post, v + "/cache_settings", Form(("name", "cs"), ("ttl", "3600"), ("stale_ttl", "60"), ("action", "cache")));
        var header = await SendAsync(HttpMethod.Post, v + "/header", Form(("name", "h"), ("type", "response"), ("action", "set"), ("dst", "http.X"), ("src", "\"1\""), ("priority", "10")));
        var settings = await SendAsync(HttpMethod.Post, v + "/request_settings", Form(("name", "rs"), ("force_miss", "1"), ("bypass_busy_wait", "true"), ("force_ssl", "0")));
        var response = await SendAsync(HttpMethod.Post, v + "/response_object", Form(("name", "r"), ("status", "403"), ("response", "Forbidden")));
        var acl = await SendAsync(HttpMethod.Post, v + "/acl", Form(("name", "blocked")));

        AssertString("10", condition, "priority");
        AssertString("3600", cache, "ttl");
        AssertString("60", cache, "stale_ttl");
        AssertString("10", header, "priority");
        AssertString("1", settings, "force_miss");
        AssertString("1", settings, "bypass_busy_wait");
        AssertString("0", settings, "force_ssl");
        AssertString("403", response, "status");
        foreach (var answer in new[] { condition, cache, header, settings, response, acl })
        {
            AssertString("1", answer, "version");
        }

        var listed = await SendAsync(HttpMethod.Get, v + "/cache_settings");
        AssertString("3600", listed[0]!, "ttl");
    }

    [Fact]
    public async Task DomainsBackendsSettings_Answered_NumbersAndBooleans()
    {
        var id = await CreateDeployableServiceAsync();
        var v = $"service/{id}/version/1";

        var backend = await SendAsync(HttpMethod.Put, v + "/backend/origin", Form(("weight", "100"), ("ssl_check_cert", "1")));
        var domain = await SendAsync(HttpMethod.Get, v + "/domain/www.example.com");
        var settings = await SendAsync(HttpMethod.Put, v + "/settings", Form(("general.default_ttl", "600")));

        Assert.Equal(443, backend["port"]!.GetValue<long>());
        Assert.Equal(100, backend["weight"]!.GetValue<long>());
        Assert.True(backend["use_ssl"]!.GetValue<bool>());
        Assert.True(backend["ssl_check_cert"]!.GetValue<bool>());
        Assert.Equal(1, backend["version"]!.GetValue<long>());
        Assert.Equal(1, domain["version"]!.GetValue<long>());
        Assert.Equal(600, settings["general.default_ttl"]!.GetValue<long>());
        Assert.False(settings["general.stale_if_error"]!.GetValue<bool>());
        Assert.Equal(1, settings["version"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("backend", "port", "https")]
    [InlineData("cache_settings", "ttl", "an hour")]
    [InlineData("request_settings", "force_miss", "yes")]
    public async Task CreateVersionedObject_FieldNotOfItsModelType_Is400(string kind, string field, string value)
    {
        var id = await CreateDeployableServiceAsync();

        var body = await SendAsync(HttpMethod.Post, $"service/{id}/version/1/{kind}", Form(("name", "x"), ("address", "a.example"), (field, value)), HttpStatusCode.BadRequest);

        Assert.Contains(field, body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceDetails_Version_HasTheKindsOfTheModelsVersionDetail()
    {
        var id = await CreateDeployableServiceAsync();

        var details = await SendAsync(HttpMethod.Get, $"service/{id}/details");

        var version = details["version"]!.AsObject();
        foreach (var key in new[] { "backends", "cache_settings", "conditions", "directors", "domains", "gzips", "headers", "healthchecks", "request_settings", "response_objects", "snippets", "vcls" })
        {
            Assert.Equal(JsonValueKind.Array, version[key]!.GetValueKind());
        }

        Assert.Equal(443, version["backends"]![0]!["port"]!.GetValue<long>());
        Assert.Equal(3600, version["settings"]!["general.default_ttl"]!.GetValue<long>());
    }

    [Fact]
    public async Task AclEntries_Negated_IsZeroOrOneWhateverTheClientSent()
    {
        var (id, aclId) = await CreateAclAsync();

        var single = await SendAsync(HttpMethod.Post, $"service/{id}/acl/{aclId}/entry", Form(("ip", "192.0.2.1"), ("negated", "true")));
        await SendAsync(HttpMethod.Patch, $"service/{id}/acl/{aclId}/entries", JsonContent.Create(new
        {
            entries = new object[]
            {
                new { op = "create", ip = "192.0.2.0", subnet = 24, negated = false },
                new { op = "create", ip = "198.51.100.0", subnet = "24", negated = 1 },
                new { op = "create", ip = "203.0.113.0", subnet = 24, negated = "0" },
            },
        }));
        var entries = (await SendAsync(HttpMethod.Get, $"service/{id}/acl/{aclId}/entries")).AsArray();

        Assert.Equal(1, single["negated"]!.GetValue<long>());
        Assert.Equal([1L, 0L, 1L, 0L], entries.Select(e => e!["negated"]!.GetValue<long>()));
        Assert.All(entries.Skip(1), e => Assert.Equal(24, e!["subnet"]!.GetValue<long>()));
    }

    [Fact]
    public async Task AclEntries_BatchUpdate_ChangesTheEntry()
    {
        var (id, aclId) = await CreateAclAsync();
        var created = await SendAsync(HttpMethod.Post, $"service/{id}/acl/{aclId}/entry", Form(("ip", "192.0.2.0"), ("subnet", "24")));
        var entryId = created["id"]!.GetValue<string>();

        await SendAsync(HttpMethod.Patch, $"service/{id}/acl/{aclId}/entries", JsonContent.Create(new
        {
            entries = new object[] { new { op = "update", id = entryId, ip = "198.51.100.0", subnet = 25, negated = 1 } },
        }));
        var entry = await SendAsync(HttpMethod.Get, $"service/{id}/acl/{aclId}/entry/{entryId}");

        Assert.Equal("198.51.100.0", entry["ip"]!.GetValue<string>());
        Assert.Equal(25, entry["subnet"]!.GetValue<long>());
        Assert.Equal(1, entry["negated"]!.GetValue<long>());
    }

    [Fact]
    public async Task UpdateAclEntry_JsonBody_ChangesTheEntry()
    {
        var (id, aclId) = await CreateAclAsync();
        var created = await SendAsync(HttpMethod.Post, $"service/{id}/acl/{aclId}/entry", JsonContent.Create(new { ip = "192.0.2.0", subnet = 24, negated = 0 }));
        var entryId = created["id"]!.GetValue<string>();

        var updated = await SendAsync(HttpMethod.Patch, $"service/{id}/acl/{aclId}/entry/{entryId}", JsonContent.Create(new { negated = 1, comment = "flip" }));

        Assert.Equal(1, updated["negated"]!.GetValue<long>());
        Assert.Equal("192.0.2.0", updated["ip"]!.GetValue<string>());
        Assert.Equal("flip", updated["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task AclEntries_BatchUpdateOfUnknownEntry_Is404AndChangesNothing()
    {
        var (id, aclId) = await CreateAclAsync();

        await SendAsync(HttpMethod.Patch, $"service/{id}/acl/{aclId}/entries", JsonContent.Create(new
        {
            entries = new object[] { new { op = "create", ip = "192.0.2.0" }, new { op = "update", id = "nosuchentry", ip = "198.51.100.0" } },
        }), HttpStatusCode.NotFound);
        var entries = await SendAsync(HttpMethod.Get, $"service/{id}/acl/{aclId}/entries");

        Assert.Empty(entries.AsArray());
    }

    private static void AssertString(string expected, JsonNode answer, string field)
    {
        var value = answer[field];
        Assert.True(value?.GetValueKind() == JsonValueKind.String, $"'{field}' should be a string: {answer.ToJsonString()}");
        Assert.Equal(expected, value!.GetValue<string>());
    }

    private async Task<(string Id, string AclId)> CreateAclAsync()
    {
        var id = await CreateDeployableServiceAsync();
        var acl = await SendAsync(HttpMethod.Post, $"service/{id}/version/1/acl", Form(("name", "blocked")));
        return (id, acl["id"]!.GetValue<string>());
    }
}
