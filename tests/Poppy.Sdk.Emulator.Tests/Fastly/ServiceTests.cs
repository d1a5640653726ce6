using System.Net;
using System.Text.Json.Nodes;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>Services: create, the version-object-activate lifecycle, delete, list and search.</summary>
public sealed class ServiceTests : FastlyTestBase
{
    [Fact]
    public async Task ServiceLifecycle_CreateVersionObjectsValidateActivate_Works()
    {
        var id = await CreateDeployableServiceAsync();

        var validation = await SendAsync(HttpMethod.Get, $"service/{id}/version/1/validate");
        var activated = await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");
        var details = await SendAsync(HttpMethod.Get, $"service/{id}/details");

        Assert.Equal("ok", validation["status"]!.GetValue<string>());
        Assert.True(activated["active"]!.GetValue<bool>());
        Assert.True(activated["locked"]!.GetValue<bool>());
        Assert.Equal(1, details["active_version"]!["number"]!.GetValue<int>());
        var backend = details["active_version"]!["backends"]![0]!;
        Assert.Equal(443, backend["port"]!.GetValue<long>());
        Assert.True(backend["use_ssl"]!.GetValue<bool>());
        Assert.Equal(1, Emulator.Fastly.Services.Single().ActiveVersion);
    }

    [Fact]
    public async Task DeleteService_WhileActive_RefusedUntilDeactivated()
    {
        var id = await CreateDeployableServiceAsync();
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");

        var refused = await SendAsync(HttpMethod.Delete, $"service/{id}", expected: HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/deactivate");
        await SendAsync(HttpMethod.Delete, $"service/{id}");

        Assert.Equal("Cannot delete service with active version", refused["detail"]!.GetValue<string>());
        Assert.Empty(Emulator.Fastly.Services);
        await SendAsync(HttpMethod.Get, $"service/{id}", expected: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListServices_PagesWithLinkHeader()
    {
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(HttpMethod.Post, "service", Form(("name", $"s{i}")));
        }

        using var first = await Http.GetAsync("service?page=1&per_page=2");
        using var last = await Http.GetAsync("service?page=3&per_page=2");

        Assert.Contains("rel=\"next\"", first.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsArray().Count);
        Assert.False(last.Headers.Contains("Link"));
        Assert.Single(JsonNode.Parse(await last.Content.ReadAsStringAsync())!.AsArray());
    }

    [Fact]
    public async Task Search_ByName_FindsOr404()
    {
        await SendAsync(HttpMethod.Post, "service", Form(("name", "poppy-abc")));

        var found = await SendAsync(HttpMethod.Get, "service/search?name=poppy-abc");
        var missing = await SendAsync(HttpMethod.Get, "service/search?name=nope", expected: HttpStatusCode.NotFound);

        Assert.Equal("poppy-abc", found["name"]!.GetValue<string>());
        Assert.Equal("Record not found", missing["msg"]!.GetValue<string>());
    }
}
