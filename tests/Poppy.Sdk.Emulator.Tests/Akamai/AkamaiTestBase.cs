using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator.Akamai;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>
/// The emulated Akamai APIs on a fake clock with a 60 s deploy delay, driven over HTTP with EdgeGrid-signed
/// requests (signed with the fake clock's time, as a client whose clock agrees with Akamai's).
/// </summary>
public abstract class AkamaiTestBase : IAsyncLifetime
{
    /// <summary>The contract and group of the emulated account, prefixed.</summary>
    protected const string Cg = "?contractId=ctr_C-0N7RAC7&groupId=grp_15225";

    protected static readonly TimeSpan DeployDelay = TimeSpan.FromSeconds(60);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new CdnEmulatorOptions { TimeProvider = Time, DeployDelay = DeployDelay };
        Configure(options.Akamai);
        Emulator = await CdnEmulator.StartAsync(options);
        Http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Changes the Akamai options before the emulator starts.</summary>
    protected virtual void Configure(AkamaiEmulatorOptions options)
    {
    }

    protected (string Client, string Secret, string Access) Credentials =>
        (Emulator.Akamai.Options.ClientToken, Emulator.Akamai.Options.ClientSecret, Emulator.Akamai.Options.AccessToken);

    /// <summary>A signed request; the body is JSON text (or none).</summary>
    protected HttpRequestMessage Request(
        HttpMethod method, string path, string? json = null, string contentType = "application/json", DateTimeOffset? signedAt = null, (string, string, string)? credentials = null)
    {
        var uri = new Uri(Emulator.BaseAddress, path.TrimStart('/'));
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        request.Headers.TryAddWithoutValidation("Authorization", TestEdgeGridSigner.Sign(method, uri, body, credentials ?? Credentials, signedAt ?? Time.GetUtcNow()));
        return request;
    }

    /// <summary>Sends a request and returns its answer.</summary>
    protected async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
        }
    }

    /// <summary>Sends a signed request and asserts its status.</summary>
    protected async Task<JsonNode> CallAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK, params (string Name, string Value)[] headers)
    {
        var json = body switch { null => null, string s => s, JsonNode n => n.ToJsonString(), _ => System.Text.Json.JsonSerializer.Serialize(body) };
        var request = Request(method, path, json);
        foreach (var (name, value) in headers)
        {
            if (name == "Content-Type")
            {
                request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var (status, answer, response) = await SendAsync(request);
        Assert.True(expected == status, $"{method} {path}: expected {(int)expected}, got {(int)status}: {answer?.ToJsonString()}");
        LastResponse = response;
        return answer ?? new JsonObject();
    }

    /// <summary>The response of the last <see cref="CallAsync"/>.</summary>
    protected HttpResponseMessage LastResponse { get; private set; } = null!;

    /// <summary>The id after <c>/{prefix}_</c> in a link.</summary>
    protected static string IdFrom(JsonNode answer, string link, string prefix)
    {
        var text = answer[link]!.GetValue<string>();
        var at = text.IndexOf("/" + prefix + "_", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{link} {text} has no {prefix}_ id");
        var rest = text[(at + 1)..];
        return rest[..rest.IndexOfAny(['?', '/'])];
    }

    /// <summary>Creates a CP code, an Enhanced TLS edge hostname and a property with a valid rule tree and one hostname.</summary>
    protected async Task<(string PropertyId, string CpCodeId, string EdgeHostnameId)> CreatePropertyAsync(string name = "www.example.com")
    {
        var cpcode = IdFrom(await CallAsync(HttpMethod.Post, "/papi/v1/cpcodes" + Cg, new { productId = "prd_Fresca", cpcodeName = name }, HttpStatusCode.Created), "cpcodeLink", "cpc");
        var ehn = IdFrom(
            await CallAsync(HttpMethod.Post, "/papi/v1/edgehostnames" + Cg, new { productId = "prd_Fresca", domainPrefix = name, domainSuffix = "edgekey.net", secureNetwork = "ENHANCED_TLS", ipVersionBehavior = "IPV4" }, HttpStatusCode.Created),
            "edgeHostnameLink",
            "ehn");
        var property = IdFrom(await CallAsync(HttpMethod.Post, "/papi/v1/properties" + Cg, new { productId = "prd_Fresca", propertyName = "poppy-" + name }, HttpStatusCode.Created), "propertyLink", "prp");
        await CallAsync(HttpMethod.Put, $"/papi/v1/properties/{property}/versions/1/rules{Cg}", Rules(cpcode));
        await CallAsync(HttpMethod.Put, $"/papi/v1/properties/{property}/versions/1/hostnames{Cg}", new[] { new { cnameType = "EDGE_HOSTNAME", cnameFrom = name, edgeHostnameId = ehn, certProvisioningType = "DEFAULT" } });
        return (property, cpcode, ehn);
    }

    /// <summary>A rule tree with an origin and the CP code.</summary>
    protected static JsonObject Rules(string cpcodeId) => new()
    {
        ["rules"] = new JsonObject
        {
            ["name"] = "default",
            ["options"] = new JsonObject { ["is_secure"] = true },
            ["criteria"] = new JsonArray(),
            ["children"] = new JsonArray(),
            ["behaviors"] = new JsonArray(
                new JsonObject { ["name"] = "origin", ["options"] = new JsonObject { ["originType"] = "CUSTOMER", ["hostname"] = "origin.example.net", ["forwardHostHeader"] = "REQUEST_HOST_HEADER", ["cacheKeyHostname"] = "ORIGIN_HOSTNAME", ["httpPort"] = 80, ["httpsPort"] = 443 } },
                new JsonObject { ["name"] = "cpCode", ["options"] = new JsonObject { ["value"] = new JsonObject { ["id"] = long.Parse(cpcodeId[4..], System.Globalization.CultureInfo.InvariantCulture) } } }),
        },
    };

    /// <summary>Submits an activation (or deactivation) and returns its id.</summary>
    protected async Task<string> ActivateAsync(string propertyId, int version, string network, string type = "ACTIVATE") =>
        IdFrom(
            await CallAsync(HttpMethod.Post, $"/papi/v1/properties/{propertyId}/activations{Cg}", new { propertyVersion = version, network, activationType = type, notifyEmails = new[] { "noc@example.com" } }, HttpStatusCode.Created),
            "activationLink",
            "atv");

    protected async Task<JsonNode> ActivationAsync(string propertyId, string activationId) =>
        (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/activations/{activationId}{Cg}"))["activations"]!["items"]![0]!;
}
