using System.Globalization;
using System.Net.Http.Json;
using static Poppy.Sdk.Fastly.Internal.Api.FastlyRequests;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>ACL entries, which are versionless: they belong to the ACL's id, not to a version.</summary>
internal sealed class AclsClient(VendorConnection connection)
{
    /// <summary>Fastly's batch limit for entry changes.</summary>
    public const int BatchSize = 1000;

    public async Task<List<FastlyAclEntryDto>> ListEntriesAsync(string serviceId, string aclId, CancellationToken cancellationToken)
    {
        var all = new List<FastlyAclEntryDto>();
        for (var page = 1; ; page++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"service/{Seg(serviceId)}/acl/{Seg(aclId)}/entries?page={page}&per_page={PageSize}");
            var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, path, $"list entries of acl '{aclId}'"), cancellationToken).ConfigureAwait(false);
            var items = connection.ReadJson(response, FastlyJsonContext.Default.ListFastlyAclEntryDto);
            all.AddRange(items);
            if (!HasNextPage(response, items.Count))
            {
                return all;
            }
        }
    }

    /// <summary>Adds entries with one batch call per <see cref="BatchSize"/>.</summary>
    public async Task CreateEntriesAsync(string serviceId, string aclId, IReadOnlyList<AclEntryObject> entries, CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(BatchSize))
        {
            var batch = new FastlyAclBatchDto
            {
                Entries = chunk.Select(e => new FastlyAclBatchEntryDto { Op = "create", Ip = e.Ip, Subnet = e.Subnet, Negated = e.Negated ? 1 : 0 }).ToList(),
            };
            await connection.SendAsync(
                new VendorRequest(HttpMethod.Patch, $"service/{Seg(serviceId)}/acl/{Seg(aclId)}/entries", $"add entries to acl '{aclId}'") { Content = JsonContent.Create(batch, FastlyJsonContext.Default.FastlyAclBatchDto) },
                cancellationToken).ConfigureAwait(false);
        }
    }
}
