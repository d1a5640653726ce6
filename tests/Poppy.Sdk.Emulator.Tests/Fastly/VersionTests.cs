using System.Net;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>Versions: validate, activate, clone, and version paths.</summary>
public sealed class VersionTests : FastlyTestBase
{
    [Fact]
    public async Task Validate_MissingBackendAndCondition_ReportsErrorsAndActivateRefuses()
    {
        var service = await SendAsync(HttpMethod.Post, "service", Form(("name", "bad")));
        var id = service["id"]!.GetValue<string>();
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/domain", Form(("name", "www.example.com")));
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/response_object", Form(("name", "deny"), ("status", "403"), ("request_condition", "nope")));

        var validation = await SendAsync(HttpMethod.Get, $"service/{id}/version/1/validate");
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate", expected: HttpStatusCode.BadRequest);

        Assert.Equal("error", validation["status"]!.GetValue<string>());
        Assert.Equal(2, validation["errors"]!.AsArray().Count);
    }

    [Fact]
    public async Task Clone_CopiesEveryVersionedObjectAndSettings()
    {
        var id = await CreateDeployableServiceAsync();
        await SendAsync(HttpMethod.Post, $"service/{id}/version/1/condition", Form(("name", "images"), ("type", "REQUEST"), ("statement", "req.url ~ \"^/images/\""), ("priority", "10")));
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/settings", Form(("general.default_ttl", "600")));
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");

        var clone = await SendAsync(HttpMethod.Put, $"service/{id}/version/1/clone");
        var settings = await SendAsync(HttpMethod.Get, $"service/{id}/version/2/settings");

        Assert.Equal(2, clone["number"]!.GetValue<int>());
        Assert.False(clone["locked"]!.GetValue<bool>());
        Assert.Equal(600, settings["general.default_ttl"]!.GetValue<long>());
        Assert.Single(Emulator.Fastly.GetObjects(id, 2, "condition"));
        Assert.Single(Emulator.Fastly.GetObjects(id, 2, "backend"));
        await SendAsync(HttpMethod.Post, $"service/{id}/version/2/domain", Form(("name", "new.example.com")));
        Assert.Single(Emulator.Fastly.GetObjects(id, 1, "domain"));
    }

    [Fact]
    public async Task VersionPath_NotANumber_Is404NotA405()
    {
        var id = await CreateDeployableServiceAsync();

        var body = await SendAsync(HttpMethod.Get, $"service/{id}/version/latest", expected: HttpStatusCode.NotFound);

        Assert.Equal("Record not found", body["msg"]!.GetValue<string>());
    }
}
