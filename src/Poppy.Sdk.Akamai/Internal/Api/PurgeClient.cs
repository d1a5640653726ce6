namespace Poppy.Sdk.Akamai.Internal.Api;

/// <summary>Fast Purge (CCU v3): <c>POST /ccu/v3/{invalidate|delete}/{url|cpcode|tag}/{network}</c>.</summary>
internal sealed class PurgeClient(VendorConnection connection, AkamaiRequests requests)
{
    /// <summary>Sends one purge request (its body already built and measured).</summary>
    /// <param name="action"><c>invalidate</c> or <c>delete</c>.</param>
    /// <param name="type"><c>url</c>, <c>cpcode</c> or <c>tag</c>.</param>
    /// <param name="network"><c>staging</c> or <c>production</c>.</param>
    /// <param name="body">The JSON body.</param>
    /// <param name="count">How many objects it carries (for the operation's words).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<PurgeResponse> SendAsync(string action, string type, string network, string body, int count, CancellationToken cancellationToken)
    {
        var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return connection.SendAsync(
            new VendorRequest(HttpMethod.Post, requests.Ccu(action + "/" + type + "/" + network), $"{action} {count} {type} object(s) on {network}") { Content = content },
            AkamaiJsonContext.Default.PurgeResponse,
            cancellationToken);
    }
}
