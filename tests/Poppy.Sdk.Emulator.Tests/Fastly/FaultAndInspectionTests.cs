using System.Net;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>Injected faults in Fastly's error format; unknown paths and methods; inspection of calls.</summary>
public sealed class FaultAndInspectionTests : FastlyTestBase
{
    [Fact]
    public async Task Faults_VendorDownFailNextAndStorm_AnswerInFastlyFormat()
    {
        // Added latency is covered, for every vendor, by Hosting/SharedMiddlewareTests (on a clock it waits for).
        Emulator.Fastly.Faults.FailNext(1, 502);
        var failed = await SendAsync(HttpMethod.Get, "service", expected: HttpStatusCode.BadGateway);
        Emulator.Fastly.Faults.RateLimitNext(2, TimeSpan.FromSeconds(5));
        using (var storm = await Http.GetAsync("service"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, storm.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), storm.Headers.RetryAfter!.Delta);
            Assert.Equal("0", storm.Headers.GetValues("Fastly-RateLimit-Remaining").Single());
        }

        (await Http.GetAsync("service")).Dispose();
        Emulator.Fastly.Faults.VendorDown = true;
        await SendAsync(HttpMethod.Get, "service", expected: HttpStatusCode.ServiceUnavailable);
        Emulator.Fastly.Faults.VendorDown = false;
        using var after = await Http.GetAsync("service");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("Error", failed["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownMethod_OnAServedPath_Is405InFastlyFormat()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "service");
        using var response = await Http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("Method not allowed", body["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Faults_ResetConnection_ClientSeesNetworkError()
    {
        Emulator.Fastly.Faults.ResetNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync("service"));
        using var next = await Http.GetAsync("service");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Faults_LoseAnswer_VendorActsButClientSeesNetworkError()
    {
        Emulator.Fastly.Faults.LoseAnswerNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => Http.PostAsync("service", Form(("name", "lost-answer"), ("comment", "poppy:service_id=svc-1"))));

        var created = Assert.Single(Emulator.Fastly.Services);
        Assert.Equal("lost-answer", created.Name);
        Assert.Equal(0, Emulator.Fastly.Calls.Calls.Single().Status);
        using var next = await Http.GetAsync("service");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task ErrorRate_IsDeterministicForASeed()
    {
        Emulator.Fastly.Faults.ErrorRate = 0.5;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var r = await Http.GetAsync("service");
            statuses.Add(r.StatusCode);
        }

        Emulator.Fastly.Faults.Clear(seed: 1);
        Emulator.Fastly.Faults.ErrorRate = 0.5;
        var again = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var r = await Http.GetAsync("service");
            again.Add(r.StatusCode);
        }

        Assert.Equal(statuses, again);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    [Fact]
    public async Task Calls_AreRecordedForInspection()
    {
        await SendAsync(HttpMethod.Get, "service");
        await SendAsync(HttpMethod.Post, "service", Form(("name", "x")));

        Assert.Equal(1, Emulator.Fastly.Calls.Count("GET", "/service"));
        Assert.Equal(1, Emulator.Fastly.Calls.Count("POST"));
        Assert.All(Emulator.Fastly.Calls.Calls, c => Assert.Equal(200, c.Status));
    }

    [Fact]
    public async Task UnknownPath_Is404()
    {
        using var response = await Http.GetAsync("nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
