namespace Poppy.Sdk.Abstractions.Tests;

public class PurgeRequestTests
{
    [Fact]
    public void Validate_EverythingWithoutItems_NoProblems() =>
        Assert.Empty(PurgeRequest.ForEverything().Validate());

    [Fact]
    public void Validate_EverythingWithItems_ReportsItems()
    {
        var problem = Assert.Single((PurgeRequest.ForEverything() with { Items = ["/a"] }).Validate());
        Assert.Equal("/items", problem.Path);
    }

    [Theory]
    [InlineData(PurgeKind.Url)]
    [InlineData(PurgeKind.Prefix)]
    [InlineData(PurgeKind.Tag)]
    [InlineData(PurgeKind.Host)]
    public void Validate_NoItems_ReportsItems(PurgeKind kind)
    {
        var problem = Assert.Single(new PurgeRequest { Kind = kind }.Validate());
        Assert.Equal("/items", problem.Path);
        Assert.Contains(kind.ToString().ToLowerInvariant(), problem.Message, StringComparison.Ordinal);
    }

    public static TheoryData<PurgeRequest> GoodRequests => new()
    {
        PurgeRequest.ForUrls("/index.html", "https://www.example.com/a.png", "http://www.example.com/b?c=1"),
        PurgeRequest.ForPrefixes("/images/", "/"),
        PurgeRequest.ForTags("product-42", new string('t', 1024)),
        PurgeRequest.ForHosts("www.example.com", "cdn.example.org"),
        PurgeRequest.ForUrls("/a").AsSoft(),
    };

    [Theory]
    [MemberData(nameof(GoodRequests))]
    public void Validate_WellFormedItems_NoProblems(PurgeRequest request) =>
        Assert.Empty(request.Validate());

    public static TheoryData<PurgeRequest, string> BadRequests => new()
    {
        { PurgeRequest.ForUrls("/ok", "index.html"), "neither a path" },
        { PurgeRequest.ForUrls("/ok", "ftp://www.example.com/a"), "neither a path" },
        { PurgeRequest.ForPrefixes("/ok", "images/"), "must start with '/'" },
        { PurgeRequest.ForTags("ok", new string('t', 1025)), "at most 1024" },
        { PurgeRequest.ForHosts("www.example.com", "http://www.example.com"), "not a host name" },
        { PurgeRequest.ForUrls("/ok", ""), "empty" },
        { PurgeRequest.ForUrls("/ok", "/a b"), "spaces" },
        { PurgeRequest.ForTags("ok", "a\nb"), "control characters" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Validate_BadSecondItem_ReportsThatItem(PurgeRequest request, string fragment)
    {
        var problem = Assert.Single(request.Validate());
        Assert.Equal("/items/1", problem.Path);
        Assert.Contains(fragment, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadItems_ReportsEach()
    {
        var problems = PurgeRequest.ForPrefixes("a", "/ok", "b").Validate();
        Assert.Equal(["/items/0", "/items/2"], problems.Select(p => p.Path));
    }

    [Fact]
    public void AsSoft_KeepsItemsAndSetsMode()
    {
        var soft = PurgeRequest.ForTags("a", "b").AsSoft();
        Assert.Equal(PurgeMode.Soft, soft.Mode);
        Assert.Equal(PurgeKind.Tag, soft.Kind);
        Assert.Equal(["a", "b"], soft.Items);
    }
}
