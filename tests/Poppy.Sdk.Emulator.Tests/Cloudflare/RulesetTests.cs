using System.Net;
using System.Text.Json.Nodes;
using Poppy.Sdk.Emulator.Cloudflare;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

public sealed class RulesetTests : CloudflareTestBase
{
    private const string Cache = "http_request_cache_settings";

    protected override void Configure(CloudflareEmulatorOptions options) => options.Plan = CloudflarePlan.Free;

    [Fact]
    public async Task EntryPoint_Missing_Is404_PutCreatesIt()
    {
        var missing = await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint", expected: HttpStatusCode.NotFound);
        var created = Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint", new JsonObject { ["rules"] = new JsonArray(CacheRule("a", 7200)) }));
        var read = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint"));

        Assert.Equal(10003, ErrorCode(missing));
        Assert.Equal(("zone", Cache, "1"), (Str(created["kind"]), Str(created["phase"]), Str(created["version"])));
        Assert.Equal(created.ToJsonString(), read.ToJsonString());
        var rule = Assert.Single(read["rules"]!.AsArray())!;
        Assert.Equal(("a", "set_cache_settings", "1", true), (Str(rule["ref"]), Str(rule["action"]), Str(rule["version"]), rule["enabled"]!.GetValue<bool>()));
        Assert.Equal(7200, rule["action_parameters"]!["edge_ttl"]!["default"]!.GetValue<int>());
    }

    [Fact]
    public async Task EntryPoint_PutAgain_ReplacesTheRulesKeepingIdsGiven()
    {
        var first = Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint", new JsonObject { ["rules"] = new JsonArray(CacheRule("a", 7200), CacheRule("b", 86400)) }));
        var keep = first["rules"]![0]!;
        var kept = CacheRule("a", 14400);
        kept["id"] = Str(keep["id"]);

        var second = Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint", new JsonObject { ["rules"] = new JsonArray(kept) }));

        Assert.Equal(Str(first["id"]), Str(second["id"]));
        Assert.Equal("2", Str(second["version"]));
        var rule = Assert.Single(second["rules"]!.AsArray())!;
        Assert.Equal((Str(keep["id"]), "2"), (Str(rule["id"]), Str(rule["version"])));
    }

