using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Poppy.Sdk.Emulator.Akamai;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>
/// The emulator's EdgeGrid verifier against Akamai's official test data (tests/vectors/akamai-edgegrid, from
/// AkamaiOPEN-edgegrid-python), read at test time: for every case the verifier accepts the expected
/// authorization header at the vectors' timestamp, its data to sign matches byte for byte, and a changed
/// request is refused.
/// </summary>
public sealed class EdgeGridVectorTests
{
    private static readonly JsonObject Data = Load("testdata.json").AsObject();
    private static readonly DateTimeOffset VectorTime = new(2014, 3, 21, 19, 34, 21, TimeSpan.Zero);

    public static TheoryData<string> Cases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var test in Load("testcases.json").AsArray())
            {
                data.Add(test!["testName"]!.GetValue<string>());
            }

            return data;
        }
    }

    [Fact]
    public void Cases_AllFifteenOfTheOfficialFile_AreRead()
    {
        Assert.Equal(15, Cases.Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_OfficialCase_AcceptsTheExpectedHeaderAndSignsTheExpectedData(string name)
    {
        var test = Case(name);
        var request = VectorRequest(test);

        Assert.Null(AkamaiAuth.Verify(VectorOptions(), VectorTime, test["expectedAuthorization"]!.GetValue<string>(), request));
        if (test["expectedDataToSign"] is { } expectedData)
        {
            var data = EdgeGrid.DataToSign(
                request.Method, request.Scheme, request.Host, request.PathAndQuery,
                EdgeGrid.CanonicalHeaders(VectorOptions().HeadersToSign, request.Header),
                EdgeGrid.ContentHash(request.Method, request.Body, 2048),
                "");
            Assert.Equal(expectedData.GetValue<string>(), data);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_OfficialHeaderOnAnotherPath_IsRefusedAsABadSignature(string name)
    {
        var test = Case(name);
        var request = VectorRequest(test) with { PathAndQuery = "/testapi/v1/other" };

        var error = AkamaiAuth.Verify(VectorOptions(), VectorTime, test["expectedAuthorization"]!.GetValue<string>(), request);

        Assert.Equal(401, error?.Status);
        Assert.Equal("The signature does not match", error!.Message);
    }

    [Fact]
    public void SigningKeyAndContentHash_OfficialScalars_Match()
    {
        Assert.Equal(Data["sign_key_test"]!.GetValue<string>(), EdgeGrid.SigningKey(Data["client_secret"]!.GetValue<string>(), Data["timestamp"]!.GetValue<string>()));
        Assert.Equal(Data["content_hash_test"]!.GetValue<string>(), EdgeGrid.ContentHash("POST", "test_body"u8, 2048));
        Assert.Equal("", EdgeGrid.ContentHash("PUT", "test_body"u8, 2048));
    }

    [Fact]
    public void Verify_OfficialJsonPost_WithTheDefaultMaxBodyAndNoSignedHeaders_IsAccepted()
    {
        var options = VectorOptions();
        options.HeadersToSign.Clear();
        options.MaxBody = 131072;
        var request = new EdgeGridRequest("POST", "https", Host(), "/testapi/v1/t3?extended=true", _ => null, Encoding.UTF8.GetBytes("{\"key\": \"value\"}"));

        Assert.Null(AkamaiAuth.Verify(options, VectorTime, Data["jsontest_hash"]!.GetValue<string>(), request));
    }

    [Theory]
    [InlineData(-31, false)]
    [InlineData(-29, true)]
    [InlineData(29, true)]
    [InlineData(31, false)]
    public void Verify_ClockSkew_OutsideThirtySecondsIsInvalidTimestamp(int skewSeconds, bool accepted)
    {
        var test = Case("simple GET");

        var error = AkamaiAuth.Verify(VectorOptions(), VectorTime.AddSeconds(skewSeconds), test["expectedAuthorization"]!.GetValue<string>(), VectorRequest(test));

        if (accepted)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Equal(400, error?.Status);
            Assert.Equal("Invalid timestamp", error!.Message);
            Assert.Equal("-/pep-authn/request-error", error.Type);
        }
    }

    [Fact]
    public void TestSigner_OfficialSimpleGet_ProducesTheExpectedHeader()
    {
        var test = Case("simple GET");
        var uri = new Uri(new Uri(Data["base_url"]!.GetValue<string>()), test["request"]!["path"]!.GetValue<string>());

        var header = TestEdgeGridSigner.Sign(
            HttpMethod.Get, uri, [],
            (Data["client_token"]!.GetValue<string>(), Data["client_secret"]!.GetValue<string>(), Data["access_token"]!.GetValue<string>()),
            VectorTime,
            Data["nonce"]!.GetValue<string>());

        Assert.Equal(test["expectedAuthorization"]!.GetValue<string>(), header);
    }

    private static JsonObject Case(string name) =>
        Load("testcases.json").AsArray().Single(t => t!["testName"]!.GetValue<string>() == name)!.AsObject();

    private static string Host() => new Uri(Data["base_url"]!.GetValue<string>()).Host;

    private static AkamaiEmulatorOptions VectorOptions()
    {
        var options = new AkamaiEmulatorOptions
        {
            ClientToken = Data["client_token"]!.GetValue<string>(),
            ClientSecret = Data["client_secret"]!.GetValue<string>(),
            AccessToken = Data["access_token"]!.GetValue<string>(),
            MaxBody = Data["max_body"]!.GetValue<int>(),
        };
        foreach (var header in Data["headers_to_sign"]!.AsArray())
        {
            options.HeadersToSign.Add(header!.GetValue<string>());
        }

        return options;
    }

    private static EdgeGridRequest VectorRequest(JsonObject test)
    {
        var request = test["request"]!;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var entry in request["headers"]?.AsArray() ?? [])
        {
            foreach (var (key, value) in entry!.AsObject())
            {
                headers.Add(new(key, value!.GetValue<string>()));
            }
        }

        return new EdgeGridRequest(
            request["method"]!.GetValue<string>(),
            "https",
            Host(),
            request["path"]!.GetValue<string>(),
            name => headers.LastOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value,
            request["data"] is { } data ? Encoding.UTF8.GetBytes(data.GetValue<string>()) : []);
    }

    private static JsonNode Load(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Poppy.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        var path = dir is null ? null : Path.Combine(dir.FullName, "tests", "vectors", "akamai-edgegrid", file);
        if (path is null || !File.Exists(path))
        {
            throw new FileNotFoundException(string.Create(CultureInfo.InvariantCulture, $"The EdgeGrid test data was not found at tests/vectors/akamai-edgegrid/{file} in the repository."));
        }

        return JsonNode.Parse(File.ReadAllText(path))!;
    }
}
