using System.Text.Json.Serialization;
using Poppy.Sdk.Models;

namespace Poppy.Sdk;

/// <summary>Where one domain of a service is reached on a provider: the CNAME target.</summary>
/// <param name="Domain">The service's domain.</param>
/// <param name="ProviderUrl">The provider's host name to point the domain at (CNAME target).</param>
public sealed record AccessUrl(
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("provider_url")] string ProviderUrl);

/// <summary>A provider error recorded on a service (safe to show and log: no secrets).</summary>
/// <param name="Code">The normalised error code.</param>
/// <param name="Message">A message a person understands.</param>
public sealed record ProviderError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>The vendor's own error code, when it gave one.</summary>
    [JsonPropertyName("vendor_code")]
    public string? VendorCode { get; init; }

    /// <summary>The vendor's request id, for support tickets.</summary>
    [JsonPropertyName("request_id")]
    public string? RequestId { get; init; }

    /// <summary>The HTTP status the vendor answered with, when there was one.</summary>
    [JsonPropertyName("http_status")]
    public int? HttpStatus { get; init; }

    /// <summary>Whether retrying later may succeed.</summary>
    [JsonPropertyName("transient")]
    public bool IsTransient { get; init; }

    /// <summary>
    /// Builds the record of an exception. The message passes <see cref="SecretScrubber.WithoutSecrets"/>, so signing
    /// details a vendor echoed (a canonical request carries the session token) are never stored, whichever provider
    /// threw; providers scrub their own credential values before they throw.
    /// </summary>
    /// <param name="exception">What failed.</param>
    /// <returns>The error details.</returns>
    public static ProviderError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = Describe(exception);
        return error with { Message = SecretScrubber.WithoutSecrets.Scrub(error.Message) };
    }

    private static ProviderError Describe(Exception exception)
    {
        return exception switch
        {
            CdnRequestFailedException rf => new ProviderError(rf.ErrorCode.ToString(), rf.Message)
            {
                VendorCode = rf.VendorErrorCode,
                RequestId = rf.RequestId,
                HttpStatus = rf.Status,
                IsTransient = rf.IsTransient,
            },
            CdnValidationException v => new ProviderError(CdnErrorCode.InvalidRequest.ToString(), v.Message),
            OperationCanceledException => new ProviderError(CdnErrorCode.Cancelled.ToString(), "The operation was cancelled."),
            TimeoutException => new ProviderError(CdnErrorCode.Timeout.ToString(), exception.Message) { IsTransient = true },
            HttpRequestException => new ProviderError(CdnErrorCode.NetworkError.ToString(), exception.Message) { IsTransient = true },
            _ => new ProviderError(CdnErrorCode.Unknown.ToString(), exception.Message),
        };
    }
}

/// <summary>The state of a service on one provider.</summary>
public sealed record ProviderServiceDetails
{
    /// <summary>The provider's registered name (for example <c>fastly</c>).</summary>
    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    /// <summary>The Poppy service id stamped on the vendor resource.</summary>
    [JsonPropertyName("service_id")]
    public required string ServiceId { get; init; }

    /// <summary>The vendor's id for the resource (Fastly service id, CloudFront distribution id, …); null until created.</summary>
    [JsonPropertyName("vendor_service_id")]
    public string? VendorServiceId { get; init; }

    /// <summary>The service's status on this provider.</summary>
    [JsonPropertyName("status")]
    public ProviderStatus Status { get; init; }

    /// <summary>One CNAME target per domain.</summary>
    [JsonPropertyName("access_urls")]
    public IReadOnlyList<AccessUrl> AccessUrls { get; init; } = [];

    /// <summary>Certificate status per domain (HTTPS domains).</summary>
    [JsonPropertyName("domains_certificate_status")]
    public IReadOnlyDictionary<string, CertificateStatus> CertificateStatuses { get; init; } =
        new Dictionary<string, CertificateStatus>();

    /// <summary>The id of the provider operation in flight (see <see cref="ICdnProvider.ResumeOperationAsync"/>); null when none is.</summary>
    [JsonPropertyName("operation_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OperationId { get; init; }

    /// <summary>What went wrong, when <see cref="Status"/> is failed.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ProviderError? Error { get; init; }
}

/// <summary>A service as a provider holds it: its details and its configuration read back into the neutral model.</summary>
public sealed record ProviderService
{
    /// <summary>The provider-side state.</summary>
    public required ProviderServiceDetails Details { get; init; }

    /// <summary>
    /// The configuration read back from the vendor (for the deployed/active version), so drift can
    /// be seen. Fields the vendor does not keep (names of rules, for example) are reconstructed as
    /// the provider stamped them.
    /// </summary>
    public required ServiceSpec Spec { get; init; }

    /// <summary>
    /// How the vendor's configuration differs from the desired spec the provider stamped on it (see
    /// <see cref="ServiceSpecComparer"/>): empty when in sync, or when the vendor holds no stamped spec to compare with.
    /// </summary>
    public IReadOnlyList<SpecDifference> Drift { get; init; } = [];

    /// <summary>Whether the vendor's configuration matches the stamped desired spec.</summary>
    public bool IsInSync => Drift.Count == 0;
}

/// <summary>A service as the composite client knows it: the spec and each provider's state.</summary>
public sealed record CdnService
{
    /// <summary>The Poppy service id.</summary>
    [JsonPropertyName("id")]
    public required string ServiceId { get; init; }

    /// <summary>The desired state.</summary>
    [JsonPropertyName("spec")]
    public required ServiceSpec Spec { get; init; }

    /// <summary>Each provider's state, in flavor order.</summary>
    [JsonPropertyName("provider_details")]
    public IReadOnlyList<ProviderServiceDetails> Providers { get; init; } = [];

    /// <summary>
    /// Providers that may hold a half-created resource for this service which could not be checked
    /// (the provider was unreachable during failover). Deleting the service cleans them up too.
    /// </summary>
    [JsonPropertyName("pending_cleanup")]
    public IReadOnlyList<string> PendingCleanup { get; init; } = [];

    /// <summary>
    /// The catalog version of this record: 0 for a record not yet saved; each save increments it. A save whose
    /// version is not the stored one fails with a conflict (optimistic concurrency), so writers never lose updates.
    /// </summary>
    [JsonPropertyName("version")]
    public long Version { get; init; }

    /// <summary>The service status derived from the providers (see <see cref="ServiceStatus.Derive"/>).</summary>
    [JsonPropertyName("status")]
    public ProviderStatus Status => ServiceStatus.Derive(Providers.Select(p => p.Status));
}
