using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>
/// The emulated Fastly API on a fake clock, driven over HTTP as Fastly's clients do: a client that sends the
/// emulator's <c>Fastly-Key</c>, and an hourly write budget of 50.
/// </summary>
public abstract class FastlyTestBase : IAsyncLifetime
{
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero));

    protected CdnEmulator Emulator { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await CdnEmulator.StartAsync(new CdnEmulatorOptions { TimeProvider = Time, Fastly = { HourlyRateLimit = 50 } });
        Http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        Http.DefaultRequestHeaders.Add("Fastly-Key", Emulator.Fastly.ApiToken);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }

    protected static FormUrlEncodedContent Form(params (string, string)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    protected async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    protected async Task<string> CreateDeployableServiceAsync()
    {
        var service = await SendAsync(HttpMethod.Post, "service", Form(("name", "svc"), ("comment", "poppy:x"), ("type", "vcl")));
        var id = service["id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/domain", Form(("name", "www.example.com")));
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/backend", Form(("name", "origin"), ("address", "origin.example.net"), ("port", "443"), ("use_ssl", "true")));
        return id;
    }
}
