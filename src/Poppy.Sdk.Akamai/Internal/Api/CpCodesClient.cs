using System.Globalization;
using static Poppy.Sdk.Akamai.Internal.Api.AkamaiRequests;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>PAPI CP codes: find by name, create (PAPI cannot delete them).</summary>
internal sealed class CpCodesClient(VendorConnection connection, AkamaiRequests requests, AkamaiCdnProviderOptions options)
{
    /// <summary><c>GET /papi/v1/cpcodes</c>: the number of the CP code with that name, or null.</summary>
    public async Task<long?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var envelope = await connection.SendAsync(PapiRequest(HttpMethod.Get, requests.Papi("cpcodes"), "list CP codes"), AkamaiJsonContext.Default.CpCodesEnvelope, cancellationToken).ConfigureAwait(false);
        var found = envelope.Cpcodes?.Items?.FirstOrDefault(c => c.CpcodeName == name);
        return found is null ? null : Number(found.CpcodeId);
    }

    /// <summary><c>POST /papi/v1/cpcodes</c> <c>{productId, cpcodeName}</c>: the new CP code's number.</summary>
    public async Task<long> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(PapiRequest(HttpMethod.Post, requests.Papi("cpcodes"), $"create CP code '{name}'", Json(new CpCodeCreateRequest(options.ProductId, name), AkamaiJsonContext.Default.CpCodeCreateRequest)), cancellationToken).ConfigureAwait(false);
        var link = connection.ReadJson(response, AkamaiJsonContext.Default.LinkResponse);
        return Number(IdFromLink(link.CpcodeLink, "cpcodes")) ?? throw connection.Malformed(response, "a cpcodeLink");
    }

    /// <summary>The number of a CP code id (<c>cpc_12345</c> → 12345).</summary>
    public static long? Number(string? id) =>
        id is not null && long.TryParse(id.StartsWith("cpc_", StringComparison.Ordinal) ? id[4..] : id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
