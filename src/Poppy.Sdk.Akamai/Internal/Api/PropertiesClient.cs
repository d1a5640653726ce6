using static Poppy.Sdk.Akamai.Internal.Api.AkamaiRequests;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>PAPI properties: find by name, create, read, list, delete.</summary>
internal sealed class PropertiesClient(VendorConnection connection, AkamaiRequests requests, AkamaiCdnProviderOptions options)
{
    /// <summary><c>POST /papi/v1/search/find-by-value</c> <c>{"propertyName": …}</c>: the versions of properties with that name.</summary>
    public async Task<IReadOnlyList<VersionItem>> FindByNameAsync(string propertyName, CancellationToken cancellationToken)
    {
        var path = "papi/v1/search/find-by-value" + (string.IsNullOrEmpty(options.AccountSwitchKey) ? "" : "?accountSwitchKey=" + Uri.EscapeDataString(options.AccountSwitchKey));
        var found = await connection.SendAsync(
            PapiRequest(HttpMethod.Post, path, $"find property '{propertyName}'", Json(new FindByValueRequest(propertyName), AkamaiJsonContext.Default.FindByValueRequest)),
            AkamaiJsonContext.Default.VersionsEnvelope,
            cancellationToken).ConfigureAwait(false);
        return found.Versions?.Items ?? [];
    }

    /// <summary><c>POST /papi/v1/properties</c>: the new property's id (version 1 exists at once).</summary>
    public async Task<string> CreateAsync(string propertyName, CancellationToken cancellationToken)
    {
        var request = PapiRequest(HttpMethod.Post, requests.Papi("properties"), $"create property '{propertyName}'", Json(new CreatePropertyRequest(options.ProductId, propertyName, options.RuleFormat), AkamaiJsonContext.Default.CreatePropertyRequest));
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var link = connection.ReadJson(response, AkamaiJsonContext.Default.LinkResponse);
        return IdFromLink(link.PropertyLink, "properties") ?? throw connection.Malformed(response, "a propertyLink");
    }

    /// <summary><c>GET /papi/v1/properties/{id}</c>; null when it does not exist.</summary>
    public async Task<PropertyItem?> GetAsync(string propertyId, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(PapiRequest(HttpMethod.Get, requests.Papi("properties/" + Seg(propertyId)), $"get property '{propertyId}'"), cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return null;
        }

        var envelope = connection.ReadJson(response, AkamaiJsonContext.Default.PropertiesEnvelope);
        return envelope.Properties?.Items is [var item, ..] ? item : throw connection.Malformed(response, "a property");
    }

    /// <summary><c>GET /papi/v1/properties?contractId&amp;groupId</c>: every property of the group (PAPI does not page this list).</summary>
    public async Task<IReadOnlyList<PropertyItem>> ListAsync(CancellationToken cancellationToken)
    {
        var envelope = await connection.SendAsync(PapiRequest(HttpMethod.Get, requests.Papi("properties"), "list properties"), AkamaiJsonContext.Default.PropertiesEnvelope, cancellationToken).ConfigureAwait(false);
        return envelope.Properties?.Items ?? [];
    }

    /// <summary><c>DELETE /papi/v1/properties/{id}</c>; false when it was already gone.</summary>
    public async Task<bool> DeleteAsync(string propertyId, CancellationToken cancellationToken) =>
        await connection.SendOrNullAsync(PapiRequest(HttpMethod.Delete, requests.Papi("properties/" + Seg(propertyId)), $"delete property '{propertyId}'"), cancellationToken).ConfigureAwait(false) is not null;
}
