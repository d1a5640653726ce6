using System.Globalization;
using static Poppy.Sdk.Fastly.Internal.Api.FastlyRequests;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>Fastly services: search by name, get, list, create, delete.</summary>
internal sealed class ServicesClient(VendorConnection connection)
{
    public Task<FastlyServiceDto?> SearchAsync(string name, CancellationToken cancellationToken) =>
        connection.GetOrNullAsync(new VendorRequest(HttpMethod.Get, "service/search?name=" + Seg(name), $"search for service '{name}'"), FastlyJsonContext.Default.FastlyServiceDto, cancellationToken);

    #region get-service (docs/extending/writing-a-provider.md)
    public Task<FastlyServiceDto?> GetAsync(string serviceId, CancellationToken cancellationToken) =>
        connection.GetOrNullAsync(new VendorRequest(HttpMethod.Get, "service/" + Seg(serviceId), $"get service '{serviceId}'"), FastlyJsonContext.Default.FastlyServiceDto, cancellationToken);
    #endregion

    public async Task<(List<FastlyServiceDto> Items, bool HasMore)> ListAsync(int page, CancellationToken cancellationToken)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"service?page={page}&per_page={PageSize}&sort=created&direction=ascend");
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, path, "list services"), cancellationToken).ConfigureAwait(false);
        var items = connection.ReadJson(response, FastlyJsonContext.Default.ListFastlyServiceDto);
        return (items, HasNextPage(response, items.Count));
    }

    /// <summary>The cheapest authenticated read: one service of the first page (reads do not count against the hourly limit).</summary>
    public Task ProbeAsync(CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Get, "service?page=1&per_page=1", "list services (access check)"), cancellationToken);

    public Task<FastlyServiceDto> CreateAsync(string name, string comment, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new VendorRequest(HttpMethod.Post, "service", $"create service '{name}'") { Content = Form(("name", name), ("comment", comment), ("type", "vcl")) },
            FastlyJsonContext.Default.FastlyServiceDto,
            cancellationToken);

    /// <summary>Deletes a service; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string serviceId, CancellationToken cancellationToken) =>
        await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Delete, "service/" + Seg(serviceId), $"delete service '{serviceId}'"), cancellationToken).ConfigureAwait(false) is not null;
}
