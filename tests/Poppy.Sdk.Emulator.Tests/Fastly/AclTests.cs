using System.Net.Http.Json;

namespace Poppy.Sdk.Emulator.Tests.Fastly;

/// <summary>ACL entries (versionless): bulk PATCH and paged list.</summary>
public sealed class AclTests : FastlyTestBase
{
    [Fact]
    public async Task AclEntries_BulkPatchAndPagedList()
    {
        var id = await CreateDeployableServiceAsync();
        var acl = await SendAsync(HttpMethod.Post, $"service/{id}/version/1/acl", Form(("name", "blocked")));
        var aclId = acl["id"]!.GetValue<string>();

        await SendAsync(HttpMethod.Patch, $"service/{id}/acl/{aclId}/entries", JsonContent.Create(new { entries = new object[] { new { op = "create", ip = "192.0.2.0", subnet = 24 }, new { op = "create", ip = "2001:db8::", subnet = 32 } } }));
        var entries = await SendAsync(HttpMethod.Get, $"service/{id}/acl/{aclId}/entries?page=1&per_page=100");

        Assert.Equal(2, entries.AsArray().Count);
        Assert.Equal(24, entries[0]!["subnet"]!.GetValue<long>());
    }
}
