using static Poppy.Sdk.Cloudflare.Internal.Api.CloudflareRequests;

namespace Poppy.Sdk.Cloudflare.Internal.Api;

/// <summary><c>POST /zones/{zone_id}/purge_cache</c> with exactly one of <c>files</c>, <c>prefixes</c>, <c>tags</c>, <c>hosts</c>.</summary>
internal sealed class PurgeClient(VendorConnection connection, string zoneId)
{
    /// <summary>Cloudflare's limit of items per purge call (URLs: 500 on Enterprise).</summary>
    public const int MaxItemsPerCall = 100;

    /// <summary>Purges one call's items under <paramref name="field"/>; returns Cloudflare's purge id.</summary>
    public async Task<string?> PurgeAsync(string field, IReadOnlyList<string> items, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(
            new VendorRequest(HttpMethod.Post, Zone(zoneId) + "/purge_cache", $"purge {items.Count} {field}")
            {
                Content = Body(w =>
                {
                    w.WriteStartObject();
                    w.WriteStartArray(field);
                    foreach (var item in items)
                    {
                        w.WriteStringValue(item);
                    }

                    w.WriteEndArray();
                    w.WriteEndObject();
                }),
            },
            cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfPurgeResultDto).Id;
    }
}
