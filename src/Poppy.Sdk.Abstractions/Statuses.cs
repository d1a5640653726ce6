using System.Text.Json.Serialization;

namespace Poppy.Sdk;

/// <summary>The state of a service on one provider.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProviderStatus>))]
public enum ProviderStatus
{
    /// <summary>Being created; not yet serving.</summary>
    [JsonStringEnumMemberName("create_in_progress")] CreateInProgress = 0,

    /// <summary>Deployed and serving the current spec.</summary>
    [JsonStringEnumMemberName("deployed")] Deployed = 1,

    /// <summary>A change is being deployed.</summary>
    [JsonStringEnumMemberName("update_in_progress")] UpdateInProgress = 2,

    /// <summary>Being deleted.</summary>
    [JsonStringEnumMemberName("delete_in_progress")] DeleteInProgress = 3,

    /// <summary>The last operation failed; see the error details.</summary>
    [JsonStringEnumMemberName("failed")] Failed = 4,
}

/// <summary>The TLS certificate state of one domain on one provider.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CertificateStatus>))]
public enum CertificateStatus
{
    /// <summary>Not applicable (an HTTP domain) or not reported.</summary>
    [JsonStringEnumMemberName("none")] None = 0,

    /// <summary>Being issued or attached.</summary>
    [JsonStringEnumMemberName("create_in_progress")] CreateInProgress = 1,

    /// <summary>Serving.</summary>
    [JsonStringEnumMemberName("deployed")] Deployed = 2,

    /// <summary>Issuance failed.</summary>
    [JsonStringEnumMemberName("failed")] Failed = 3,

    /// <summary>Issuance was cancelled.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled = 4,
}

/// <summary>The derived status of a service across its providers.</summary>
public static class ServiceStatus
{
    /// <summary>
    /// Derives a service's status from its providers' statuses, as Poppy intended: any failed →
    /// failed; else any delete, update or create in progress → that (in this order); else deployed.
    /// No providers → create in progress. (Poppy's for/else bug reported create-in-progress as deployed.)
    /// </summary>
    /// <param name="providerStatuses">Each provider's status.</param>
    /// <returns>The service status.</returns>
    public static ProviderStatus Derive(IEnumerable<ProviderStatus> providerStatuses)
    {
        ArgumentNullException.ThrowIfNull(providerStatuses);
        bool any = false, delete = false, update = false, create = false;
        foreach (var status in providerStatuses)
        {
            any = true;
            switch (status)
            {
                case ProviderStatus.Failed: return ProviderStatus.Failed;
                case ProviderStatus.DeleteInProgress: delete = true; break;
                case ProviderStatus.UpdateInProgress: update = true; break;
                case ProviderStatus.CreateInProgress: create = true; break;
            }
        }

        return !any || create && !delete && !update ? ProviderStatus.CreateInProgress
            : delete ? ProviderStatus.DeleteInProgress
            : update ? ProviderStatus.UpdateInProgress
            : ProviderStatus.Deployed;
    }
}
