using System.Net.Http.Json;
using static Poppy.Sdk.Fastly.Internal.Api.FastlyRequests;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>Purges: one URL, up to 256 surrogate keys, or everything. Soft purges send <c>Fastly-Soft-Purge: 1</c>.</summary>
internal sealed class PurgeClient(VendorConnection connection)
{
    /// <summary>Fastly's limit of surrogate keys per bulk purge.</summary>
    public const int MaxKeysPerCall = 256;

    private static readonly KeyValuePair<string, string>[] Soft = [KeyValuePair.Create("Fastly-Soft-Purge", "1")];

    /// <summary>Purges one URL (<c>host/path?query</c>, no scheme); returns Fastly's purge id.</summary>
    public async Task<string?> PurgeUrlAsync(string hostAndPath, bool soft, CancellationToken cancellationToken)
    {
        var result = await connection.SendAsync(
            new VendorRequest(HttpMethod.Post, "purge/" + hostAndPath, $"purge url '{hostAndPath}'") { Headers = soft ? Soft : [] },
            FastlyJsonContext.Default.FastlyPurgeDto,
            cancellationToken).ConfigureAwait(false);
        return result.Id;
    }

    /// <summary>Purges surrogate keys (at most <see cref="MaxKeysPerCall"/>); returns key → purge id.</summary>
    public Task<Dictionary<string, string>> PurgeKeysAsync(string serviceId, IReadOnlyList<string> keys, bool soft, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new VendorRequest(HttpMethod.Post, $"service/{Seg(serviceId)}/purge", $"purge {keys.Count} surrogate key(s) of service '{serviceId}'")
            {
                Content = JsonContent.Create(new FastlyBulkPurgeRequestDto { SurrogateKeys = [.. keys] }, FastlyJsonContext.Default.FastlyBulkPurgeRequestDto),
                Headers = soft ? Soft : [],
            },
            FastlyJsonContext.Default.DictionaryStringString,
            cancellationToken);

    public Task PurgeAllAsync(string serviceId, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Post, $"service/{Seg(serviceId)}/purge_all", $"purge all of service '{serviceId}'"), cancellationToken);
}
