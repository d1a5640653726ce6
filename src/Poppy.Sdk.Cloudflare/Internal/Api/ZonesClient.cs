using static Poppy.Sdk.Cloudflare.Internal.Api.CloudflareRequests;

namespace Poppy.Sdk.Cloudflare.Internal.Api;

/// <summary>The zone (read) and the token check.</summary>
internal sealed class ZonesClient(VendorConnection connection)
{
    /// <summary><c>GET /zones/{zone_id}</c>; null when there is no such zone (or the token cannot see it).</summary>
    public async Task<CfZoneDto?> GetAsync(string zoneId, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, Zone(zoneId), $"get zone '{zoneId}'"), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfZoneDto);
    }

    /// <summary><c>GET /user/tokens/verify</c>: the token's status (<c>active</c>, <c>disabled</c>, <c>expired</c>).</summary>
    public async Task<CfTokenDto> VerifyTokenAsync(CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, "user/tokens/verify", "verify the API token"), cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfTokenDto);
    }
}
