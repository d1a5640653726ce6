using System.Text.Json;
using static Poppy.Sdk.Cloudflare.Internal.Api.CloudflareRequests;

namespace Poppy.Sdk.Cloudflare.Internal.Api;

/// <summary>Custom hostnames of the SaaS zone, and its fallback origin.</summary>
internal sealed class CustomHostnamesClient(VendorConnection connection, string zoneId)
{
    private string Base => Zone(zoneId) + "/custom_hostnames";

    /// <summary><c>POST /zones/{zone_id}/custom_hostnames</c>.</summary>
    public async Task<CfCustomHostnameDto> CreateAsync(HostnameObject hostname, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(
            new VendorRequest(HttpMethod.Post, Base, $"create custom hostname '{hostname.Hostname}'") { Content = Body(w => WriteHostname(w, hostname, includeHostname: true)) },
            cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfCustomHostnameDto);
    }

    /// <summary><c>PATCH /zones/{zone_id}/custom_hostnames/{id}</c>.</summary>
    public async Task<CfCustomHostnameDto> EditAsync(string id, HostnameObject hostname, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(
            new VendorRequest(HttpMethod.Patch, Base + "/" + Seg(id), $"edit custom hostname '{hostname.Hostname}'") { Content = Body(w => WriteHostname(w, hostname, includeHostname: false)) },
            cancellationToken).ConfigureAwait(false);
        return Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfCustomHostnameDto);
    }

    /// <summary><c>GET /zones/{zone_id}/custom_hostnames/{id}</c>; null when gone.</summary>
    public async Task<CfCustomHostnameDto?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, Base + "/" + Seg(id), $"get custom hostname '{id}'"), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfCustomHostnameDto);
    }

    /// <summary><c>GET /zones/{zone_id}/custom_hostnames?hostname=…</c>: the custom hostname of a domain; null when none.</summary>
    public async Task<CfCustomHostnameDto?> FindAsync(string hostname, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, Base + "?hostname=" + Seg(hostname), $"find custom hostname '{hostname}'"), cancellationToken).ConfigureAwait(false);
        var list = Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeListCfCustomHostnameDto);
        return list.FirstOrDefault(h => string.Equals(h.Hostname, hostname, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>One page of <c>GET /zones/{zone_id}/custom_hostnames?page=…&amp;per_page=50</c>, and whether another follows.</summary>
    public async Task<(List<CfCustomHostnameDto> Items, bool HasMore)> ListAsync(int page, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, $"{Base}?page={Int(page)}&per_page={Int(PageSize)}", $"list custom hostnames (page {Int(page)})"), cancellationToken).ConfigureAwait(false);
        var envelope = connection.ReadJson(response, CloudflareJsonContext.Default.CfEnvelopeListCfCustomHostnameDto);
        if (!envelope.Success || envelope.Result is not { } items)
        {
            throw connection.Malformed(response, "a v4 envelope with a list of custom hostnames");
        }

        var info = envelope.ResultInfo;
        var hasMore = info?.TotalPages is { } pages ? page < pages : items.Count >= PageSize;
        return (items, hasMore && items.Count > 0);
    }

    /// <summary>
    /// <c>DELETE /zones/{zone_id}/custom_hostnames/{id}</c>; false when it was already gone. Cloudflare answers a bare
    /// <c>{"id": "…"}</c> without the v4 envelope (the official client does not unwrap it); an envelope is read too.
    /// </summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Delete, Base + "/" + Seg(id), $"delete custom hostname '{id}'"), cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            var root = document.RootElement;
            var ok = root.ValueKind == JsonValueKind.Object
                && (root.TryGetProperty("id", out _) || (root.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("id", out _)));
            return ok ? true : throw connection.Malformed(response, "the deleted custom hostname's id");
        }
        catch (JsonException e)
        {
            throw connection.Malformed(response, "JSON", e);
        }
    }

    /// <summary><c>GET /zones/{zone_id}/custom_hostnames/fallback_origin</c>; null when none is set.</summary>
    public async Task<CfFallbackOriginDto?> GetFallbackOriginAsync(CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Get, Base + "/fallback_origin", "get the fallback origin"), cancellationToken).ConfigureAwait(false);
        return response is null ? null : Result(connection, response, CloudflareJsonContext.Default.CfEnvelopeCfFallbackOriginDto);
    }

    /// <summary><c>PUT /zones/{zone_id}/custom_hostnames/fallback_origin</c> <c>{"origin": …}</c>.</summary>
    public Task SetFallbackOriginAsync(string origin, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new VendorRequest(HttpMethod.Put, Base + "/fallback_origin", $"set the fallback origin to '{origin}'") { Content = Body(w => { w.WriteStartObject(); w.WriteString("origin", origin); w.WriteEndObject(); }) },
            cancellationToken);
}
