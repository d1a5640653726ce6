using System.Net;
using System.Xml.Linq;

namespace Poppy.Sdk.Emulator.Tests.CloudFront;

/// <summary>Invalidations: paths, caller references, in-progress limits, completion on the fake clock.</summary>
public sealed class InvalidationTests : CloudFrontTestBase
{
    private static readonly TimeSpan InvalidationDelay = TimeSpan.FromSeconds(30);

    private static IEnumerable<string> Files(int count, string prefix = "f") => Enumerable.Range(0, count).Select(i => $"/{prefix}{i}.html");

    private static IEnumerable<string> Wildcards(int count, string prefix = "w") => Enumerable.Range(0, count).Select(i => $"/{prefix}{i}/*");

    private async Task<string> DistributionAsync(XElement? config = null) => (await CreateDistributionAsync(config ?? Config("inv-" + Guid.NewGuid().ToString("N")))).Id;

    [Fact]
    public async Task Create_Is201WithLocationAndTheInvalidation()
    {
        var id = await DistributionAsync();

        var response = Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("ref-1", ["/index.html", "/images/*"])), HttpStatusCode.Created);

        var invalidation = response.Xml;
        var invalidationId = invalidation.Element(Ns + "Id")!.Value;
        var expected = new XElement(
            Ns + "Invalidation",
            new XElement(Ns + "Id", invalidationId),
            new XElement(Ns + "Status", "InProgress"),
            new XElement(Ns + "CreateTime", "2026-11-25T10:30:00.000Z"),
            new XElement(
                Ns + "InvalidationBatch",
                new XElement(
                    Ns + "Paths",
                    new XElement(Ns + "Quantity", "2"),
                    new XElement(Ns + "Items", new XElement(Ns + "Path", "/index.html"), new XElement(Ns + "Path", "/images/*"))),
                new XElement(Ns + "CallerReference", "ref-1")));
        AssertSameXml(expected, invalidation);
        Assert.Matches("^I[A-Z0-9]{13}$", invalidationId);
        Assert.Equal($"{Emulator.BaseAddress}2020-05-31/distribution/{id}/invalidation/{invalidationId}", response.Location);
        Assert.Equal("1", Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK).Value("InProgressInvalidationBatches"));
    }

    [Fact]
    public async Task CompletesAfterTheInvalidationDelay_AndRecordsThePaths()
    {
        var id = await DistributionAsync();
        var invalidationId = Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("ref-2", ["/a.css", "/b/*"])), HttpStatusCode.Created).Value("Id");

        Time.Advance(InvalidationDelay - TimeSpan.FromSeconds(1));
        var before = Expect(await GetAsync($"distribution/{id}/invalidation/{invalidationId}"), HttpStatusCode.OK).Value("Status");
        var pathsBefore = Emulator.CloudFront.InvalidatedPaths.Count;
        Time.Advance(TimeSpan.FromSeconds(1));
        var after = Expect(await GetAsync($"distribution/{id}/invalidation/{invalidationId}"), HttpStatusCode.OK).Value("Status");

        Assert.Equal("InProgress", before);
        Assert.Equal(0, pathsBefore);
        Assert.Equal("Completed", after);
        Assert.Equal(
            [(id, invalidationId, "/a.css"), (id, invalidationId, "/b/*")],
            Emulator.CloudFront.InvalidatedPaths.Select(p => (p.DistributionId, p.InvalidationId, p.Path)));
        Assert.All(Emulator.CloudFront.InvalidatedPaths, p => Assert.Equal(Time.GetUtcNow(), p.CompletedTime));
        Assert.Equal("0", Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK).Value("InProgressInvalidationBatches"));
    }

    [Fact]
    public async Task SameCallerReferenceAndPaths_Returns201WithTheExistingInvalidation()
    {
        var id = await DistributionAsync();
        var first = Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("ref-3", ["/x", "/y"])), HttpStatusCode.Created);

        var retry = Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("ref-3", ["/y", "/x"])), HttpStatusCode.Created);

        Assert.Equal(first.Value("Id"), retry.Value("Id"));
        Assert.Equal(first.Location, retry.Location);
        Assert.Single(Emulator.CloudFront.Invalidations);
    }

    [Fact]
    public async Task SameCallerReferenceOtherPaths_Is409InvalidationBatchAlreadyExists()
    {
        var id = await DistributionAsync();
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("ref-4", ["/x"])), HttpStatusCode.Created);

        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("ref-4", ["/x", "/z"])), HttpStatusCode.Conflict, "InvalidationBatchAlreadyExists");
        Assert.Single(Emulator.CloudFront.Invalidations);
    }

    [Theory]
    [InlineData("index.html")]
    [InlineData("/images/*/a.png")]
    [InlineData("/*.png")]
    public async Task BadPaths_AreInvalidArgument(string path)
    {
        var id = await DistributionAsync();

        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("bad", ["/ok", path])), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task CacheTags_NeedACacheTagConfig()
    {
        var plain = await DistributionAsync();
        var tagged = Config("tagged");
        tagged.Add(new XElement(Ns + "CacheTagConfig", new XElement(Ns + "HeaderName", "Cache-Tag")));
        var withTags = await DistributionAsync(tagged);

        Expect(await SendAsync(HttpMethod.Post, $"distribution/{plain}/invalidation", Batch("tags", ["#product:tv"])), HttpStatusCode.BadRequest, "InvalidArgument");
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{withTags}/invalidation", Batch("tags", ["#product:tv"])), HttpStatusCode.Created);
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{withTags}/invalidation", Batch("tags-2", ["#a,b"])), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task QuantityOtherThanPaths_IsInconsistentQuantities()
    {
        var id = await DistributionAsync();
        var batch = XElement.Parse(Batch("q", ["/a", "/b"]));
        batch.Descendants(Ns + "Quantity").Single().Value = "3";

        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", batch.ToString()), HttpStatusCode.BadRequest, "InconsistentQuantities");
    }

    [Fact]
    public async Task BatchOver3000Paths_Is413BatchTooLarge()
    {
        var id = await DistributionAsync();

        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("big", Files(3001))), HttpStatusCode.RequestEntityTooLarge, "BatchTooLarge");
        Assert.Empty(Emulator.CloudFront.Invalidations);
    }

    [Fact]
    public async Task MoreThan3000FilePathsInProgress_IsTooManyInvalidationsInProgress_UntilTheyComplete()
    {
        var id = await DistributionAsync();
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("files-1", Files(2000, "a"))), HttpStatusCode.Created);
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("files-2", Files(1000, "b"))), HttpStatusCode.Created);

        var refused = await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("files-3", ["/one-more"]));
        var wildcardStillFine = await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("files-4", ["/dir/*"]));
        var otherDistribution = await SendAsync(HttpMethod.Post, $"distribution/{await DistributionAsync()}/invalidation", Batch("files-5", ["/one-more"]));
        Time.Advance(InvalidationDelay);
        var afterCompletion = await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("files-3", ["/one-more"]));

        Expect(refused, HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress");
        Expect(wildcardStillFine, HttpStatusCode.Created);
        Expect(otherDistribution, HttpStatusCode.Created);
        Expect(afterCompletion, HttpStatusCode.Created);
    }

    [Fact]
    public async Task MoreThan15WildcardPathsInProgress_IsTooManyInvalidationsInProgress()
    {
        var id = await DistributionAsync();
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("wild-1", Wildcards(10, "a"))), HttpStatusCode.Created);
        Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("wild-2", Wildcards(5, "b"))), HttpStatusCode.Created);

        var refused = await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("wild-3", ["/*"]));
        var filesStillFine = await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch("wild-4", ["/index.html"]));

        var error = Expect(refused, HttpStatusCode.BadRequest, "TooManyInvalidationsInProgress");
        Assert.Contains("wildcard", error.ErrorMessage, StringComparison.Ordinal);
        Expect(filesStillFine, HttpStatusCode.Created);
    }

    [Fact]
    public async Task List_IsNewestFirst_WithPaging_AndSummaries()
    {
        var id = await DistributionAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(Expect(await SendAsync(HttpMethod.Post, $"distribution/{id}/invalidation", Batch($"list-{i}", [$"/p{i}"])), HttpStatusCode.Created).Value("Id"));
            Time.Advance(TimeSpan.FromSeconds(10));
        }

        var first = Expect(await GetAsync($"distribution/{id}/invalidation?MaxItems=2"), HttpStatusCode.OK).Xml;
        var second = Expect(await GetAsync($"distribution/{id}/invalidation?MaxItems=2&Marker={first.Element(Ns + "NextMarker")!.Value}"), HttpStatusCode.OK).Xml;

        var summaries = first.Descendants(Ns + "InvalidationSummary").Concat(second.Descendants(Ns + "InvalidationSummary")).ToList();
        Assert.Equal([ids[2], ids[1], ids[0]], summaries.Select(s => s.Element(Ns + "Id")!.Value));
        Assert.Equal(["InProgress", "InProgress", "Completed"], summaries.Select(s => s.Element(Ns + "Status")!.Value));
        Assert.Equal(["Id", "CreateTime", "Status"], summaries[0].Elements().Select(e => e.Name.LocalName));
        Assert.Equal(Ns + "InvalidationList", first.Name);
        Assert.Equal("true", first.Element(Ns + "IsTruncated")!.Value);
        Assert.Equal("false", second.Element(Ns + "IsTruncated")!.Value);
    }

    [Fact]
    public async Task UnknownInvalidationOrDistribution_Is404()
    {
        var id = await DistributionAsync();

        Expect(await GetAsync($"distribution/{id}/invalidation/I0000000000000"), HttpStatusCode.NotFound, "NoSuchInvalidation");
        Expect(await SendAsync(HttpMethod.Post, "distribution/E000000000000A/invalidation", Batch("x", ["/a"])), HttpStatusCode.NotFound, "NoSuchDistribution");
    }
}
