using System.Net;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

public sealed class FaultAndInspectionTests : CloudflareTestBase
{
    [Fact]
    public async Task RateLimitNext_Answers429Code971WithRetryAfterAndRatelimit()
    {
        Emulator.Cloudflare.Faults.RateLimitNext(1, TimeSpan.FromSeconds(4));

        var (status, body, headers) = await SendRawAsync(HttpMethod.Get, $"zones/{Zone}");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(971, ErrorCode(body));
        Assert.Equal(TimeSpan.FromSeconds(4), headers.RetryAfter?.Delta);
        Assert.Equal("\"default\";r=0;t=4", headers.GetValues("Ratelimit").Single());
    }

    [Fact]
    public async Task FailNext_503_AnswersTheEnvelopeWithCode10001()
    {
        Emulator.Cloudflare.Faults.FailNext(1, 503);

        var body = await SendAsync(HttpMethod.Get, $"zones/{Zone}", expected: HttpStatusCode.ServiceUnavailable);

        Assert.Equal(10001, ErrorCode(body));
    }

    [Fact]
    public async Task Reset_ForgetsHostnamesRulesFallbackAndPurges()
    {
        await CreateHostnameAsync("www.customer.example");
        await SendAsync(HttpMethod.Put, $"zones/{Zone}/custom_hostnames/fallback_origin", new { origin = "fallback.saas.example.net" });
        await SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/http_request_firewall_custom/entrypoint", """{"rules":[{"action":"block","expression":"ip.src in {192.0.2.0/24}","ref":"r"}]}""");
        await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { tags = new[] { "t" } });

        Assert.Single(Emulator.Cloudflare.CustomHostnames);
        Assert.Equal(("http_request_firewall_custom", "r", "block"), (Emulator.Cloudflare.Rules.Single().Phase, Emulator.Cloudflare.Rules.Single().Ref, Emulator.Cloudflare.Rules.Single().Action));
        Assert.Equal("fallback.saas.example.net", Emulator.Cloudflare.FallbackOrigin);
        Emulator.Cloudflare.Reset();

        Assert.Empty(Emulator.Cloudflare.CustomHostnames);
        Assert.Empty(Emulator.Cloudflare.Rules);
        Assert.Null(Emulator.Cloudflare.FallbackOrigin);
        Assert.Empty(Emulator.Cloudflare.Purges);
        Assert.Empty(Emulator.Cloudflare.Calls.Calls);
        await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets/phases/http_request_firewall_custom/entrypoint", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EntryPoint_ConcurrentCreates_YieldOneRuleset()
    {
        var puts = Enumerable.Range(0, 8).Select(_ => SendAsync(HttpMethod.Put, $"zones/{Zone}/rulesets/phases/http_request_origin/entrypoint", new JsonObject { ["rules"] = new JsonArray() }));

        var answers = await Task.WhenAll(puts);

        var ids = answers.Select(a => Str(Result(a)["id"])).Distinct().ToList();
        Assert.Single(ids);
        var list = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/rulesets")).AsArray();
        Assert.Equal(ids, list.Select(r => Str(r!["id"])));
        Assert.Equal("8", Str(list[0]!["version"]));
    }

    [Fact]
    public async Task Calls_AreLoggedWithTheirStatus()
    {
        await SendAsync(HttpMethod.Get, "user/tokens/verify");
        await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/{new string('a', 32)}", expected: HttpStatusCode.NotFound);

        Assert.Equal(
            [new EmulatorCall("GET", "/client/v4/user/tokens/verify", 200), new EmulatorCall("GET", $"/client/v4/zones/{Zone}/custom_hostnames/{new string('a', 32)}", 404)],
            Emulator.Cloudflare.Calls.Calls);
    }
}
