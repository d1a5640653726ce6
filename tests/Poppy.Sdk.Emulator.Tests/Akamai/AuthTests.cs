using System.Net;
using System.Text;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>EdgeGrid verification over HTTP: the request as received (scheme http, the emulator's host), tokens, clock, body hash.</summary>
public sealed class AuthTests : AkamaiTestBase
{
    [Fact]
    public async Task SignedRequest_OverPlainHttp_IsAccepted()
    {
        var answer = await CallAsync(HttpMethod.Get, "/papi/v1/contracts");

        Assert.Equal("ctr_C-0N7RAC7", answer["contracts"]!["items"]![0]!["contractId"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongSecret_Is401PepAuthnDenyProblem()
    {
        var (status, body, response) = await SendAsync(Request(HttpMethod.Get, "/papi/v1/contracts", credentials: (Credentials.Client, "wrong", Credentials.Access)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://problems.luna.akamaiapis.net/-/pep-authn/deny", body!["type"]!.GetValue<string>());
        Assert.Equal("The signature does not match", body["detail"]!.GetValue<string>());
        Assert.Equal(401, body["status"]!.GetValue<int>());
        Assert.StartsWith("/papi/v1/contracts#", body["instance"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("akab-someone-else", null, "Invalid authorization client token")]
    [InlineData(null, "akab-other-access", "Invalid authorization access token")]
    public async Task UnknownTokens_Are401(string? client, string? access, string detail)
    {
        var (status, body, _) = await SendAsync(Request(HttpMethod.Get, "/papi/v1/contracts", credentials: (client ?? Credentials.Client, Credentials.Secret, access ?? Credentials.Access)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(detail, body!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoAuthorization_Is401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Emulator.BaseAddress, "papi/v1/contracts"));
        var (status, body, _) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Invalid authorization header", body!["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(-31, HttpStatusCode.BadRequest)]
    [InlineData(-25, HttpStatusCode.OK)]
    [InlineData(25, HttpStatusCode.OK)]
    [InlineData(31, HttpStatusCode.BadRequest)]
    public async Task ClientClock_MoreThanThirtySecondsOff_Is400InvalidTimestamp(int skewSeconds, HttpStatusCode expected)
    {
        var (status, body, _) = await SendAsync(Request(HttpMethod.Get, "/papi/v1/contracts", signedAt: Time.GetUtcNow().AddSeconds(skewSeconds)));

        Assert.Equal(expected, status);
        if (expected == HttpStatusCode.BadRequest)
        {
            Assert.Equal("Invalid timestamp", body!["detail"]!.GetValue<string>());
            Assert.Equal("https://problems.luna.akamaiapis.net/-/pep-authn/request-error", body["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task PostBody_ChangedAfterSigning_Is401()
    {
        var request = Request(HttpMethod.Post, "/papi/v1/search/find-by-value", "{\"propertyName\":\"a\"}");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"propertyName\":\"b\"}"));
        request.Content.Headers.ContentType = new("application/json");

        var (status, _, _) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task QueryString_ChangedAfterSigning_Is401()
    {
        var request = Request(HttpMethod.Get, "/papi/v1/products?contractId=ctr_C-0N7RAC7");
        request.RequestUri = new Uri(Emulator.BaseAddress, "papi/v1/products?contractId=C-0N7RAC7");

        var (status, _, _) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task PostBody_BeyondMaxBody_IsNotHashed()
    {
        // Only the first max_body (131,072) bytes are hashed: bytes changed past them keep the signature valid.
        var padding = new string(' ', 131072);
        var request = Request(HttpMethod.Post, "/papi/v1/search/find-by-value", "{\"propertyName\":\"a\"}" + padding + "  ");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"propertyName\":\"a\"}" + padding + "\n\n"));
        request.Content.Headers.ContentType = new("application/json");

        var (status, _, _) = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
