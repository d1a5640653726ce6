using System.Net;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>PAPI prerequisites, CP codes, edge hostnames, properties, versions, rule trees and hostnames.</summary>
public sealed class PropertyTests : AkamaiTestBase
{
    [Fact]
    public async Task Prerequisites_ContractsGroupsProducts_AnswerTheAccount()
    {
        var groups = await CallAsync(HttpMethod.Get, "/papi/v1/groups");
        var products = await CallAsync(HttpMethod.Get, "/papi/v1/products?contractId=ctr_C-0N7RAC7");

        Assert.Equal("grp_15225", groups["groups"]!["items"]![0]!["groupId"]!.GetValue<string>());
        Assert.Equal("ctr_C-0N7RAC7", groups["groups"]!["items"]![0]!["contractIds"]![0]!.GetValue<string>());
        Assert.Contains(products["products"]!["items"]!.AsArray(), p => p!["productId"]!.GetValue<string>() == "prd_Fresca");
        await CallAsync(HttpMethod.Get, "/papi/v1/products", expected: HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Get, "/papi/v1/cpcodes?contractId=ctr_OTHER&groupId=grp_15225", expected: HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PapiUsePrefixes_False_WritesBareIds()
    {
        var (propertyId, cpcodeId, _) = await CreatePropertyAsync();

        var property = await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}{Cg}", headers: ("PAPI-Use-Prefixes", "false"));
        var cpcode = await CallAsync(HttpMethod.Get, $"/papi/v1/cpcodes/{cpcodeId[4..]}?contractId=C-0N7RAC7&groupId=15225", headers: ("PAPI-Use-Prefixes", "false"));

        Assert.Equal(propertyId[4..], property["properties"]!["items"]![0]!["propertyId"]!.GetValue<string>());
        Assert.Equal("C-0N7RAC7", property["properties"]!["items"]![0]!["contractId"]!.GetValue<string>());
        Assert.Equal(cpcodeId[4..], cpcode["cpcodes"]!["items"]![0]!["cpcodeId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "edgesuite.net", "STANDARD_TLS", HttpStatusCode.BadRequest)]
    [InlineData("IPV5", "edgesuite.net", "STANDARD_TLS", HttpStatusCode.BadRequest)]
    [InlineData("IPV4", "edgekey.net", "STANDARD_TLS", HttpStatusCode.BadRequest)]
    [InlineData("IPV6_COMPLIANCE", "akamaized.net", "SHARED_CERT", HttpStatusCode.Created)]
    [InlineData("IPV4", "edgesuite.net", "STANDARD_TLS", HttpStatusCode.Created)]
    public async Task EdgeHostname_Create_RequiresIpVersionBehaviorAndAMatchingSuffix(string? ipVersion, string suffix, string network, HttpStatusCode expected)
    {
        var body = new JsonObject { ["productId"] = "prd_Fresca", ["domainPrefix"] = "www.example.com", ["domainSuffix"] = suffix, ["secureNetwork"] = network };
        if (ipVersion is not null)
        {
            body["ipVersionBehavior"] = ipVersion;
        }

        var answer = await CallAsync(HttpMethod.Post, "/papi/v1/edgehostnames" + Cg, body, expected);

        if (expected == HttpStatusCode.Created)
        {
            var id = IdFrom(answer, "edgeHostnameLink", "ehn");
            var read = await CallAsync(HttpMethod.Get, $"/papi/v1/edgehostnames/{id}{Cg}");
            Assert.Equal("www.example.com." + suffix, read["edgeHostnames"]!["items"]![0]!["edgeHostnameDomain"]!.GetValue<string>());
            Assert.Equal(ipVersion, read["edgeHostnames"]!["items"]![0]!["ipVersionBehavior"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Property_Create_HasVersionOneAndRefusesADuplicateName()
    {
        var created = await CallAsync(HttpMethod.Post, "/papi/v1/properties" + Cg, new { productId = "prd_Fresca", propertyName = "poppy-svc", ruleFormat = "v2024-02-12" }, HttpStatusCode.Created);
        var id = IdFrom(created, "propertyLink", "prp");

        Assert.Equal(created["propertyLink"]!.GetValue<string>(), LastResponse.Headers.Location?.ToString());
        var property = (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{id}{Cg}"))["properties"]!["items"]![0]!;
        Assert.Equal(1, property["latestVersion"]!.GetValue<int>());
        Assert.Null(property["stagingVersion"]);
        Assert.Equal("v2024-02-12", property["ruleFormat"]!.GetValue<string>());
        await CallAsync(HttpMethod.Post, "/papi/v1/properties" + Cg, new { productId = "prd_Fresca", propertyName = "poppy-svc" }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Post, "/papi/v1/properties" + Cg, new { productId = "prd_Nope", propertyName = "poppy-other" }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Post, "/papi/v1/properties" + Cg, new { productId = "prd_Fresca", propertyName = "has space" }, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Rules_PutWithCurrentEtag_ReplacesAndAStaleEtagIs412()
    {
        var (propertyId, cpcodeId, _) = await CreatePropertyAsync();
        var path = $"/papi/v1/properties/{propertyId}/versions/1/rules{Cg}";
        var read = await CallAsync(HttpMethod.Get, path);
        var etag = read["etag"]!.GetValue<string>();
        Assert.Equal($"\"{etag}\"", LastResponse.Headers.ETag?.ToString());

        var put = await CallAsync(HttpMethod.Put, path, Rules(cpcodeId), headers: ("If-Match", $"\"{etag}\""));
        var stale = await CallAsync(HttpMethod.Put, path, Rules(cpcodeId), HttpStatusCode.PreconditionFailed, ("If-Match", $"\"{etag}\""));

        Assert.NotEqual(etag, put["etag"]!.GetValue<string>());
        Assert.Equal("https://problems.luna.akamaiapis.net/papi/v1/precondition-failed", stale["type"]!.GetValue<string>());
        Assert.Equal("origin.example.net", (await CallAsync(HttpMethod.Get, path))["rules"]!["behaviors"]![0]!["options"]!["hostname"]!.GetValue<string>());
    }

    [Fact]
    public async Task Etag_IsOneDigestOfTheVersion_RulesPutEtagIsTheIfMatchOfTheHostnamesPut()
    {
        // PAPI's etag is "an opaque digest string representing a snapshot of the property version" (Concurrency control).
        var (propertyId, cpcodeId, ehn) = await CreatePropertyAsync("www.example.com");
        var version = $"/papi/v1/properties/{propertyId}/versions/1{Cg}";
        var rules = $"/papi/v1/properties/{propertyId}/versions/1/rules{Cg}";
        var hostnames = $"/papi/v1/properties/{propertyId}/versions/1/hostnames{Cg}";
        var etag = (await CallAsync(HttpMethod.Get, rules))["etag"]!.GetValue<string>();
        Assert.Equal(etag, (await CallAsync(HttpMethod.Get, hostnames))["etag"]!.GetValue<string>());

        var afterRules = (await CallAsync(HttpMethod.Put, rules, Rules(cpcodeId), headers: ("If-Match", $"\"{etag}\"")))["etag"]!.GetValue<string>();
        var afterHostnames = await CallAsync(HttpMethod.Put, hostnames, new[] { new { cnameFrom = "www.example.com", edgeHostnameId = ehn, certProvisioningType = "DEFAULT" } }, headers: ("If-Match", $"\"{afterRules}\""));

        var now = afterHostnames["etag"]!.GetValue<string>();
        Assert.NotEqual(afterRules, now);
        Assert.Equal(now, (await CallAsync(HttpMethod.Get, version))["versions"]!["items"]![0]!["etag"]!.GetValue<string>());
        await CallAsync(HttpMethod.Put, rules, Rules(cpcodeId), HttpStatusCode.PreconditionFailed, ("If-Match", $"\"{afterRules}\""));
    }

    [Fact]
    public async Task Rules_PutWithDatedMediaType_FreezesTheRuleFormat_LatestAndJunkAreTold()
    {
        var (propertyId, cpcodeId, _) = await CreatePropertyAsync();
        var path = $"/papi/v1/properties/{propertyId}/versions/1/rules{Cg}";

        var frozen = await CallAsync(HttpMethod.Put, path, Rules(cpcodeId), headers: ("Content-Type", "application/vnd.akamai.papirules.v2024-02-12+json"));
        var converted = await CallAsync(HttpMethod.Get, path, headers: ("Accept", "application/vnd.akamai.papirules.v2025-01-01+json"));
        var contentType = LastResponse.Content.Headers.ContentType?.MediaType;
        await CallAsync(HttpMethod.Put, path, Rules(cpcodeId), HttpStatusCode.UnsupportedMediaType, ("Content-Type", "text/plain"));

        Assert.Equal("v2024-02-12", frozen["ruleFormat"]!.GetValue<string>());
        Assert.Equal("v2024-02-12", (await CallAsync(HttpMethod.Get, path))["ruleFormat"]!.GetValue<string>());
        Assert.Equal("v2025-01-01", converted["ruleFormat"]!.GetValue<string>());
        Assert.Equal("application/vnd.akamai.papirules.v2025-01-01+json", contentType);
    }

    [Fact]
    public async Task Rules_WithoutOriginOrUnknownCpCode_AnswerValidationErrors()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();
        var rules = Rules("cpc_999");
        rules["rules"]!["behaviors"]!.AsArray().RemoveAt(0);

        var put = await CallAsync(HttpMethod.Put, $"/papi/v1/properties/{propertyId}/versions/1/rules{Cg}", rules);

        var errors = put["errors"]!.AsArray().Select(e => e!["behaviorName"]!.GetValue<string>()).ToList();
        Assert.Equal(["cpCode", "origin"], errors.Order());
    }

    [Fact]
    public async Task Hostnames_DefaultCertificate_CarriesTheValidationCnameAndDeploysAfterTheDelay()
    {
        var (propertyId, _, ehn) = await CreatePropertyAsync("www.example.com");
        var path = $"/papi/v1/properties/{propertyId}/versions/1/hostnames{Cg}";

        var pending = (await CallAsync(HttpMethod.Get, path))["hostnames"]!["items"]![0]!;
        Time.Advance(DeployDelay);
        var deployed = (await CallAsync(HttpMethod.Get, path))["hostnames"]!["items"]![0]!;

        Assert.Equal(ehn, pending["edgeHostnameId"]!.GetValue<string>());
        Assert.Equal("www.example.com.edgekey.net", pending["cnameTo"]!.GetValue<string>());
        Assert.Equal("_acme-challenge.www.example.com", pending["certStatus"]!["validationCname"]!["hostname"]!.GetValue<string>());
        Assert.EndsWith(".www.example.com.akamai-domain.com", pending["certStatus"]!["validationCname"]!["target"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("PENDING", pending["certStatus"]!["production"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("DEPLOYED", deployed["certStatus"]!["staging"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hostnames_PutBareArray_ValidatesItemsAndEtag()
    {
        var (propertyId, _, ehn) = await CreatePropertyAsync("www.example.com");
        var path = $"/papi/v1/properties/{propertyId}/versions/1/hostnames{Cg}";
        var etag = (await CallAsync(HttpMethod.Get, path))["etag"]!.GetValue<string>();
        var standard = IdFrom(
            await CallAsync(HttpMethod.Post, "/papi/v1/edgehostnames" + Cg, new { productId = "prd_Fresca", domainPrefix = "plain.example.com", domainSuffix = "edgesuite.net", ipVersionBehavior = "IPV4" }, HttpStatusCode.Created),
            "edgeHostnameLink",
            "ehn");

        await CallAsync(HttpMethod.Put, path, new { hostnames = Array.Empty<object>() }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Put, path, new[] { new { cnameFrom = "a.example.com", cnameTo = "missing.edgesuite.net" } }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Put, path, new[] { new { cnameFrom = "a.example.com", edgeHostnameId = standard, certProvisioningType = "DEFAULT" } }, HttpStatusCode.BadRequest);
        var put = await CallAsync(HttpMethod.Put, path, new[] { new { cnameFrom = "a.example.com", edgeHostnameId = standard, certProvisioningType = "CPS_MANAGED" } }, headers: ("If-Match", etag));
        await CallAsync(HttpMethod.Put, path, new[] { new { cnameFrom = "b.example.com", edgeHostnameId = ehn, certProvisioningType = "DEFAULT" } }, HttpStatusCode.PreconditionFailed, ("If-Match", etag));

        var item = put["hostnames"]!["items"]!.AsArray().Single()!;
        Assert.Equal("plain.example.com.edgesuite.net", item["cnameTo"]!.GetValue<string>());
        Assert.Null(item["certStatus"]);
    }

    [Fact]
    public async Task Versions_CreateFromVersionEtag_CopiesAndAStaleEtagIs412()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();
        var v1 = (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/versions/1{Cg}"))["versions"]!["items"]![0]!;
        var etag = v1["etag"]!.GetValue<string>();

        var created = await CallAsync(HttpMethod.Post, $"/papi/v1/properties/{propertyId}/versions{Cg}", new { createFromVersion = 1, createFromVersionEtag = etag }, HttpStatusCode.Created);
        await CallAsync(HttpMethod.Post, $"/papi/v1/properties/{propertyId}/versions{Cg}", new { createFromVersion = 1, createFromVersionEtag = "0000000000000000" }, HttpStatusCode.PreconditionFailed);
        var latest = await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/versions/latest{Cg}");
        var list = await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/versions{Cg}");
        var hostnames = await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/versions/2/hostnames{Cg}");

        Assert.EndsWith($"/versions/2?contractId=ctr_C-0N7RAC7&groupId=grp_15225", created["versionLink"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, latest["versions"]!["items"]!.AsArray().Single()!["propertyVersion"]!.GetValue<int>());
        Assert.Equal([2, 1], list["versions"]!["items"]!.AsArray().Select(v => v!["propertyVersion"]!.GetValue<int>()));
        Assert.Equal("www.example.com", hostnames["hostnames"]!["items"]![0]!["cnameFrom"]!.GetValue<string>());
    }

    [Fact]
    public async Task FindByValue_ByNameHostnameAndEdgeHostname_FindsTheLatestVersion()
    {
        var (propertyId, _, _) = await CreatePropertyAsync("www.example.com");

        var byName = await CallAsync(HttpMethod.Post, "/papi/v1/search/find-by-value", new { propertyName = "poppy-www.example.com" });
        var byHost = await CallAsync(HttpMethod.Post, "/papi/v1/search/find-by-value", new { hostname = "www.example.com" });
        var byEdge = await CallAsync(HttpMethod.Post, "/papi/v1/search/find-by-value", new { edgeHostname = "www.example.com.edgekey.net" });
        var none = await CallAsync(HttpMethod.Post, "/papi/v1/search/find-by-value", new { propertyName = "poppy-other" });
        await CallAsync(HttpMethod.Post, "/papi/v1/search/find-by-value", new { propertyName = "a", hostname = "b" }, HttpStatusCode.BadRequest);

        foreach (var answer in new[] { byName, byHost, byEdge })
        {
            var item = answer["versions"]!["items"]!.AsArray().Single()!;
            Assert.Equal(propertyId, item["propertyId"]!.GetValue<string>());
            Assert.Equal(1, item["propertyVersion"]!.GetValue<int>());
            Assert.Equal("INACTIVE", item["stagingStatus"]!.GetValue<string>());
        }

        Assert.Empty(none["versions"]!["items"]!.AsArray());
    }

    [Fact]
    public async Task UnknownProperty_Is404Problem()
    {
        var answer = await CallAsync(HttpMethod.Get, $"/papi/v1/properties/prp_1{Cg}", expected: HttpStatusCode.NotFound);

        Assert.Equal("https://problems.luna.akamaiapis.net/papi/v1/http/not-found", answer["type"]!.GetValue<string>());
        Assert.Equal(404, answer["status"]!.GetValue<int>());
    }
}
