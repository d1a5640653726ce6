using System.Net;
using System.Text;
using System.Xml.Linq;

namespace Poppy.Sdk.Emulator.Tests.CloudFront;

/// <summary>CloudFront Functions: DEVELOPMENT and LIVE stages, ETags, associations.</summary>
public sealed class FunctionTests : CloudFrontTestBase
{
    private const string Code = "function handler(event) { return event.request; }";

    [Fact]
    public async Task Create_Is201WithETagAndAFunctionSummaryInDevelopment()
    {
        var response = Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("restrict", Code, comment: "blocks things")), HttpStatusCode.Created);

        var expected = new XElement(
            Ns + "FunctionSummary",
            new XElement(Ns + "Name", "restrict"),
            new XElement(Ns + "Status", "UNPUBLISHED"),
            new XElement(Ns + "FunctionConfig", new XElement(Ns + "Comment", "blocks things"), new XElement(Ns + "Runtime", "cloudfront-js-2.0")),
            new XElement(
                Ns + "FunctionMetadata",
                new XElement(Ns + "FunctionARN", "arn:aws:cloudfront::123456789012:function/restrict"),
                new XElement(Ns + "Stage", "DEVELOPMENT"),
                new XElement(Ns + "CreatedTime", "2026-11-25T10:30:00.000Z"),
                new XElement(Ns + "LastModifiedTime", "2026-11-25T10:30:00.000Z")));
        AssertSameXml(expected, response.Xml);
        Assert.Matches("^E[A-Z0-9]{13}$", response.ETag);
        Assert.Equal($"{Emulator.BaseAddress}2020-05-31/function/arn:aws:cloudfront::123456789012:function/restrict", response.Location);
    }

    [Fact]
    public async Task Create_SameNameTwice_Is409FunctionAlreadyExists()
    {
        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("twice", Code)), HttpStatusCode.Created);

        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("twice", Code)), HttpStatusCode.Conflict, "FunctionAlreadyExists");
    }

    [Theory]
    [InlineData("cloudfront-js-1.0", HttpStatusCode.Created, null)]
    [InlineData("cloudfront-js-3.0", HttpStatusCode.BadRequest, "InvalidArgument")]
    [InlineData("nodejs20.x", HttpStatusCode.BadRequest, "InvalidArgument")]
    public async Task Create_Runtime_MustBeACloudFrontJsRuntime(string runtime, HttpStatusCode status, string? code)
    {
        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("runtime", Code, runtime)), status, code);
    }

    [Theory]
    [InlineData(10240, HttpStatusCode.Created, null)]
    [InlineData(10241, HttpStatusCode.RequestEntityTooLarge, "FunctionSizeLimitExceeded")]
    public async Task Create_CodeLargerThan10KB_IsFunctionSizeLimitExceeded(int size, HttpStatusCode status, string? code)
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', size));

        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("sized", bytes)), status, code);
    }

    [Fact]
    public async Task Create_BadName_IsInvalidArgument()
    {
        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("no spaces", Code)), HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task DescribeAndGet_ReturnTheStageAndItsETag()
    {
        var created = Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("describe", Code)), HttpStatusCode.Created);

        var described = Expect(await GetAsync("function/describe/describe"), HttpStatusCode.OK);
        var code = await GetFunctionCodeAsync("function/describe");
        var live = await GetAsync("function/describe/describe?Stage=LIVE");

        Assert.Equal(created.ETag, described.ETag);
        Assert.Equal("DEVELOPMENT", described.Xml.Descendants(Ns + "Stage").Single().Value);
        Assert.Equal(Code, code.Text);
        Assert.Equal(created.ETag, code.ETag);
        Assert.Equal("application/octet-stream", code.ContentType);
        Expect(live, HttpStatusCode.NotFound, "NoSuchFunctionExists");
    }

    [Fact]
    public async Task Publish_CopiesDevelopmentToLive_WithTheDevelopmentETag()
    {
        var created = Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("publish", Code)), HttpStatusCode.Created);

        Expect(await SendAsync(HttpMethod.Post, "function/publish/publish"), HttpStatusCode.BadRequest, "InvalidIfMatchVersion");
        Expect(await SendAsync(HttpMethod.Post, "function/publish/publish", ifMatch: "ESTALE"), HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        var published = Expect(await SendAsync(HttpMethod.Post, "function/publish/publish", ifMatch: created.ETag), HttpStatusCode.OK);
        var live = Expect(await GetAsync("function/publish/describe?Stage=LIVE"), HttpStatusCode.OK);
        var liveCode = await GetFunctionCodeAsync("function/publish?Stage=LIVE");

        Assert.Equal("LIVE", published.Xml.Descendants(Ns + "Stage").Single().Value);
        Assert.Equal("UNASSOCIATED", published.Value("Status"));
        Assert.Equal("LIVE", live.Xml.Descendants(Ns + "Stage").Single().Value);
        Assert.NotNull(live.ETag);
        Assert.Equal(Code, liveCode.Text);
        Assert.Equal(live.ETag, liveCode.ETag);
    }

    [Fact]
    public async Task Update_ChangesOnlyDevelopment_UntilPublished()
    {
        var created = Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("update", Code)), HttpStatusCode.Created);
        Expect(await SendAsync(HttpMethod.Post, "function/update/publish", ifMatch: created.ETag), HttpStatusCode.OK);
        var update = new XElement(
            Ns + "UpdateFunctionRequest",
            new XElement(Ns + "FunctionConfig", new XElement(Ns + "Comment", "v2"), new XElement(Ns + "Runtime", "cloudfront-js-2.0")),
            new XElement(Ns + "FunctionCode", Convert.ToBase64String(Encoding.UTF8.GetBytes("// v2")))).ToString();

        Expect(await SendAsync(HttpMethod.Put, "function/update", update, "ESTALE"), HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        var updated = Expect(await SendAsync(HttpMethod.Put, "function/update", update, created.ETag), HttpStatusCode.OK);

        var snapshot = Assert.Single(Emulator.CloudFront.Functions);
        Assert.NotEqual(created.ETag, updated.ETtag);
        Assert.Equal(updated.ETtag, snapshot.DevelopmentETag);
        Assert.Equal("// v2", Encoding.UTF8.GetString(snapshot.DevelopmentCode.Span));
        Assert.Equal(Code, Encoding.UTF8.GetString(snapshot.LiveCode!.Value.Span));
        Assert.Equal("v2", snapshot.Comment);
    }

    [Fact]
    public async Task UpdateFunction_Answer_CarriesItsETagInTheETtagHeaderAsTheModelSays()
    {
        // botocore: UpdateFunctionResult.ETag has location "header", locationName "ETtag"; no ETag header beside it.
        var created = Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("ettag", Code)), HttpStatusCode.Created);
        var update = new XElement(
            Ns + "UpdateFunctionRequest",
            new XElement(Ns + "FunctionConfig", new XElement(Ns + "Comment", "v2"), new XElement(Ns + "Runtime", "cloudfront-js-2.0")),
            new XElement(Ns + "FunctionCode", Convert.ToBase64String(Encoding.UTF8.GetBytes("// v2")))).ToString();

        var updated = Expect(await SendAsync(HttpMethod.Put, "function/ettag", update, created.ETag), HttpStatusCode.OK);
        var published = await SendAsync(HttpMethod.Post, "function/ettag/publish", ifMatch: updated.ETtag);

        Assert.Null(updated.ETag);
        Assert.Equal(Assert.Single(Emulator.CloudFront.Functions).DevelopmentETag, updated.ETtag);
        Expect(published, HttpStatusCode.OK);
        Assert.Null(created.ETtag);
    }

    [Fact]
    public async Task Association_NeedsALiveFunction()
    {
        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("unpublished", Code)), HttpStatusCode.Created);
        var config = Config("assoc-1");
        AssociateFunction(config, "arn:aws:cloudfront::123456789012:function/unpublished");
        var missing = Config("assoc-2");
        AssociateFunction(missing, "arn:aws:cloudfront::123456789012:function/nobody");

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "InvalidFunctionAssociation");
        Expect(await SendAsync(HttpMethod.Post, "distribution", missing.ToString()), HttpStatusCode.BadRequest, "InvalidFunctionAssociation");
    }

    [Fact]
    public async Task Association_OnAnOriginEvent_IsInvalidFunctionAssociation()
    {
        var arn = await CreateLiveFunctionAsync("origin-event");
        var config = Config("assoc-3");
        AssociateFunction(config, arn, "origin-request");

        Expect(await SendAsync(HttpMethod.Post, "distribution", config.ToString()), HttpStatusCode.BadRequest, "InvalidFunctionAssociation");
    }

    [Fact]
    public async Task Delete_WhileAssociated_Is409FunctionInUse_ThenSucceedsOnceTheDistributionIsGone()
    {
        var arn = await CreateLiveFunctionAsync("in-use");
        var config = Config("assoc-4");
        AssociateFunction(config, arn);
        var (id, _) = await CreateDistributionAsync(config);
        var etag = Expect(await GetAsync("function/in-use/describe"), HttpStatusCode.OK).ETag;

        var status = Assert.Single(Emulator.CloudFront.Functions).Status;
        var inUse = Expect(await SendAsync(HttpMethod.Delete, "function/in-use", ifMatch: etag), HttpStatusCode.Conflict, "FunctionInUse");
        Expect(await DisableAndDeleteAsync(id), HttpStatusCode.NoContent);
        var deleted = await SendAsync(HttpMethod.Delete, "function/in-use", ifMatch: etag);

        Assert.Equal("DEPLOYED", status);
        Assert.Equal("Cannot delete the function because it's attached to one or more cache behaviors.", inUse.ErrorMessage);
        Expect(deleted, HttpStatusCode.NoContent);
        Expect(await GetAsync("function/in-use/describe"), HttpStatusCode.NotFound, "NoSuchFunctionExists");
    }

    [Fact]
    public async Task Delete_IfMatchRules()
    {
        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("delete-me", Code)), HttpStatusCode.Created);

        Expect(await SendAsync(HttpMethod.Delete, "function/delete-me"), HttpStatusCode.BadRequest, "InvalidIfMatchVersion");
        Expect(await SendAsync(HttpMethod.Delete, "function/delete-me", ifMatch: "ESTALE"), HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        Expect(await SendAsync(HttpMethod.Delete, "function/nobody", ifMatch: "ESTALE"), HttpStatusCode.NotFound, "NoSuchFunctionExists");
    }

    [Fact]
    public async Task List_FiltersByStage()
    {
        await CreateLiveFunctionAsync("alpha");
        Expect(await SendAsync(HttpMethod.Post, "function", CreateFunctionBody("beta", Code)), HttpStatusCode.Created);

        var all = Expect(await GetAsync("function"), HttpStatusCode.OK).Xml;
        var live = Expect(await GetAsync("function?Stage=LIVE"), HttpStatusCode.OK).Xml;
        var firstPage = Expect(await GetAsync("function?MaxItems=2"), HttpStatusCode.OK).Xml;
        var secondPage = Expect(await GetAsync("function?MaxItems=2&Marker=" + firstPage.Element(Ns + "NextMarker")!.Value), HttpStatusCode.OK).Xml;

        string Entries(XElement list) => string.Join(",", list.Descendants(Ns + "FunctionSummary").Select(s => s.Element(Ns + "Name")!.Value + ":" + s.Descendants(Ns + "Stage").Single().Value));
        Assert.Equal("alpha:DEVELOPMENT,alpha:LIVE,beta:DEVELOPMENT", Entries(all));
        Assert.Equal("alpha:LIVE", Entries(live));
        Assert.Equal(["NextMarker", "MaxItems", "Quantity", "Items"], firstPage.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("beta:DEVELOPMENT", Entries(secondPage));
        Assert.Null(secondPage.Element(Ns + "NextMarker"));
    }

    private async Task<CfResponse> GetFunctionCodeAsync(string path) => Expect(await GetAsync(path), HttpStatusCode.OK);
}
