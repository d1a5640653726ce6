using System.Net;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>Fastly-Key and the hourly write budget: 401 in Fastly's format, the rate-limit headers and 429.</summary>
public sealed class AuthTests : FastlyTestBase
{
    [Fact]
    public async Task Requests_WithoutOrWithWrongKey_Get401WithFastlyErrorBody()
    {
        using var anonymous = new HttpClient { BaseAddress = Emulator.BaseAddress };
        using var response = await anonymous.GetAsync("service");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Provided credentials are missing or invalid", body["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task RateLimit_WritesCountDownHeadersAnd429PastBudgetUntilTheHourTurns()
    {
        using (var first = await Http.PostAsync("service", Form(("name", "s0"))))
        {
            Assert.Equal("49", first.Headers.GetValues("Fastly-RateLimit-Remaining").Single());
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), first.Headers.GetValues("Fastly-RateLimit-Reset").Single());
        }

        for (var i = 1; i < 50; i++)
        {
            (await Http.PostAsync("service", Form(("name", $"s{i}")))).Dispose();
        }

        using var limited = await Http.PostAsync("service", Form(("name", "over")));
        using var read = await Http.GetAsync("service");
        using var purge = await Http.PostAsync("purge/www.example.com/x", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);

        Time.Advance(TimeSpan.FromMinutes(30));
        using var after = await Http.PostAsync("service", Form(("name", "next-hour")));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }
}
