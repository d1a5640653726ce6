using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Emulator.Cloudflare;

namespace Poppy.Sdk.Emulator.Tests.Cloudflare;

/// <summary>
/// The emulated Cloudflare API on a fake clock (deploy delay 10 s), driven over HTTP as Cloudflare's clients do:
/// a client that sends <c>Authorization: Bearer</c> with the emulator's token, paths under <c>/client/v4</c>.
/// </summary>
public abstract class CloudflareTestBase : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected string Zone => Emulator.Cloudflare.ZoneId;

    public virtual async Task InitializeAsync()
    {
        var options = new CdnEmulatorOptions { TimeProvider = Time, DeployDelay = TimeSpan.FromSeconds(10) };
        Configure(options.Cloudflare);
        Emulator = await CdnEmulator.StartAsync(options);
        Http = new HttpClient { BaseAddress = new Uri(Emulator.BaseAddress, "client/v4/") };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Emulator.Cloudflare.ApiToken);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Changes the Cloudflare options before the emulator starts.</summary>
    protected virtual void Configure(CloudflareEmulatorOptions options)
    {
    }

    /// <summary>Sends a request and asserts its status; returns the JSON body.</summary>
    protected async Task<JsonNode> SendAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, json, _) = await SendRawAsync(method, path, body);
        Assert.True(expected == status, $"{method} {path}: expected {(int)expected}, got {(int)status}: {json.ToJsonString()}");
        return json;
    }

    /// <summary>Sends a request; returns status, JSON body and the response headers.</summary>
    protected async Task<(HttpStatusCode Status, JsonNode Body, HttpResponseHeaders Headers)> SendRawAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? (body as JsonNode)?.ToJsonString() ?? System.Text.Json.JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var responseText = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(responseText)!, response.Headers);
    }

    /// <summary>The <c>result</c> of a successful v4 envelope (asserting <c>success</c>, empty <c>errors</c>).</summary>
    protected static JsonNode Result(JsonNode envelope)
    {
        Assert.True(envelope["success"]!.GetValue<bool>(), envelope.ToJsonString());
        Assert.Empty(envelope["errors"]!.AsArray());
        Assert.NotNull(envelope["messages"]);
        return envelope["result"]!;
    }

    /// <summary>The single error of a failed envelope: its code.</summary>
    protected static int ErrorCode(JsonNode envelope)
    {
        Assert.False(envelope["success"]!.GetValue<bool>(), envelope.ToJsonString());
        Assert.Null(envelope["result"]);
        return Assert.Single(envelope["errors"]!.AsArray())!["code"]!.GetValue<int>();
    }

    protected async Task<JsonNode> CreateHostnameAsync(string hostname, string method = "http", JsonObject? extra = null)
    {
        var body = new JsonObject { ["hostname"] = hostname, ["ssl"] = new JsonObject { ["method"] = method, ["type"] = "dv" } };
        foreach (var (k, v) in extra ?? [])
        {
            body[k] = v?.DeepClone();
        }

        return Result(await SendAsync(HttpMethod.Post, $"zones/{Zone}/custom_hostnames", body));
    }

    protected static string Str(JsonNode? node) => node!.GetValue<string>();
}
