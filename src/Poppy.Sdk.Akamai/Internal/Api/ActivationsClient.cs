using static Poppy.Sdk.Akamai.Internal.Api.AkamaiRequests;

namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>PAPI activations: activate or deactivate a version on a network, read one, list them.</summary>
internal sealed class ActivationsClient(VendorConnection connection, AkamaiRequests requests)
{
    /// <summary><c>POST …/activations</c>: the activation's id.</summary>
    public async Task<string> CreateAsync(string propertyId, ActivationRequest activation, CancellationToken cancellationToken)
    {
        var verb = activation.ActivationType == "DEACTIVATE" ? "deactivate" : "activate";
        var request = PapiRequest(HttpMethod.Post, requests.Papi("properties/" + Seg(propertyId) + "/activations"), $"{verb} version {activation.PropertyVersion} of property '{propertyId}' on {activation.Network}", Json(activation, AkamaiJsonContext.Default.ActivationRequest));
        var response = await connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var link = connection.ReadJson(response, AkamaiJsonContext.Default.LinkResponse);
        return IdFromLink(link.ActivationLink, "activations") ?? throw connection.Malformed(response, "an activationLink");
    }

    /// <summary><c>GET …/activations/{id}</c>: the activation and how long PAPI asks to wait before the next look (<c>Retry-After</c>).</summary>
    public async Task<(ActivationItem? Activation, TimeSpan? RetryAfter)> GetAsync(string propertyId, string activationId, CancellationToken cancellationToken)
    {
        var response = await connection.SendOrNullAsync(PapiRequest(HttpMethod.Get, requests.Papi("properties/" + Seg(propertyId) + "/activations/" + Seg(activationId)), $"get activation '{activationId}' of property '{propertyId}'"), cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return (null, null);
        }

        var envelope = connection.ReadJson(response, AkamaiJsonContext.Default.ActivationsEnvelope);
        return (envelope.Activations?.Items is [var item, ..] ? item : throw connection.Malformed(response, "an activation"), VendorConnection.RetryAfter(response.Headers, connection.Time.GetUtcNow()));
    }

    /// <summary><c>GET …/activations</c>: every activation of the property (newest first, as PAPI lists them).</summary>
    public async Task<IReadOnlyList<ActivationItem>> ListAsync(string propertyId, CancellationToken cancellationToken)
    {
        var envelope = await connection.SendAsync(PapiRequest(HttpMethod.Get, requests.Papi("properties/" + Seg(propertyId) + "/activations"), $"list the activations of property '{propertyId}'"), AkamaiJsonContext.Default.ActivationsEnvelope, cancellationToken).ConfigureAwait(false);
        return envelope.Activations?.Items ?? [];
    }
}
