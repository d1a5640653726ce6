using System.Net;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

public sealed class CustomHostnameTests : CloudflareTestBase
{
    [Fact]
    public async Task Create_Txt_AnswersPendingWithOwnershipAndTxtValidationRecords()
    {
        var created = await CreateHostnameAsync("www.customer.example", "txt", new JsonObject
        {
            ["custom_metadata"] = new JsonObject { ["poppy_service"] = "svc-1" },
            ["custom_origin_server"] = "origin.saas.example.net",
            ["custom_origin_sni"] = "sni.saas.example.net",
        });

        Assert.Matches("^[0-9a-f]{32}$", Str(created["id"]));
        Assert.Equal("www.customer.example", Str(created["hostname"]));
        Assert.Equal("pending", Str(created["status"]));
        Assert.Equal("svc-1", Str(created["custom_metadata"]!["poppy_service"]));
        Assert.Equal("origin.saas.example.net", Str(created["custom_origin_server"]));
        Assert.Equal("sni.saas.example.net", Str(created["custom_origin_sni"]));
        var ssl = created["ssl"]!;
        Assert.Equal(("txt", "dv", "pending_validation"), (Str(ssl["method"]), Str(ssl["type"]), Str(ssl["status"])));
        var record = Assert.Single(ssl["validation_records"]!.AsArray())!;
        Assert.Equal("_acme-challenge.www.customer.example", Str(record["txt_name"]));
        Assert.False(string.IsNullOrEmpty(Str(record["txt_value"])));
        var ownership = created["ownership_verification"]!;
        Assert.Equal(("txt", "_cf-custom-hostname.www.customer.example"), (Str(ownership["type"]), Str(ownership["name"])));
        Assert.StartsWith("http://www.customer.example/.well-known/cf-custom-hostname-challenge/", Str(created["ownership_verification_http"]!["http_url"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_OriginSniRequestHostHeader_IsAcceptedAndReadBack()
    {
        // Cloudflare's model: custom_origin_sni is a host name or the literal ':request_host_header:'.
        var created = await CreateHostnameAsync("www.customer.example", extra: new JsonObject
        {
            ["custom_origin_server"] = "origin.saas.example.net",
            ["custom_origin_sni"] = ":request_host_header:",
        });

        Assert.Equal(":request_host_header:", Str(created["custom_origin_sni"]));
        var bad = await SendAsync(HttpMethod.Post, $"zones/{Zone}/custom_hostnames", new JsonObject { ["hostname"] = "b.customer.example", ["custom_origin_sni"] = ":other:" }, HttpStatusCode.BadRequest);
        Assert.Equal(1414, ErrorCode(bad));
    }

    [Fact]
    public async Task Create_Http_HasAnHttpValidationRecord()
    {
        var created = await CreateHostnameAsync("static.customer.example");

        var record = Assert.Single(created["ssl"]!["validation_records"]!.AsArray())!;
        Assert.StartsWith("http://static.customer.example/.well-known/acme-challenge/", Str(record["http_url"]), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(Str(record["http_body"])));
    }

    [Fact]
    public async Task Status_AfterTheDeployDelay_IsActiveWithoutValidationRecords()
    {
        var created = await CreateHostnameAsync("www.customer.example");
        var id = Str(created["id"]);

        Time.Advance(TimeSpan.FromSeconds(9));
        var before = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/{id}"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var after = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/{id}"));

        Assert.Equal(("pending", "pending_validation"), (Str(before["status"]), Str(before["ssl"]!["status"])));
        Assert.Equal(("active", "active"), (Str(after["status"]), Str(after["ssl"]!["status"])));
        Assert.Null(after["ssl"]!["validation_records"]);
        Assert.Null(after["ownership_verification"]);
        Assert.Equal("www.customer.example", Str(after["ssl"]!["hosts"]![0]));
    }

    [Fact]
    public async Task Edit_AnotherValidationMethod_StartsValidationAgain()
    {
        var id = Str((await CreateHostnameAsync("www.customer.example"))["id"]);
        Time.Advance(TimeSpan.FromSeconds(10));

        var edited = Result(await SendAsync(HttpMethod.Patch, $"zones/{Zone}/custom_hostnames/{id}", new JsonObject
        {
            ["ssl"] = new JsonObject { ["method"] = "txt", ["type"] = "dv" },
            ["custom_metadata"] = new JsonObject { ["poppy_service"] = "svc-2" },
        }));

        Assert.Equal(("pending", "txt"), (Str(edited["status"]), Str(edited["ssl"]!["method"])));
        Assert.Equal("svc-2", Str(edited["custom_metadata"]!["poppy_service"]));
        Assert.Equal("_acme-challenge.www.customer.example", Str(edited["ssl"]!["validation_records"]![0]!["txt_name"]));
    }

    [Fact]
    public async Task Edit_MetadataOnly_KeepsTheRestAndTheStatus()
    {
        var id = Str((await CreateHostnameAsync("www.customer.example", extra: new JsonObject { ["custom_origin_server"] = "origin.saas.example.net" }))["id"]);
        Time.Advance(TimeSpan.FromSeconds(10));

        var edited = Result(await SendAsync(HttpMethod.Patch, $"zones/{Zone}/custom_hostnames/{id}", new JsonObject { ["custom_metadata"] = new JsonObject { ["k"] = "v" } }));

        Assert.Equal("active", Str(edited["status"]));
        Assert.Equal("origin.saas.example.net", Str(edited["custom_origin_server"]));
        Assert.Equal("v", Str(edited["custom_metadata"]!["k"]));
    }

    [Fact]
    public async Task Create_Duplicate_Is409Code1406()
    {
        await CreateHostnameAsync("www.customer.example");

        var body = await SendAsync(HttpMethod.Post, $"zones/{Zone}/custom_hostnames", new { hostname = "WWW.customer.example", ssl = new { method = "http", type = "dv" } }, HttpStatusCode.Conflict);

        Assert.Equal(1406, ErrorCode(body));
        Assert.Single(Emulator.Cloudflare.CustomHostnames);
    }

    [Theory]
    [InlineData("""{"ssl":{"method":"http","type":"dv"}}""", 1411)]
    [InlineData("""{"hostname":"not a host","ssl":{"method":"http","type":"dv"}}""", 1411)]
    [InlineData("""{"hostname":"www.saas.example.net","ssl":{"method":"http","type":"dv"}}""", 1411)]
    [InlineData("""{"hostname":"a.customer.example","ssl":{"method":"email","type":"dv"}}""", 1413)]
    [InlineData("""{"hostname":"a.customer.example","ssl":{"method":"http","type":"ov"}}""", 1413)]
    [InlineData("""{"hostname":"a.customer.example","ssl":{"method":"http","settings":{"min_tls_version":"2.0"}}}""", 1413)]
    [InlineData("""{"hostname":"a.customer.example","custom_metadata":"x"}""", 1415)]
    [InlineData("""{"hostname":"a.customer.example","custom_metadata":{"n":1}}""", 1415)]
    [InlineData("""{"hostname":"a.customer.example","custom_origin_server":"bad host"}""", 1414)]
    [InlineData("""{"hostname":""", 6007)]
    public async Task Create_Invalid_Is400WithItsCode(string body, int code)
    {
        var answer = await SendAsync(HttpMethod.Post, $"zones/{Zone}/custom_hostnames", body, HttpStatusCode.BadRequest);

        Assert.Equal(code, ErrorCode(answer));
        Assert.Empty(Emulator.Cloudflare.CustomHostnames);
    }

    [Fact]
    public async Task List_Paged_AnswersResultInfoPerPage()
    {
        foreach (var name in new[] { "a.customer.example", "b.customer.example", "c.customer.example" })
        {
            await CreateHostnameAsync(name);
        }

        var first = await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames?page=1&per_page=2");
        var second = await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames?page=2&per_page=2");

        Assert.Equal(["a.customer.example", "b.customer.example"], Result(first).AsArray().Select(h => Str(h!["hostname"])));
        Assert.Equal(["c.customer.example"], Result(second).AsArray().Select(h => Str(h!["hostname"])));
        Assert.Equal("""{"page":2,"per_page":2,"count":1,"total_count":3,"total_pages":2}""", second["result_info"]!.ToJsonString());
    }

    [Theory]
    [InlineData("hostname=b.customer.example", "b.customer.example")]
    [InlineData("hostname.exact=b.customer.example", "b.customer.example")]
    [InlineData("hostname.contain=ustomer", "a.customer.example,b.customer.example")]
    [InlineData("hostname.startsWith=a.", "a.customer.example")]
    [InlineData("hostname=none.example", "")]
    public async Task List_Filtered_AnswersTheMatches(string query, string expected)
    {
        await CreateHostnameAsync("a.customer.example");
        await CreateHostnameAsync("b.customer.example");

        var list = await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames?{query}");

        Assert.Equal(expected, string.Join(',', Result(list).AsArray().Select(h => Str(h!["hostname"]))));
        Assert.Equal(expected.Length == 0 ? 0 : expected.Split(',').Length, list["result_info"]!["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Delete_AnswersABareIdThenTheHostnameIsGone()
    {
        var id = Str((await CreateHostnameAsync("www.customer.example"))["id"]);

        var deleted = await SendAsync(HttpMethod.Delete, $"zones/{Zone}/custom_hostnames/{id}");
        var get = await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/{id}", expected: HttpStatusCode.NotFound);
        var again = await SendAsync(HttpMethod.Delete, $"zones/{Zone}/custom_hostnames/{id}", expected: HttpStatusCode.NotFound);

        Assert.Equal($$"""{"id":"{{id}}"}""", deleted.ToJsonString());
        Assert.Equal(1436, ErrorCode(get));
        Assert.Equal(1436, ErrorCode(again));
        Assert.Empty(Emulator.Cloudflare.CustomHostnames);
    }

    [Fact]
    public async Task Hostnames_OnAnotherZone_Are404()
    {
        var body = await SendAsync(HttpMethod.Get, $"zones/{new string('1', 32)}/custom_hostnames", expected: HttpStatusCode.NotFound);

        Assert.Equal(7003, ErrorCode(body));
    }

    [Fact]
    public async Task FallbackOrigin_PutGetDelete_MovesFromPendingDeploymentToActive()
    {
        var missing = await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/fallback_origin", expected: HttpStatusCode.NotFound);
        var put = Result(await SendAsync(HttpMethod.Put, $"zones/{Zone}/custom_hostnames/fallback_origin", new { origin = "fallback.saas.example.net" }));
        Time.Advance(TimeSpan.FromSeconds(10));
        var got = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/fallback_origin"));
        var deleted = Result(await SendAsync(HttpMethod.Delete, $"zones/{Zone}/custom_hostnames/fallback_origin"));
        var gone = await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/fallback_origin", expected: HttpStatusCode.NotFound);
        var invalid = await SendAsync(HttpMethod.Put, $"zones/{Zone}/custom_hostnames/fallback_origin", new { origin = "https://x" }, HttpStatusCode.BadRequest);

        Assert.Equal(1551, ErrorCode(missing));
        Assert.Equal(("fallback.saas.example.net", "pending_deployment"), (Str(put["origin"]), Str(put["status"])));
        Assert.Equal("active", Str(got["status"]));
        Assert.Equal("pending_deletion", Str(deleted["status"]));
        Assert.Equal(1551, ErrorCode(gone));
        Assert.Equal(1552, ErrorCode(invalid));
        Assert.Null(Emulator.Cloudflare.FallbackOrigin);
    }
}

public sealed class ManualValidationTests : CloudflareTestBase
{
    protected override void Configure(Poppy.Sdk.Emulator.Cloudflare.CloudflareEmulatorOptions options) => options.AutoValidate = false;

    [Fact]
    public async Task Status_WithoutValidation_StaysPendingUntilMarked()
    {
        var id = Str((await CreateHostnameAsync("www.customer.example", "txt"))["id"]);

        Time.Advance(TimeSpan.FromHours(1));
        var waiting = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/{id}"));
        Assert.True(Emulator.Cloudflare.MarkValidated("www.customer.example"));
        var validated = Result(await SendAsync(HttpMethod.Get, $"zones/{Zone}/custom_hostnames/{id}"));

        Assert.Equal(("pending", "pending_validation"), (Str(waiting["status"]), Str(waiting["ssl"]!["status"])));
        Assert.NotNull(waiting["ssl"]!["validation_records"]);
        Assert.Equal(("active", "active"), (Str(validated["status"]), Str(validated["ssl"]!["status"])));
        Assert.False(Emulator.Cloudflare.MarkValidated("other.example"));
        Assert.Equal("active", Assert.Single(Emulator.Cloudflare.CustomHostnames).Status);
    }
}
