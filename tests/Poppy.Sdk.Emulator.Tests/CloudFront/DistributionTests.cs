using System.Net;
using System.Xml.Linq;

namespace Poppy.Sdk.Emulator.Tests.CloudFront;

/// <summary>Distributions: CRUD with ETags, CallerReference, validation, deployment status, paging.</summary>
public sealed class DistributionTests : CloudFrontTestBase
{
    [Fact]
    public async Task Create_Is201WithLocationETagAndTheDistribution()
    {
        var config = Config("create-1");

        var response = Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.Created);

        var d = response.Xml;
        var id = d.Element(Ns + "Id")!.Value;
        Assert.Equal("text/xml", response.ContentType);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", response.Text, StringComparison.Ordinal);
        Assert.Equal(Ns + "Distribution", d.Name);
        Assert.Equal(
            ["Id", "ARN", "Status", "LastModifiedTime", "InProgressInvalidationBatches", "DomainName", "ActiveTrustedSigners", "ActiveTrustedKeyGroups", "DistributionConfig"],
            d.Elements().Select(e => e.Name.LocalName));
        Assert.Matches("^E[A-Z0-9]{13}$", id);
        Assert.Matches("^d[a-z0-9]{13}\\.cloudfront\\.net$", d.Element(Ns + "DomainName")!.Value);
        Assert.Equal($"arn:aws:cloudfront::123456789012:distribution/{id}", d.Element(Ns + "ARN")!.Value);
        Assert.Equal("InProgress", d.Element(Ns + "Status")!.Value);
        Assert.Equal("2026-11-25T10:30:00.000Z", d.Element(Ns + "LastModifiedTime")!.Value);
        Assert.Equal("0", d.Element(Ns + "InProgressInvalidationBatches")!.Value);
        AssertSameXml(config, d.Element(Ns + "DistributionConfig"));
        Assert.Equal($"{Emulator.BaseAddress}2020-05-31/distribution/{id}", response.Location);
        Assert.Matches("^E[A-Z0-9]{13}$", response.ETag);
        Assert.False(string.IsNullOrEmpty(response.RequestId));
    }

    [Fact]
    public async Task GetAndGetConfig_ReturnTheStoredConfigAndCurrentETag()
    {
        var config = Config("get-1");
        var (id, etag) = await CreateDistributionAsync(config);

        var distribution = Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK);
        var stored = Expect(await GetAsync($"distribution/{id}/config"), HttpStatusCode.OK);

        Assert.Equal(etag, distribution.ETag);
        Assert.Equal(etag, stored.ETag);
        AssertSameXml(config, stored.Xml);
        Assert.Equal(id, distribution.Value("Id"));
    }

    [Fact]
    public async Task Create_MembersInAnyOrder_AreAcceptedAndAnsweredInTheModelsOrder()
    {
        // AWS's JavaScript SDK writes the required members first; CloudFront answers in the model's order.
        var config = Config("order-1");
        var comment = config.Element(Ns + "Comment")!;
        var aliases = config.Element(Ns + "Aliases")!;
        comment.Remove();
        aliases.Remove();
        config.Add(aliases);
        config.AddFirst(comment);

        var (id, _) = await CreateDistributionAsync(config);
        var stored = Expect(await GetAsync($"distribution/{id}/config"), HttpStatusCode.OK).Xml;

        Assert.Equal(
            ["CallerReference", "Aliases", "Origins", "DefaultCacheBehavior", "CacheBehaviors", "Comment", "Enabled"],
            stored.Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public async Task Update_WithIfMatch_ReplacesTheConfigAndIssuesANewETag()
    {
        var (id, etag) = await CreateDistributionAsync(Config("update-1"));
        var updatedConfig = Config("update-1", comment: "second version");
        Time.Advance(TimeSpan.FromMinutes(1));

        var updated = Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", updatedConfig.ToString(), etag), HttpStatusCode.OK);

        Assert.NotEqual(etag, updated.ETag);
        Assert.Equal("second version", updated.Xml.Element(Ns + "DistributionConfig")!.Element(Ns + "Comment")!.Value);
        Assert.Equal("2026-11-25T10:31:00.000Z", updated.Value("LastModifiedTime"));
        Assert.Equal(updated.ETag, Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK).ETag);
        Assert.Equal("second version", Emulator.CloudFront.GetDistribution(id)!.Config.Element(Ns + "Comment")!.Value);
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Is400InvalidIfMatchVersion()
    {
        var (id, _) = await CreateDistributionAsync(Config("update-2"));

        var response = Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", Config("update-2").ToString()), HttpStatusCode.BadRequest, "InvalidIfMatchVersion");

        Assert.Equal("The If-Match version is missing or not valid for the resource.", response.ErrorMessage);
    }

    [Fact]
    public async Task Update_WithStaleIfMatch_Is412PreconditionFailed_AndChangesNothing()
    {
        var (id, first) = await CreateDistributionAsync(Config("update-3"));
        var second = Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", Config("update-3", "v2").ToString(), first), HttpStatusCode.OK).ETag;

        Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", Config("update-3", "v3").ToString(), first), HttpStatusCode.PreconditionFailed, "PreconditionFailed");

        var snapshot = Emulator.CloudFront.GetDistribution(id)!;
        Assert.Equal(second, snapshot.ETag);
        Assert.Equal("v2", snapshot.Config.Element(Ns + "Comment")!.Value);
    }

    [Fact]
    public async Task Update_ChangingCallerReference_IsIllegalUpdate()
    {
        var (id, etag) = await CreateDistributionAsync(Config("update-4"));

        Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", Config("another-reference").ToString(), etag), HttpStatusCode.BadRequest, "IllegalUpdate");
    }

    [Fact]
    public async Task UnknownDistribution_Is404NoSuchDistribution()
    {
        var response = Expect(await GetAsync("distribution/E000000000000A"), HttpStatusCode.NotFound, "NoSuchDistribution");

        Assert.Equal("The specified distribution does not exist.", response.ErrorMessage);
        Expect(await SendAsync(HttpMethod.Delete, "distribution/E000000000000A", ifMatch: "E1"), HttpStatusCode.NotFound, "NoSuchDistribution");
    }

    [Fact]
    public async Task Create_ReusingACallerReference_Is409DistributionAlreadyExists_NamingTheDistribution()
    {
        var (id, _) = await CreateDistributionAsync(Config("same-reference"));

        var response = Expect(await SendAsync(HttpMethod.Post, "distribution", Config("same-reference", "other content").ToString()), HttpStatusCode.Conflict, "DistributionAlreadyExists");

        Assert.Equal(
            $"The caller reference that you are using to create a distribution is associated with another distribution. Already exists: {id}",
            response.ErrorMessage);
        Assert.Single(Emulator.CloudFront.Distributions);
    }

    [Fact]
    public async Task Create_WithAnAliasAnotherDistributionHas_Is409CNAMEAlreadyExists()
    {
        await CreateDistributionAsync(WithAliases(Config("alias-1"), "www.example.com", "static.example.com"));

        Expect(await SendAsync(HttpMethod.Post, "distribution", WithAliases(Config("alias-2"), "WWW.Example.com").ToString()), HttpStatusCode.Conflict, "CNAMEAlreadyExists");
    }

    [Fact]
    public async Task Update_KeepingItsOwnAliases_IsAllowed()
    {
        var (id, etag) = await CreateDistributionAsync(WithAliases(Config("alias-3"), "www.example.org"));

        Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", WithAliases(Config("alias-3", "v2"), "www.example.org").ToString(), etag), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Aliases_WithoutACertificate_AreInvalidViewerCertificate()
    {
        var config = WithAliases(Config("alias-4"), "www.example.net");
        config.Element(Ns + "ViewerCertificate")!.Remove();

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "InvalidViewerCertificate");
    }

    [Fact]
    public async Task MoreThan100Aliases_AreTooManyDistributionCNAMEs()
    {
        var config = WithAliases(Config("alias-5"), [.. Enumerable.Range(0, 101).Select(i => $"a{i}.example.com")]);

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "TooManyDistributionCNAMEs");
    }

    [Fact]
    public async Task MoreThan75CacheBehaviors_AreTooManyCacheBehaviors()
    {
        var config = Config("behaviors-1");
        config.Element(Ns + "CacheBehaviors")!.ReplaceWith(new XElement(
            Ns + "CacheBehaviors",
            new XElement(Ns + "Quantity", 76),
            new XElement(Ns + "Items", Enumerable.Range(0, 76).Select(i => Behavior($"/p{i}/*", "web")))));

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "TooManyCacheBehaviors");
    }

    [Fact]
    public async Task QuantityOtherThanItems_IsInconsistentQuantities()
    {
        var config = Config("quantities-1");
        config.Element(Ns + "Origins")!.Element(Ns + "Quantity")!.Value = "3";

        var response = Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "InconsistentQuantities");

        Assert.StartsWith("The value of Quantity and the size of Items don't match", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NestedQuantityMismatch_IsInconsistentQuantities()
    {
        var config = Config("quantities-2");
        config.Element(Ns + "CacheBehaviors")!.Element(Ns + "Quantity")!.Value = "0";

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "InconsistentQuantities");
    }

    [Theory]
    [InlineData("<DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><CallerReference>x</CallerReference>", "not well-formed")]
    [InlineData("<DistributionConfig><CallerReference>x</CallerReference></DistributionConfig>", "namespace")]
    [InlineData("<Distribution xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"/>", "root element DistributionConfig")]
    public async Task BadDocuments_AreMalformedXML(string body, string detail)
    {
        var response = Expect(await SendAsync(HttpMethod.Post, "distribution", body), HttpStatusCode.BadRequest, "MalformedXML");

        Assert.Contains(detail, response.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CallerReference")]
    [InlineData("Origins")]
    [InlineData("DefaultCacheBehavior")]
    [InlineData("Comment")]
    [InlineData("Enabled")]
    public async Task MissingRequiredMember_IsMalformedXML(string member)
    {
        var config = Config("required-" + member);
        config.Element(Ns + member)!.Remove();

        var response = Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "MalformedXML");

        Assert.Contains($"missing the required element {member}", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMemberOrBadBoolean_IsMalformedXML()
    {
        var unknown = Config("unknown-1");
        unknown.Add(new XElement(Ns + "Colour", "blue"));
        var boolean = Config("boolean-1");
        boolean.Element(Ns + "Enabled")!.Value = "yes";

        Expect(await SendAsync(HttpMethod.Post, "distribution", unknown.ToString()), HttpStatusCode.BadRequest, "MalformedXML");
        Expect(await SendAsync(HttpMethod.Post, "distribution", boolean.ToString()), HttpStatusCode.BadRequest, "MalformedXML");
    }

    [Fact]
    public async Task TargetOriginIdNamingNoOrigin_Is404NoSuchOrigin()
    {
        var config = Config("origin-1");
        config.Descendants(Ns + "CacheBehavior").Single().Element(Ns + "TargetOriginId")!.Value = "nowhere";

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.NotFound, "NoSuchOrigin");
    }

    [Theory]
    [InlineData(100, 60, 3600)]
    [InlineData(0, 7200, 3600)]
    public async Task TtlsOutOfOrder_AreInvalidTTLOrder(int min, int @default, int max)
    {
        var config = Config("ttl-1");
        var behavior = config.Element(Ns + "DefaultCacheBehavior")!;
        behavior.Element(Ns + "MinTTL")!.Value = min.ToString(System.Globalization.CultureInfo.InvariantCulture);
        behavior.Element(Ns + "DefaultTTL")!.Value = @default.ToString(System.Globalization.CultureInfo.InvariantCulture);
        behavior.Element(Ns + "MaxTTL")!.Value = max.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "InvalidTTLOrder");
    }

    [Theory]
    [InlineData("USA", "InvalidLocationCode")]
    [InlineData("us", "InvalidLocationCode")]
    public async Task GeoRestrictionLocations_MustBeTwoLetterCodes(string location, string code)
    {
        var config = Config("geo-1");
        config.Element(Ns + "Enabled")!.AddAfterSelf(new XElement(
            Ns + "Restrictions",
            new XElement(
                Ns + "GeoRestriction",
                new XElement(Ns + "RestrictionType", "whitelist"),
                new XElement(Ns + "Quantity", 2),
                new XElement(Ns + "Items", new XElement(Ns + "Location", "CA"), new XElement(Ns + "Location", location)))));

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task GeoRestriction_IsEchoed()
    {
        var config = Config("geo-2");
        var restrictions = new XElement(
            Ns + "Restrictions",
            new XElement(
                Ns + "GeoRestriction",
                new XElement(Ns + "RestrictionType", "blacklist"),
                new XElement(Ns + "Quantity", 1),
                new XElement(Ns + "Items", new XElement(Ns + "Location", "FR"))));
        config.Element(Ns + "Enabled")!.AddAfterSelf(restrictions);

        var (id, _) = await CreateDistributionAsync(config);

        AssertSameXml(restrictions, Emulator.CloudFront.GetDistribution(id)!.Config.Element(Ns + "Restrictions"));
    }

    [Fact]
    public async Task Status_IsInProgressUntilTheDeployDelayHasPassed_OnTheEmulatorsClock()
    {
        var (id, etag) = await CreateDistributionAsync(Config("status-1"));

        Time.Advance(DeployDelay - TimeSpan.FromSeconds(1));
        var before = Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK);
        Time.Advance(TimeSpan.FromSeconds(1));
        var after = Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK);

        Assert.Equal("InProgress", before.Value("Status"));
        Assert.Equal("Deployed", after.Value("Status"));
        Assert.Equal(etag, after.ETag);
        Assert.Equal("Deployed", Emulator.CloudFront.GetDistribution(id)!.Status);
    }

    [Fact]
    public async Task Update_StartsANewDeployment()
    {
        var (id, etag) = await CreateDistributionAsync(Config("status-2"));
        Time.Advance(DeployDelay);

        Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", Config("status-2", "v2").ToString(), etag), HttpStatusCode.OK);

        Assert.Equal("InProgress", Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK).Value("Status"));
        Time.Advance(DeployDelay);
        Assert.Equal("Deployed", Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.OK).Value("Status"));
    }

    [Fact]
    public async Task Delete_WhileEnabled_Is409DistributionNotDisabled()
    {
        var (id, etag) = await CreateDistributionAsync(Config("delete-1"));
        Time.Advance(DeployDelay);

        var response = Expect(await SendAsync(HttpMethod.Delete, $"distribution/{id}", ifMatch: etag), HttpStatusCode.Conflict, "DistributionNotDisabled");

        Assert.Equal("The distribution you are trying to delete has not been disabled.", response.ErrorMessage);
    }

    [Fact]
    public async Task Delete_DisabledButStillDeploying_Is409DistributionNotDisabled()
    {
        var (id, etag) = await CreateDistributionAsync(Config("delete-2"));
        var disabled = Config("delete-2");
        SetEnabled(disabled, false);
        var updated = Expect(await SendAsync(HttpMethod.Put, $"distribution/{id}/config", disabled.ToString(), etag), HttpStatusCode.OK);

        Expect(await SendAsync(HttpMethod.Delete, $"distribution/{id}", ifMatch: updated.ETag), HttpStatusCode.Conflict, "DistributionNotDisabled");
    }

    [Fact]
    public async Task Delete_DisabledAndDeployed_Is204AndTheDistributionIsGone()
    {
        var (id, _) = await CreateDistributionAsync(Config("delete-3"));

        var response = await DisableAndDeleteAsync(id);

        Expect(response, HttpStatusCode.NoContent);
        Assert.Equal("", response.Text);
        Expect(await GetAsync($"distribution/{id}"), HttpStatusCode.NotFound, "NoSuchDistribution");
        Assert.Empty(Emulator.CloudFront.Distributions);
    }

    [Fact]
    public async Task Delete_IfMatchRules()
    {
        var (id, etag) = await CreateDistributionAsync(Config("delete-4"));

        Expect(await SendAsync(HttpMethod.Delete, $"distribution/{id}"), HttpStatusCode.BadRequest, "InvalidIfMatchVersion");
        Expect(await SendAsync(HttpMethod.Delete, $"distribution/{id}", ifMatch: etag + "X"), HttpStatusCode.PreconditionFailed, "PreconditionFailed");
    }

    [Fact]
    public async Task List_PagesWithMarkerAndMaxItems()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await CreateDistributionAsync(Config($"list-{i}", $"number {i}"))).Id);
        }

        ids.Sort(StringComparer.Ordinal);
        var seen = new List<string>();
        var marker = "";
        var pages = new List<XElement>();
        do
        {
            var page = Expect(await GetAsync($"distribution?MaxItems=2{(marker.Length > 0 ? "&Marker=" + marker : "")}"), HttpStatusCode.OK).Xml;
            pages.Add(page);
            seen.AddRange(page.Descendants(Ns + "DistributionSummary").Select(s => s.Element(Ns + "Id")!.Value));
            marker = page.Element(Ns + "NextMarker")?.Value ?? "";
        }
        while (marker.Length > 0);

        Assert.Equal(ids, seen);
        Assert.Equal([2, 2, 1], pages.Select(p => int.Parse(p.Element(Ns + "Quantity")!.Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["true", "true", "false"], pages.Select(p => p.Element(Ns + "IsTruncated")!.Value));
        Assert.Equal(["Marker", "NextMarker", "MaxItems", "IsTruncated", "Quantity", "Items"], pages[0].Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["Marker", "MaxItems", "IsTruncated", "Quantity", "Items"], pages[2].Elements().Select(e => e.Name.LocalName));
        Assert.Equal(ids[1], pages[1].Element(Ns + "Marker")!.Value);
    }

    [Fact]
    public async Task List_Empty_HasNoItems()
    {
        var list = Expect(await GetAsync("distribution"), HttpStatusCode.OK).Xml;

        Assert.Equal(["Marker", "MaxItems", "IsTruncated", "Quantity"], list.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("100", list.Element(Ns + "MaxItems")!.Value);
        Assert.Equal("0", list.Element(Ns + "Quantity")!.Value);
    }

    [Fact]
    public async Task List_Summary_HasTheModelsMembersInOrder_WithDefaultsForWhatTheConfigOmits()
    {
        var (id, etag) = await CreateDistributionAsync(Config("summary-1", "the comment"));

        var summary = Expect(await GetAsync("distribution"), HttpStatusCode.OK).Xml.Descendants(Ns + "DistributionSummary").Single();

        Assert.Equal(
            [
                "Id", "ARN", "ETag", "Status", "LastModifiedTime", "DomainName", "Aliases", "Origins", "OriginGroups", "DefaultCacheBehavior",
                "CacheBehaviors", "CustomErrorResponses", "Comment", "PriceClass", "Enabled", "ViewerCertificate", "Restrictions", "WebACLId",
                "HttpVersion", "IsIPV6Enabled", "Staging",
            ],
            summary.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(id, summary.Element(Ns + "Id")!.Value);
        Assert.Equal(etag, summary.Element(Ns + "ETag")!.Value);
        Assert.Equal("the comment", summary.Element(Ns + "Comment")!.Value);
        Assert.Equal("PriceClass_All", summary.Element(Ns + "PriceClass")!.Value);
        Assert.Equal("true", summary.Element(Ns + "Enabled")!.Value);
        Assert.Equal("none", summary.Descendants(Ns + "RestrictionType").Single().Value);
        Assert.Equal("true", summary.Element(Ns + "ViewerCertificate")!.Element(Ns + "CloudFrontDefaultCertificate")!.Value);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("lots")]
    public async Task List_BadMaxItems_IsInvalidArgument(string maxItems)
    {
        Expect(await GetAsync("distribution?MaxItems=" + maxItems), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task CreateWithTags_StoresTheTags_AndTaggingOperationsWork()
    {
        var body = new XElement(
            Ns + "DistributionConfigWithTags",
            Config("tags-1"),
            new XElement(Ns + "Tags", new XElement(Ns + "Items", new XElement(Ns + "Tag", new XElement(Ns + "Key", "owner"), new XElement(Ns + "Value", "poppy")))));
        var created = Expect(await SendAsync(HttpMethod.Post, "distribution?WithTags", body.ToString()), HttpStatusCode.Created);
        var arn = Uri.EscapeDataString(created.Value("ARN"));
        var more = new XElement(Ns + "Tags", new XElement(Ns + "Items", new XElement(Ns + "Tag", new XElement(Ns + "Key", "stage"), new XElement(Ns + "Value", "one"))));
        var remove = new XElement(Ns + "TagKeys", new XElement(Ns + "Items", new XElement(Ns + "Key", "owner")));

        Expect(await SendAsync(HttpMethod.Post, $"tagging?Operation=Tag&Resource={arn}", more.ToString()), HttpStatusCode.NoContent);
        var both = Expect(await GetAsync($"tagging?Resource={arn}"), HttpStatusCode.OK).Xml;
        Expect(await SendAsync(HttpMethod.Post, $"tagging?Operation=Untag&Resource={arn}", remove.ToString()), HttpStatusCode.NoContent);

        Assert.Equal(["owner", "stage"], both.Descendants(Ns + "Key").Select(k => k.Value));
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "one" }, Emulator.CloudFront.GetDistribution(created.Value("Id"))!.Tags);
    }

    [Fact]
    public async Task Tagging_UnknownResource_Is404NoSuchResource()
    {
        var arn = Uri.EscapeDataString("arn:aws:cloudfront::123456789012:distribution/E000000000000A");

        Expect(await GetAsync($"tagging?Resource={arn}"), HttpStatusCode.NotFound, "NoSuchResource");
    }

    [Fact]
    public async Task UnknownOperation_Is404NoSuchResource()
    {
        Expect(await GetAsync("cache-policy"), HttpStatusCode.NotFound, "NoSuchResource");
    }
}
