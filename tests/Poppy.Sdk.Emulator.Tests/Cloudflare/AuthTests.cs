using System.Net;
using System.Net.Http.Headers;
using Poppy.Sdk.Emulator.Cloudflare;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

public sealed class AuthTests : CloudflareTestBase
{
    protected override void Configure(CloudflareEmulatorOptions options) => options.GlobalRateLimit = 5;

    [Fact]
    public async Task Verify_TheToken_AnswersActiveInTheEnvelope()
    {
        var envelope = await SendAsync(HttpMethod.Get, "user/tokens/verify");

        var result = Result(envelope);
        Assert.Equal("active", Str(result["status"]));
        Assert.Matches("^[0-9a-f]{32}$", Str(result["id"]));
        Assert.Equal(10000, envelope["messages"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_AnotherToken_Is403Code10000()
    {
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");

        var body = await SendAsync(HttpMethod.Get, $"zones/{Zone}", expected: HttpStatusCode.Forbidden);

        Assert.Equal(10000, ErrorCode(body));
        Assert.Equal("Authentication error", Str(body["errors"]![0]!["message"]));
    }

    [Theory]
    [InlineData("Basic abc")]
    [InlineData("Bearer")]
    [InlineData("Bearer two tokens")]
    [InlineData("bearer emulator-cloudflare-token")]
    public async Task Request_MalformedAuthorization_Is400Code6003WithChain6111(string header)
    {
        Http.DefaultRequestHeaders.Authorization = null;
        Http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        var body = await SendAsync(HttpMethod.Get, "user/tokens/verify", expected: HttpStatusCode.BadRequest);

        Assert.Equal(6003, ErrorCode(body));
        Assert.Equal(6111, body["errors"]![0]!["error_chain"]![0]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_NoAuthorization_Is400Code9106()
    {
        Http.DefaultRequestHeaders.Authorization = null;

        var body = await SendAsync(HttpMethod.Get, "user/tokens/verify", expected: HttpStatusCode.BadRequest);

        Assert.Equal(9106, ErrorCode(body));
    }

    [Fact]
    public async Task Request_PastTheTokensBudget_Is429WithRetryAfterUntilTheWindowEnds()
    {
        for (var i = 0; i < 5; i++)
        {
            var (ok, _, headers) = await SendRawAsync(HttpMethod.Get, "user/tokens/verify");
            Assert.Equal(HttpStatusCode.OK, ok);
            Assert.Equal($"\"default\";r={4 - i};t=300", headers.GetValues("Ratelimit").Single());
        }

        var (status, body, throttled) = await SendRawAsync(HttpMethod.Get, "user/tokens/verify");
        Time.Advance(TimeSpan.FromMinutes(5));
        var (after, _, _) = await SendRawAsync(HttpMethod.Get, "user/tokens/verify");

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(971, ErrorCode(body));
        Assert.Equal(TimeSpan.FromSeconds(300), throttled.RetryAfter?.Delta);
        Assert.Equal("\"default\";q=5;w=300", throttled.GetValues("Ratelimit-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, after);
    }

    [Fact]
    public async Task Zone_GetAndList_AnswerTheSaasZoneWithResultInfo()
    {
        var zone = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}"));
        var list = await SendAsync(HttpMethod.Get, $"zones?name={Emulator.Cloudflare.Options.ZoneName}&account.id={Emulator.Cloudflare.AccountId}");
        var none = await SendAsync(HttpMethod.Get, "zones?name=other.example");
        var unknown = await SendAsync(HttpMethod.Get, $"zones/{new string('0', 32)}", expected: HttpStatusCode.NotFound);

        Assert.Equal(Zone, Str(zone["id"]));
        Assert.Equal("active", Str(zone["status"]));
        Assert.Equal(Emulator.Cloudflare.AccountId, Str(zone["account"]!["id"]));
        Assert.Equal(Zone, Str(Assert.Single(Result(list).AsArray())!["id"]));
        Assert.Equal(1, list["result_info"]!["total_count"]!.GetValue<int>());
        Assert.Empty(Result(none).AsArray());
        Assert.Equal(7003, ErrorCode(unknown));
    }

    [Fact]
    public async Task UnknownOperation_Is404Code7000_OtherMethod405()
    {
        var unknown = await SendAsync(HttpMethod.Get, "no/such/operation", expected: HttpStatusCode.NotFound);
        var method = await SendAsync(HttpMethod.Delete, "user/tokens/verify", expected: HttpStatusCode.MethodNotAllowed);

        Assert.Equal(7000, ErrorCode(unknown));
        Assert.Equal(7001, ErrorCode(method));
    }
}
