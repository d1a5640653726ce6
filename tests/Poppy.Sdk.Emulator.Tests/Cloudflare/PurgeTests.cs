using System.Net;
using System.Text.Json.Nodes;
using Poppy.Sdk.Emulator.Cloudflare;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

public sealed class PurgeTests : CloudflareTestBase
{
    protected override void Configure(CloudflareEmulatorOptions options) => options.Plan = CloudflarePlan.Pro;

    [Theory]
    [InlineData("""{"files":["https://www.customer.example/a.css",{"url":"http://www.customer.example/b.js","headers":{"Origin":"https://x"}}]}""", "files", "https://www.customer.example/a.css,http://www.customer.example/b.js")]
    [InlineData("""{"tags":["t1","t2"]}""", "tags", "t1,t2")]
    [InlineData("""{"hosts":["www.customer.example"]}""", "hosts", "www.customer.example")]
    [InlineData("""{"prefixes":["www.customer.example/images/"]}""", "prefixes", "www.customer.example/images/")]
    [InlineData("""{"purge_everything":true}""", "purge_everything", "")]
    public async Task Purge_EachKind_AnswersTheZoneIdAndIsRecorded(string body, string kind, string items)
    {
        var result = Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", body));

        Assert.Equal($$"""{"id":"{{Zone}}"}""", result.ToJsonString());
        var purge = Assert.Single(Emulator.Cloudflare.Purges);
        Assert.Equal((kind, items), (purge.Kind, string.Join(',', purge.Items)));
    }

    [Theory]
    [InlineData("""{}""", 1012)]
    [InlineData("""{"tags":["a"],"hosts":["b.example"]}""", 1012)]
    [InlineData("""{"purge_everything":false}""", 1012)]
    [InlineData("""{"tags":[]}""", 1012)]
    [InlineData("""{"tags":"a"}""", 1014)]
    [InlineData("""{"files":["/relative.css"]}""", 1016)]
    [InlineData("""{"files":["ftp://x.example/a"]}""", 1016)]
    [InlineData("""{"prefixes":["https://www.customer.example/images/"]}""", 1016)]
    [InlineData("""{"hosts":["not a host"]}""", 1016)]
    [InlineData("""{"tags":[1]}""", 1016)]
    public async Task Purge_Invalid_Is400WithItsCode(string body, int code)
    {
        var answer = await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", body, HttpStatusCode.BadRequest);

        Assert.Equal(code, ErrorCode(answer));
        Assert.Empty(Emulator.Cloudflare.Purges);
    }

    [Theory]
    [InlineData("tags", 100)]
    [InlineData("hosts", 100)]
    [InlineData("prefixes", 100)]
    [InlineData("files", 100)]
    public async Task Purge_PastThePerCallLimit_Is400(string kind, int max)
    {
        string Item(int i) => kind switch
        {
            "files" => $"https://www.customer.example/{i}",
            "prefixes" => $"www.customer.example/{i}/",
            "hosts" => $"h{i}.customer.example",
            _ => $"t{i}",
        };

        var atLimit = new JsonObject { [kind] = new JsonArray([.. Enumerable.Range(0, max).Select(i => (JsonNode)Item(i))]) };
        var past = new JsonObject { [kind] = new JsonArray([.. Enumerable.Range(0, max + 1).Select(i => (JsonNode)Item(i))]) };

        await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", atLimit);
        var refused = await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", past, HttpStatusCode.BadRequest);

        Assert.Equal(1019, ErrorCode(refused));
        Assert.Single(Emulator.Cloudflare.Purges);
    }

    [Fact]
    public async Task Purge_FlexBucket_25ThenRetryAfterThenRefilled()
    {
        for (var i = 0; i < 25; i++)
        {
            await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { tags = new[] { "t" } });
        }

        var (status, body, headers) = await SendRawAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { hosts = new[] { "www.customer.example" } });
        Time.Advance(TimeSpan.FromMilliseconds(200));
        var (after, _, _) = await SendRawAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { prefixes = new[] { "www.customer.example/a" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(971, ErrorCode(body));
        Assert.Equal(TimeSpan.FromSeconds(1), headers.RetryAfter?.Delta);
        Assert.Equal("\"purge\";r=0;t=1", headers.GetValues("Ratelimit").Single());
        Assert.Equal(HttpStatusCode.OK, after);
        Assert.Equal(26, Emulator.Cloudflare.Purges.Count);
    }

    [Fact]
    public async Task Purge_Files_CountUrlsInTheirOwnBucket()
    {
        var hundred = new { files = Enumerable.Range(0, 100).Select(i => $"https://www.customer.example/{i}").ToArray() };
        for (var i = 0; i < 15; i++)
        {
            await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", hundred);
        }

        var (status, _, headers) = await SendRawAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", hundred);
        var (tags, _, _) = await SendRawAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { tags = new[] { "t" } });

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(TimeSpan.FromSeconds(1), headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, tags);
    }

    [Fact]
    public async Task Reset_RefillsTheBuckets()
    {
        for (var i = 0; i < 25; i++)
        {
            await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { tags = new[] { "t" } });
        }

        Emulator.Cloudflare.Reset();

        await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", new { tags = new[] { "t" } });
        Assert.Single(Emulator.Cloudflare.Purges);
    }
}

public sealed class EnterprisePurgeTests : CloudflareTestBase
{
    [Fact]
    public async Task Purge_Enterprise_Allows500FilesPerCall()
    {
        var files = new { files = Enumerable.Range(0, 500).Select(i => $"https://www.customer.example/{i}").ToArray() };
        var tooMany = new { files = Enumerable.Range(0, 501).Select(i => $"https://www.customer.example/{i}").ToArray() };

        await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", files);
        var refused = await SendAsync(HttpMethod.Post, $"zones/{Zone}/purge_cache", tooMany, HttpStatusCode.BadRequest);

        Assert.Equal(1019, ErrorCode(refused));
    }
}
