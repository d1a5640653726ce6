using System.Net;
using System.Text.Json.Nodes;
using Poppy.Sdk.Emulator.Akamai;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>Fast Purge v3: accepted purges, the body limit, authorization of objects, and the token buckets on the fake clock.</summary>
public sealed class PurgeTests : AkamaiTestBase
{
    protected override void Configure(AkamaiEmulatorOptions options)
    {
        options.RequestBucket = new PurgeBucket(3, 1);
        options.TagBucket = new PurgeBucket(5, 1);
    }

    [Theory]
    [InlineData("invalidate", "url", "production")]
    [InlineData("delete", "url", "staging")]
    [InlineData("invalidate", "tag", "staging")]
    [InlineData("delete", "cpcode", "production")]
    public async Task Purge_Accepted_Is201WithTheDocumentedMembers(string action, string type, string network)
    {
        var (_, cpcodeId, _) = await CreatePropertyAsync("www.example.com");
        JsonNode objects = type switch
        {
            "url" => new JsonArray("https://www.example.com/a.css", "http://www.example.com/b.js"),
            "tag" => new JsonArray("poppy-svc-1"),
            _ => new JsonArray(long.Parse(cpcodeId[4..], System.Globalization.CultureInfo.InvariantCulture)),
        };

        var answer = await CallAsync(HttpMethod.Post, $"/ccu/v3/{action}/{type}/{network}", new JsonObject { ["objects"] = objects }, HttpStatusCode.Created);

        Assert.Equal(201, answer["httpStatus"]!.GetValue<int>());
        Assert.Equal(5, answer["estimatedSeconds"]!.GetValue<int>());
        Assert.Equal("Request accepted", answer["detail"]!.GetValue<string>());
        var purge = Emulator.Akamai.Purges.Single();
        Assert.Equal(answer["purgeId"]!.GetValue<string>(), purge.PurgeId);
        Assert.Equal((action, type, network, objects.AsArray().Count), (purge.Action, purge.Type, purge.Network, purge.Objects.Count));
    }

    [Fact]
    public async Task Purge_UrlsUnderAHostname_AreMadeAbsolute()
    {
        await CreatePropertyAsync("www.example.com");

        await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/url/production", new { hostname = "www.example.com", objects = new[] { "/a", "b" } }, HttpStatusCode.Created);

        Assert.Equal(["https://www.example.com/a", "https://www.example.com/b"], Emulator.Akamai.Purges.Single().Objects);
    }

    [Fact]
    public async Task Purge_BodyOver50000Bytes_Is413()
    {
        var tags = Enumerable.Range(0, 2000).Select(i => $"tag-{i}-{new string('x', 20)}").ToArray();

        var answer = await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/production", new { objects = tags }, HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(413, answer["httpStatus"]!.GetValue<int>());
        Assert.True(answer["supportId"] is not null && answer["describedBy"] is not null);
        Assert.Empty(Emulator.Akamai.Purges);
    }

    [Fact]
    public async Task Purge_ObjectsNotOnTheAccount_Are403_BadObjects400()
    {
        var url = await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/url/production", new { objects = new[] { "https://other.example.org/" } }, HttpStatusCode.Forbidden);
        var cpcode = await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/cpcode/production", new { objects = new[] { 12345 } }, HttpStatusCode.Forbidden);
        await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/url/production", new { objects = new[] { "not a url" } }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/production", new { objects = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/qa", new { objects = new[] { "t" } }, HttpStatusCode.BadRequest);

        Assert.Equal("unauthorized arl", url["title"]!.GetValue<string>());
        Assert.Equal("https://other.example.org/", url["detail"]!.GetValue<string>());
        Assert.Equal("unauthorized cpcode", cpcode["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Purge_ObjectBucketSpent_Is429WithTheBucketsMembers_AndRefillsOnTheClock()
    {
        await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/production", new { objects = new[] { "a", "b", "c", "d" } }, HttpStatusCode.Created);

        var refused = await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/production", new { objects = new[] { "e", "f" } }, HttpStatusCode.TooManyRequests);
        var contentType = LastResponse.Content.Headers.ContentType?.MediaType;
        Time.Advance(TimeSpan.FromSeconds(2));
        await CallAsync(HttpMethod.Post, "/ccu/v3/invalidate/tag/production", new { objects = new[] { "e", "f" } }, HttpStatusCode.Created);

        Assert.Equal("TAG Rate Limit exceeded", refused["title"]!.GetValue<string>());
        Assert.Equal(429, refused["httpStatus"]!.GetValue<int>());
        Assert.Equal(5, refused["rateLimit"]!.GetValue<long>());
        Assert.Equal(2, refused["rateLimitCurrentRequestSize"]!.GetValue<int>());
        Assert.Equal(1, refused["rateLimitRemaining"]!.GetValue<int>());
        Assert.Equal("application/json", contentType);
    }

    [Fact]
    public async Task Purge_RequestBucketSpent_Is429RateLimitExceeded()
    {
        for (var i = 0; i < 3; i++)
        {
            await CallAsync(HttpMethod.Post, "/ccu/v3/delete/tag/staging", new { objects = new[] { "t" } }, HttpStatusCode.Created);
            Time.Advance(TimeSpan.FromSeconds(0.1));
        }

        var refused = await CallAsync(HttpMethod.Post, "/ccu/v3/delete/tag/staging", new { objects = new[] { "t" } }, HttpStatusCode.TooManyRequests);

        Assert.Equal("Rate Limit exceeded", refused["title"]!.GetValue<string>());
        Assert.Equal(3, refused["rateLimit"]!.GetValue<long>());
        Assert.Equal(0, refused["rateLimitRemaining"]!.GetValue<int>());
    }
}
