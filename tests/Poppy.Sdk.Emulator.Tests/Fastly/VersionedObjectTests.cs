using System.Net;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>Versioned objects: edits refused on active or locked versions.</summary>
public sealed class VersionedObjectTests : FastlyTestBase
{
    [Fact]
    public async Task EditingActiveOrLockedVersion_Is400WithFastlyBody()
    {
        var id = await CreateDeployableServiceAsync();
        await SendAsync(HttpMethod.Put, $"service/{id}/version/1/activate");

        var body = await SendAsync(HttpMethod.Post, $"service/{id}/version/1/domain", Form(("name", "other.example.com")), HttpStatusCode.BadRequest);
        await SendAsync(HttpMethod.Post, $"service/{id}/version", null);
        await SendAsync(HttpMethod.Put, $"service/{id}/version/2/lock");
        await SendAsync(HttpMethod.Delete, $"service/{id}/version/2/domain/www.example.com", expected: HttpStatusCode.BadRequest);

        Assert.Equal("Bad request", body["msg"]!.GetValue<string>());
        Assert.Contains("clone it first", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
