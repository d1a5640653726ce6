using System.Net;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>Akamai's answers to injected faults on each API (problem+json under /papi, Fast Purge's body under /ccu), inspection and reset.</summary>
public sealed class FaultAndInspectionTests : AkamaiTestBase
{
    [Fact]
    public async Task InjectedRateLimit_OnFastPurge_AnswersTheRequestBucketBody()
    {
        await CreatePropertyAsync();
        Emulator.Akamai.Faults.RateLimitNext(1, TimeSpan.FromSeconds(5));

        var answer = await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/staging", new { objects = new[] { "t" } }, HttpStatusCode.TooManyRequests);

        Assert.Equal("Rate Limit exceeded", answer["title"]!.GetValue<string>());
        Assert.Equal(429, answer["httpStatus"]!.GetValue<int>());
        Assert.Equal(0, answer["rateLimitRemaining"]!.GetValue<int>());
        Assert.Equal(TimeSpan.FromSeconds(5), LastResponse.Headers.RetryAfter?.Delta);
        Assert.Empty(Emulator.Akamai.Purges);
    }

    [Fact]
    public async Task InjectedFailure_OnPapi_IsAProblem()
    {
        Emulator.Akamai.Faults.FailNext(1, 500);

        var answer = await CallAsync(HttpMethod.Get, "/papi/v1/groups", expected: HttpStatusCode.InternalServerError);

        Assert.Equal("https://problems.luna.akamaiapis.net/papi/proxy/internal-server-error", answer["type"]!.GetValue<string>());
        Assert.Equal("application/problem+json", LastResponse.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task InjectedConflict_IsPapisResourceBusy()
    {
        Emulator.Akamai.Faults.FailNext(1, 409);

        var answer = await CallAsync(HttpMethod.Get, "/papi/v1/groups", expected: HttpStatusCode.Conflict);

        Assert.Equal("https://problems.luna.akamaiapis.net/papi/v1/resource-busy", answer["type"]!.GetValue<string>());
        Assert.Equal("Operation failed", answer["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Inspection_RulesAndPurges_ThenReset_ForgetsEverything()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();
        await CallAsync(HttpMethod.Post, "/ccu/v3/delete/url/production", new { objects = new[] { "https://www.example.com/x" } }, HttpStatusCode.Created);

        Assert.Contains("origin.example.net", Emulator.Akamai.GetRules(propertyId, 1), StringComparison.Ordinal);
        Assert.Null(Emulator.Akamai.GetRules(propertyId, 2));
        Assert.Equal("delete", Emulator.Akamai.Purges.Single().Action);
        Emulator.Akamai.Reset();

        Assert.Empty(Emulator.Akamai.Properties);
        Assert.Empty(Emulator.Akamai.Purges);
        Assert.Empty(Emulator.Akamai.Calls.Calls);
        await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}{Cg}", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public void StartupLine_NamesBaseUrlHostAndCredentials()
    {
        var line = Emulator.Akamai.DescribeStartup(Emulator.BaseAddress);

        Assert.Equal(
            $"akamai base_url=http://127.0.0.1:{Emulator.BaseAddress.Port} host=127.0.0.1:{Emulator.BaseAddress.Port} client_token=akab-emulator-client-token client_secret=emulator-akamai-client-secret= access_token=akab-emulator-access-token",
            line);
    }
}
