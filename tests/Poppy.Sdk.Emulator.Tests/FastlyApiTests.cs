using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator;

namespace Poppy.Sdk.Emulator.Tests;

/// <summary>The emulated Fastly API, driven over HTTP as Fastly's clients do.</summary>
public sealed class FastlyApiTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));
    private CdnEmulator _emulator = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = _time, Fastly = { HourlyRateLimit = 50 } });
        _http = new HttpClient { BaseAddress = _emulator.BaseUrl };
        _http.DefaultRequestHeaders.Add("Fastly-Key", _emulator.Fastly.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _emulator.DisposeAsync();
    }

    private static FormUrlEncodedContent Form(params (string, string)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<string> CreateDeployableServiceAsync()
    {
        var service = await SendAsync(HttpMethod.Post, "service", Form(("name", "svc"), ("comment", "poppy:x"), ("type", "vcl")));
        var id = service["id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/domain", Form(("name", "www.example.com")));
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/backend", Form(("name", "origin"), ("address", "origin.example.net"), ("port", "443"), ("use_ssl", "true")));
        return id;
    }

    [Fact]
    public async Task Requests_WithoutOrWithWrongKey_Get401WithFastlyErrorBody()
    {
        using var anonymous = new HttpClient { BaseAddress = _emulator.BaseUrl };
        using var response = await anonymous.GetAsync("service");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Provided credentials are missing or invalid", body["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServiceLifecycle_CreateVersionObjectsValidateActivate_Works()
    {
        var id = await CreateDeployableServiceAsync();

        var validation = await SendAsync(HttpMethod.Get, $"service/{id}/version/1/validate");
        var activated = await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");
        var details = await SendAsync(HttpMethod.Get, $"service/{id}/details");

        Assert.Equal("ok", validation["status"]!.GetValue<string>());
        Assert.True(activated["active"]!.GetValue<bool>());
        Assert.True(activated["locked"]!.GetValue<bool>());
        Assert.Equal(1, details["active_version"]!["number"]!.GetValue<int>());
        var backend = details["active_version"]!["backends"]![0]!;
        Assert.Equal(443, backend["port"]!.GetValue<long>());
        Assert.True(backend["use_ssl"]!.GetValue<bool>());
        Assert.Equal(1, _emulator.Fastly.Services.Single().ActiveVersion);
    }

    [Fact]
    public async Task Validate_MissingBackendAndCondition_ReportsErrorsAndActivateRefuses()
    {
        var service = await SendAsync(HttpMethod.Post, "service", Form(("name", "bad")));
        var id = service["id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/domain", Form(("name", "www.example.com")));
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/response_object", Form(("name", "deny"), ("status", "403"), ("request_condition", "nope")));

        var validation = await SendAsync(HttpMethod.Get, $"service/{id}/version/1/validate");
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate", expected: HttpStatusCode.BadRequest);

        Assert.Equal("error", validation["status"]!.GetValue<string>());
        Assert.Equal(2, validation["errors"]!.AsArray().Count);
    }

    [Fact]
    public async Task EditingActiveOrLockedVersion_Is400WithFastlyBody()
    {
        var id = await CreateDeployableServiceAsync();
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");

        var body = await SendAsync(HttpMethod.Post, $"service/{id}/version/1/domain", Form(("name", "other.example.com")), HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, $"service/{id}/version", null);
        await SendAsync(HttpMethod.Put, $"service/{id}/version/2/lock");
        await SendAsync(HttpMethod.Delete, $"service/{id}/version/2/domain/www.example.com", expected: HttpStatusCode.BadRequest);

        Assert.Equal("Bad request", body["msg"]!.GetValue<string>());
        Assert.Contains("clone it first", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clone_CopiesEveryVersionedObjectAndSettings()
    {
        var id = await CreateDeployableServiceAsync();
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/condition", Form(("name", "images"), ("type", "REQUEST"), ("statement", "req.url ~ \"^/images/\""), ("priority", "10")));
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/settings", Form(("general.default_ttl", "600")));
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");

        var clone = await SendAsync(HttpMethod.Put, $"service/{id}/version/1/clone");
        var settings = await SendAsync(HttpMethod.Get, $"service/{id}/version/2/settings");

        Assert.Equal(2, clone["number"]!.GetValue<int>());
        Assert.False(clone["locked"]!.GetValue<bool>());
        Assert.Equal(600, settings["general.default_ttl"]!.GetValue<long>());
        Assert.Single(_emulator.Fastly.GetObjects(id, 2, "condition"));
        Assert.Single(_emulator.Fastly.GetObjects(id, 2, "backend"));
        await SendAsync(HttpMethod.Post, $"service/{id}/version/2/domain", Form(("name", "new.example.com")));
        Assert.Single(_emulator.Fastly.GetObjects(id, 1, "domain"));
    }

    [Fact]
    public async Task DeleteService_WhileActive_RefusedUntilDeactivated()
    {
        var id = await CreateDeployableServiceAsync();
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");

        await SendAsync(HttpMethod.Delete, $"service/{id}", expected: HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/deactivate");
        await SendAsync(HttpMethod.Delete, $"service/{id}");

        Assert.Empty(_emulator.Fastly.Services);
        await SendAsync(HttpMethod.Get, $"service/{id}", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListServices_PagesWithLinkHeader()
    {
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(HttpMethod.Post, "service", Form(("name", $"s{i}")));
        }

        using var first = await _http.GetAsync("service?page=1&per_page=2");
        using var last = await _http.GetAsync("service?page=3&per_page=2");

        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray().Count);
        Assert.False(last.Headers.Contains("Link"));
        Assert.Single(JsonNode.Parse(await last.Content.ReadAsStringAsync())!.AsArray());
    }

    [Fact]
    public async Task Search_ByName_FindsOr404()
    {
        await SendAsync(HttpMethod.Post, "service", Form(("name", "poppy-abc")));

        var found = await SendAsync(HttpMethod.Get, "service/search?name=poppy-abc");
        var missing = await SendAsync(HttpMethod.Get, "service/search?name=nope", expected: HttpStatusCode.NotFound);

        Assert.Equal("poppy-abc", found["name"]!.GetValue<string>());
        Assert.Equal("Record not found", missing["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Purges_UrlKeyBulkAllAndSoft_AreRecorded()
    {
        var id = await CreateDeployableServiceAsync();

        await SendAsync(HttpMethod.Post, "purge/www.example.com/a.png");
        await SendAsync(HttpMethod.Post, $"service/{id}/purge/product-1");
        var bulk = await SendAsync(HttpMethod.Post, $"service/{id}/purge", JsonContent.Create(new { surrogate_keys = new[] { "k1", "k2" } }));
        using var soft = new HttpRequestMessage(HttpMethod.Post, $"service/{id}/purge_all");
        soft.Headers.Add("Fastly-Soft-Purge", "1");
        using var softResponse = await _http.SendAsync(soft);

        Assert.Equal(["k1", "k2"], bulk.AsObject().Select(p => p.Key));
        var purges = _emulator.Fastly.Purges;
        Assert.Equal(["url", "key", "key", "key", "all"], purges.Select(p => p.Kind));
        Assert.Equal("www.example.com/a.png", purges[0].Target);
        Assert.True(purges[^1].Soft);
        Assert.False(purges[0].Soft);
    }

    [Fact]
    public async Task BulkPurge_MoreThan256Keys_Is400()
    {
        var id = await CreateDeployableServiceAsync();

        var body = await SendAsync(HttpMethod.Post, $"service/{id}/purge", JsonContent.Create(new { surrogate_keys = Enumerable.Range(0, 257).Select(i => $"k{i}").ToArray() }), HttpStatusCode.BadRequest);

        Assert.Contains("256", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_emulator.Fastly.Purges);
    }

    [Fact]
    public async Task RateLimit_WritesCountDownHeadersAnd429PastBudgetUntilTheHourTurns()
    {
        using (var first = await _http.PostAsync("service", Form(("name", "s0"))))
        {
            Assert.Equal("49", first.Headers.GetValues("Fastly-RateLimit-Remaining").Single());
            Assert.Equal(new DateTimeOffset(2026, 11, 25, 11, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), first.Headers.GetValues("Fastly-RateLimit-Reset").Single());
        }

        for (var i = 1; i < 50; i++)
        {
            (await _http.PostAsync("service", Form(("name", $"s{i}")))).Dispose();
        }

        using var limited = await _http.PostAsync("service", Form(("name", "over")));
        using var read = await _http.GetAsync("service");
        using var purge = await _http.PostAsync("purge/www.example.com/x", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);

        _time.Advance(TimeSpan.FromMinutes(30));
        using var after = await _http.PostAsync("service", Form(("name", "next-hour")));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Faults_VendorDownFailNextAndStorm_AnswerInFastlyFormat()
    {
        // Added latency is covered, for every vendor, by Hosting/SharedMiddlewareTests (on a clock it waits for).
        _emulator.Fastly.Faults.FailNext(1, 502);
        var failed = await SendAsync(HttpMethod.Get, "service", expected: HttpStatusCode.BadGateway);
        _emulator.Fastly.Faults.RateLimitNext(2, TimeSpan.FromSeconds(5));
        using (var storm = await _http.GetAsync("service"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, storm.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), storm.Headers.RetryAfter!.Delta);
            Assert.Equal("0", storm.Headers.GetValues("Fastly-RateLimit-Remaining").Single());
        }

        (await _http.GetAsync("service")).Dispose();
        _emulator.Fastly.Faults.VendorDown = true;
        await SendAsync(HttpMethod.Get, "service", expected: HttpStatusCode.ServiceUnavailable);
        _emulator.Fastly.Faults.VendorDown = false;
        using var after = await _http.GetAsync("service");

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("Error", failed["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task VersionPath_NotANumber_Is404NotA405()
    {
        var id = await CreateDeployableServiceAsync();

        var body = await SendAsync(HttpMethod.Get, $"service/{id}/version/latest", expected: HttpStatusCode.NotFound);

        Assert.Equal("Record not found", body["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownMethod_OnAServedPath_Is405InFastlyFormat()
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, "service");
        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("Method not allowed", body["msg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Faults_ResetConnection_ClientSeesNetworkError()
    {
        _emulator.Fastly.Faults.ResetNext(1);

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync("service"));
        using var next = await _http.GetAsync("service");

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task ErrorRate_IsDeterministicForASeed()
    {
        _emulator.Fastly.Faults.ErrorRate = 0.5;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var r = await _http.GetAsync("service");
            statuses.Add(r.StatusCode);
        }

        _emulator.Fastly.Faults.Clear(seed: 1);
        _emulator.Fastly.Faults.ErrorRate = 0.5;
        var again = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var r = await _http.GetAsync("service");
            again.Add(r.StatusCode);
        }

        Assert.Equal(statuses, again);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);
    }

    [Fact]
    public async Task AclEntries_BulkPatchAndPagedList()
    {
        var id = await CreateDeployableServiceAsync();
        var acl = await SendAsync(HttpMethod.Post, $"service/{id}/version/1/acl", Form(("name", "blocked")));
        var aclId = acl["id"]!.GetValue<string>();

        await SendAsync(HttpMethod.Patch, $"service/{id}/acl/{aclId}/entries", JsonContent.Create(new { entries = new object[] { new { op = "create", ip = "192.0.2.0", subnet = 24 }, new { op = "create", ip = "2001:db8::", subnet = 32 } } }));
        var entries = await SendAsync(HttpMethod.Get, $"service/{id}/acl/{aclId}/entries?page=1&per_page=100");

        Assert.Equal(2, entries.AsArray().Count);
        Assert.Equal(24, entries[0]!["subnet"]!.GetValue<long>());
    }

    [Fact]
    public async Task Calls_AreRecordedForInspection()
    {
        await SendAsync(HttpMethod.Get, "service");
        await SendAsync(HttpMethod.Post, "service", Form(("name", "x")));

        Assert.Equal(1, _emulator.Fastly.Calls.Count("GET", "/service"));
        Assert.Equal(1, _emulator.Fastly.Calls.Count("POST"));
        Assert.All(_emulator.Fastly.Calls.Calls, c => Assert.Equal(200, c.Status));
    }

    [Fact]
    public async Task UnknownPath_Is404()
    {
        using var response = await _http.GetAsync("nothing/here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
