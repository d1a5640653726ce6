using System.Text;
using System.Text.Json;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.Akamai.Internal.Signing;

namespace Poppy.Sdk.Akamai.Tests.Signing;

/// <summary>
/// Every case of Akamai's official EdgeGrid test data (akamai/AkamaiOPEN-edgegrid-python), read at test time from the
/// repository's own copy (tests/vectors/akamai-edgegrid, copied to the test output): data to sign and Authorization byte for byte.
/// </summary>
public sealed class EdgeGridVectorTests
{
    private static readonly JsonElement Data = Load("testdata.json");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load("testcases.json").EnumerateArray())
        {
            data.Add(c.GetProperty("testName").GetString()!);
        }

        return data;
    }

    [Fact]
    public void Cases_AllFoundOnDisk() => Assert.Equal(15, Cases().Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sign_OfficialCase_MatchesDataToSignAndAuthorization(string name)
    {
        var c = Load("testcases.json").EnumerateArray().Single(e => e.GetProperty("testName").GetString() == name);
        var request = c.GetProperty("request");
        var headers = new List<KeyValuePair<string, string>>();
        if (request.TryGetProperty("headers", out var list))
        {
            foreach (var h in list.EnumerateArray())
            {
                foreach (var p in h.EnumerateObject())
                {
                    headers.Add(new(p.Name, p.Value.GetString()!));
                }
            }
        }

        var body = request.TryGetProperty("data", out var d) ? Encoding.UTF8.GetBytes(d.GetString()!) : [];
        var baseUrl = new Uri(Data.GetProperty("base_url").GetString()!);
        var signature = EdgeGridSigner.Sign(
            request.GetProperty("method").GetString()!,
            baseUrl.Scheme,
            baseUrl.Host,
            request.GetProperty("path").GetString()!,
            headers,
            body,
            Credentials(Data.GetProperty("max_body").GetInt32()),
            Data.GetProperty("timestamp").GetString()!,
            Data.GetProperty("nonce").GetString()!);

        if (c.TryGetProperty("expectedDataToSign", out var expectedData))
        {
            Assert.Equal(expectedData.GetString(), signature.DataToSign);
        }

        Assert.Equal(c.GetProperty("expectedAuthorization").GetString(), signature.Authorization);
    }

    [Fact]
    public void SigningKey_OfficialValue() =>
        Assert.Equal(Data.GetProperty("sign_key_test").GetString(), EdgeGridSigner.SigningKey(Data.GetProperty("client_secret").GetString()!, Data.GetProperty("timestamp").GetString()!));

    [Fact]
    public void ContentHash_OfficialValue() =>
        Assert.Equal(Data.GetProperty("content_hash_test").GetString(), EdgeGridSigner.ContentHash("POST", "test_body"u8, 2048));

    [Fact]
    public void Sign_OfficialJsonBodyCase_MatchesWithDefaultMaxBodyAndNoSignedHeaders()
    {
        var signature = EdgeGridSigner.Sign("POST", "https", new Uri(Data.GetProperty("base_url").GetString()!).Host, "/testapi/v1/t3?extended=true", [], """{"key": "value"}"""u8, Credentials(131_072) with { HeadersToSign = [] }, Data.GetProperty("timestamp").GetString()!, Data.GetProperty("nonce").GetString()!);
        Assert.Equal(Data.GetProperty("jsontest_hash").GetString(), signature.Authorization);
    }

    [Fact]
    public async Task AuthHandler_OfficialCase_SignsTheRequestAsSent()
    {
        // The handler reads method, scheme, host, path and query and the body from the request itself.
        var baseUrl = new Uri(Data.GetProperty("base_url").GetString()!);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, "/testapi/v1/t3")) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("datadatadatadatadatadatadatadata")) };
        await AkamaiAuthHandler.SignAsync(request, Credentials(2048), new DateTimeOffset(2014, 3, 21, 19, 34, 21, TimeSpan.Zero), Data.GetProperty("nonce").GetString()!, CancellationToken.None);
        var expected = Load("testcases.json").EnumerateArray().Single(e => e.GetProperty("testName").GetString() == "POST inside limit").GetProperty("expectedAuthorization").GetString();
        Assert.Equal(expected, request.Headers.Authorization!.ToString());
    }

    [Fact]
    public void Timestamp_IsUtcInEdgeGridForm() =>
        Assert.Equal("20140321T19:34:21+0000", EdgeGridSigner.Timestamp(new DateTimeOffset(2014, 3, 21, 20, 34, 21, TimeSpan.FromHours(1))));

    private static EdgeGridCredentials Credentials(int maxBody) => new(
        null,
        Data.GetProperty("client_token").GetString()!,
        Data.GetProperty("client_secret").GetString()!,
        Data.GetProperty("access_token").GetString()!)
    {
        MaxBody = maxBody,
        HeadersToSign = [.. Data.GetProperty("headers_to_sign").EnumerateArray().Select(h => h.GetString()!)],
    };

    internal static string VectorPath(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "akamai-edgegrid", file);
        return File.Exists(path) ? path : throw new FileNotFoundException("The EdgeGrid test data was not copied to the test output (tests/vectors/akamai-edgegrid).", path);
    }

    private static JsonElement Load(string file) => JsonDocument.Parse(File.ReadAllText(VectorPath(file))).RootElement.Clone();
}