    [Fact]
    public async Task Rules_AddEditDelete_AnswerTheWholeRulesetWithItsVersionBumped()
    {
        var id = await EntryPointAsync();

        var added = Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("svc-1", 7200)));
        var second = Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", Positioned(CacheRule("svc-2", 86400), new JsonObject { ["index"] = 1 })));
        var ruleId = Str(second["rules"]!.AsArray().Single(r => Str(r!["ref"]) == "svc-1")!["id"]);
        var edited = Result(await SendAsync(HttpMethod.Patch, $"zones/{Zone}/rulesets/{id}/rules/{ruleId}", new JsonObject { ["description"] = "changed" }));
        var deleted = Result(await SendAsync(HttpMethod.Delete, $"zones/{Zone}/rulesets/{id}/rules/{ruleId}"));

        Assert.Equal(["svc-1"], Refs(added));
        Assert.Equal(["svc-2", "svc-1"], Refs(second));
        var rule = edited["rules"]!.AsArray().Single(r => Str(r!["id"]) == ruleId)!;
        Assert.Equal(("changed", "2", 7200), (Str(rule["description"]), Str(rule["version"]), rule["action_parameters"]!["edge_ttl"]!["default"]!.GetValue<int>()));
        Assert.Equal(["svc-2"], Refs(deleted));
        Assert.Equal(["2", "3", "4", "5"], new[] { added, second, edited, deleted }.Select(r => Str(r["version"])));
        Assert.Equal(["svc-2"], Emulator.Cloudflare.Rules.Select(r => r.Ref));
    }

    [Fact]
    public async Task Rules_OfTwoServices_EditingOneLeavesTheOtherUntouched()
    {
        var id = await EntryPointAsync();
        await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("svc-1", 7200));
        var both = Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("svc-2", 86400)));
        var other = both["rules"]!.AsArray().Single(r => Str(r!["ref"]) == "svc-1")!.ToJsonString();
        var mine = Str(both["rules"]!.AsArray().Single(r => Str(r!["ref"]) == "svc-2")!["id"]);

        await SendAsync(HttpMethod.Patch, $"zones/{Zone}/rulesets/{id}/rules/{mine}", new JsonObject { ["action_parameters"] = new JsonObject { ["cache"] = false } });
        var after = Result(await SendAsync(HttpMethod.Delete, $"zones/{Zone}/rulesets/{id}/rules/{mine}"));

        Assert.Equal(other, Assert.Single(after["rules"]!.AsArray())!.ToJsonString());
    }

    [Fact]
    public async Task Rule_DuplicateRef_Is400AndNothingChanges()
    {
        var id = await EntryPointAsync();
        await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("svc-1", 7200));
        var b = Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("svc-2", 7200)));
        var bId = Str(b["rules"]![1]!["id"]);

        var add = await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("svc-1", 86400), HttpStatusCode.BadRequest);
        var edit = await SendAsync(HttpMethod.Patch, $"zones/{Zone}/rulesets/{id}/rules/{bId}", new JsonObject { ["ref"] = "svc-1" }, HttpStatusCode.BadRequest);

        Assert.Equal(20021, ErrorCode(add));
        Assert.Equal(20021, ErrorCode(edit));
        Assert.Equal(["svc-1", "svc-2"], Emulator.Cloudflare.Rules.Select(r => r.Ref));
    }

    [Fact]
    public async Task Rule_WithoutRef_TakesItsIdAsRef()
    {
        var id = await EntryPointAsync();
        var rule = CacheRule("x", 7200);
        rule.Remove("ref");

        var added = Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", rule));

        var only = Assert.Single(added["rules"]!.AsArray())!;
        Assert.Equal(Str(only["id"]), Str(only["ref"]));
    }

    [Theory]
    [InlineData(Cache, """{"action":"block","expression":"http.host eq \"a.example\""}""")]
    [InlineData("http_request_origin", """{"action":"set_cache_settings","expression":"http.host eq \"a.example\""}""")]
    [InlineData(Cache, """{"expression":"http.host eq \"a.example\""}""")]
    [InlineData(Cache, """{"action":"set_cache_settings"}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"http.host eq \"a.example\"","enabled":"yes"}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"http.host eq \"a.example\"","action_parameters":[1]}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"http.host eq \"a.example\"","ref":""}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"http.hots eq \"a.example\""}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"http.host eq \"a.example\"","position":{"before":"nope"}}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"ssl","action_parameters":{"edge_ttl":{"mode":"override_origin","default":3600}}}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"ssl","action_parameters":{"edge_ttl":{"mode":"override_origin"}}}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"ssl","action_parameters":{"edge_ttl":{"mode":"forever","default":7200}}}""")]
    [InlineData(Cache, """{"action":"set_cache_settings","expression":"ssl","action_parameters":{"cache":"yes"}}""")]
    [InlineData("http_request_origin", """{"action":"route","expression":"ssl","action_parameters":{"origin":{"host":"o.example","port":70000}}}""")]
    [InlineData("http_request_origin", """{"action":"route","expression":"ssl","action_parameters":{"host_header":"not a host"}}""")]
    [InlineData("http_request_origin", """{"action":"route","expression":"ssl","action_parameters":{"sni":"o.example"}}""")]
    public async Task Rule_Invalid_Is400(string phase, string body)
    {
        var id = Str(Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/{phase}/entrypoint", new JsonObject { ["rules"] = new JsonArray() }))["id"]);

        var answer = await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", body, HttpStatusCode.BadRequest);

        Assert.Equal(20021, ErrorCode(answer));
        Assert.Empty(Emulator.Cloudflare.Rules);
    }

    [Fact]
    public async Task EntryPoint_UnknownPhase_Is400_UnknownRulesetOrRule404()
    {
        var phase = await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets/phases/http_nonsense/entrypoint", expected: HttpStatusCode.BadRequest);
        var ruleset = await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets/{new string('a', 32)}", expected: HttpStatusCode.NotFound);
        var id = await EntryPointAsync();
        var rule = await SendAsync(HttpMethod.Delete, $"zones/{Zone}/rulesets/{id}/rules/{new string('b', 32)}", expected: HttpStatusCode.NotFound);

        Assert.Equal(20021, ErrorCode(phase));
        Assert.Equal(10003, ErrorCode(ruleset));
        Assert.Equal(10003, ErrorCode(rule));
    }

    [Fact]
    public async Task CacheRules_PastThePlansCount_Are400()
    {
        var id = await EntryPointAsync();
        for (var i = 0; i < 10; i++)
        {
            await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule($"r{i}", 7200));
        }

        var eleventh = await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{id}/rules", CacheRule("r10", 7200), HttpStatusCode.BadRequest);

        Assert.Equal(20021, ErrorCode(eleventh));
        Assert.Contains("at most 10 cache rules", Str(eleventh["errors"]![0]!["message"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rule_BypassAndRoute_AreAccepted()
    {
        var cache = Str(Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint", new JsonObject { ["rules"] = new JsonArray() }))["id"]);
        var origin = Str(Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/http_request_origin/entrypoint", new JsonObject { ["rules"] = new JsonArray() }))["id"]);

        await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{cache}/rules", """{"action":"set_cache_settings","expression":"ssl","ref":"bypass","action_parameters":{"cache":false}}""");
        await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{cache}/rules", """{"action":"set_cache_settings","expression":"ssl","ref":"origin","action_parameters":{"cache":true,"edge_ttl":{"mode":"respect_origin"}}}""");
        await SendAsync(HttpMethod.Post, $"zones/{Zone}/rulesets/{origin}/rules", """{"action":"route","expression":"ssl","ref":"r","action_parameters":{"host_header":"h.example","origin":{"host":"o.example","port":8443},"sni":{"value":"o.example"}}}""");

        Assert.Equal(["bypass", "origin", "r"], Emulator.Cloudflare.Rules.Select(r => r.Ref));
    }

    [Fact]
    public async Task List_AnswersTheEntryPointsWithoutRules()
    {
        await EntryPointAsync();
        await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/http_request_origin/entrypoint", new JsonObject { ["rules"] = new JsonArray() });

        var list = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets")).AsArray();

        Assert.Equal([Cache, "http_request_origin"], list.Select(r => Str(r!["phase"])));
        Assert.All(list, r => Assert.Null(r!["rules"]));
    }

    private async Task<string> EntryPointAsync() =>
        Str(Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/{Cache}/entrypoint", new JsonObject { ["rules"] = new JsonArray() }))["id"]);

    private static JsonObject CacheRule(string reference, int ttl) => new()
    {
        ["action"] = "set_cache_settings",
        ["expression"] = "(http.host in {\"a.example\" \"b.example\"}) and starts_with(http.request.uri.path, \"/images/\")",
        ["action_parameters"] = new JsonObject { ["cache"] = true, ["edge_ttl"] = new JsonObject { ["mode"] = "override_origin", ["default"] = ttl } },
        ["ref"] = reference,
    };

    private static JsonObject Positioned(JsonObject rule, JsonObject position)
    {
        rule["position"] = position;
        return rule;
    }

    private static IEnumerable<string> Refs(JsonNode ruleset) => ruleset["rules"]!.AsArray().Select(r => Str(r!["ref"]));
}
