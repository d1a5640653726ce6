using static Poppy.Sdk.Fastly.Internal.Api.FastlyRequests;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>Fastly service versions: clone, validate, activate, deactivate, comment, settings.</summary>
internal sealed class VersionsClient(VendorConnection connection)
{
    public Task<FastlyVersionDto> CloneAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Put, VersionPath(serviceId, version) + "/clone", $"clone version {version} of service '{serviceId}'"), FastlyJsonContext.Default.FastlyVersionDto, cancellationToken);

    public Task<FastlyVersionDto> ActivateAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Put, VersionPath(serviceId, version) + "/activate", $"activate version {version} of service '{serviceId}'"), FastlyJsonContext.Default.FastlyVersionDto, cancellationToken);

    /// <summary>Deactivates a version; false when the service or version did not exist.</summary>
    public async Task<bool> DeactivateAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        await connection.SendOrNullAsync(new VendorRequest(HttpMethod.Put, VersionPath(serviceId, version) + "/deactivate", $"deactivate version {version} of service '{serviceId}'"), cancellationToken).ConfigureAwait(false) is not null;

    public Task<FastlyVersionDto> UpdateCommentAsync(string serviceId, int version, string comment, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new VendorRequest(HttpMethod.Put, VersionPath(serviceId, version), $"update version {version} of service '{serviceId}'") { Content = Form(("comment", comment)) },
            FastlyJsonContext.Default.FastlyVersionDto,
            cancellationToken);

    /// <summary>Compiles a version; throws when Fastly reports it invalid.</summary>
    public async Task ValidateAsync(string serviceId, int version, CancellationToken cancellationToken)
    {
        var response = await connection.SendAsync(new VendorRequest(HttpMethod.Get, VersionPath(serviceId, version) + "/validate", $"validate version {version} of service '{serviceId}'"), cancellationToken).ConfigureAwait(false);
        var result = connection.ReadJson(response, FastlyJsonContext.Default.FastlyStatusDto);
        if (!string.Equals(result.Status, "ok", StringComparison.OrdinalIgnoreCase))
        {
            // A successful answer's body skips the connection's error path: scrub it here before quoting it.
            var (text, _) = FastlyErrorMapper.ReadError(connection.Scrub(response, response.Body));
            throw new CdnRequestFailedException(
                connection.Provider,
                $"Fastly rejected the configuration of version {version} of service '{serviceId}': {text ?? "no details given"}",
                response.Status,
                CdnErrorCode.InvalidRequest,
                isTransient: false,
                vendorErrorCode: "validation_failed",
                requestId: response.RequestId);
        }
    }

    public Task<FastlySettingsDto> GetSettingsAsync(string serviceId, int version, CancellationToken cancellationToken) =>
        connection.SendAsync(new VendorRequest(HttpMethod.Get, VersionPath(serviceId, version) + "/settings", $"get settings of version {version} of service '{serviceId}'"), FastlyJsonContext.Default.FastlySettingsDto, cancellationToken);

    public Task UpdateSettingsAsync(string serviceId, int version, int defaultTtl, CancellationToken cancellationToken) =>
        connection.SendAsync(
            new VendorRequest(HttpMethod.Put, VersionPath(serviceId, version) + "/settings", $"update settings of version {version} of service '{serviceId}'") { Content = Form(("general.default_ttl", Int(defaultTtl))) },
            cancellationToken);
}
