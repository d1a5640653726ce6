namespace Poppy.Sdk.Cloudflare;

/// <summary>What one record proves to Cloudflare.</summary>
public enum CloudflareValidationPurpose
{
    /// <summary>Ownership of the host name (the custom hostname becomes active).</summary>
    Ownership = 0,

    /// <summary>Domain control for the DV certificate (the certificate is issued).</summary>
    Certificate = 1,
}

/// <summary>
/// One record the domain's owner publishes so Cloudflare can finish: a DNS TXT record (<see cref="Type"/> <c>TXT</c>,
/// <see cref="Name"/> and <see cref="Value"/>) or a file served over HTTP (<c>HTTP</c>: <see cref="Name"/> is the URL,
/// <see cref="Value"/> the body).
/// </summary>
/// <param name="Purpose">What the record proves.</param>
/// <param name="Type"><c>TXT</c> or <c>HTTP</c>.</param>
/// <param name="Name">The TXT record's name, or the URL.</param>
/// <param name="Value">The TXT record's content, or the body to serve.</param>
public sealed record CloudflareValidationRecord(CloudflareValidationPurpose Purpose, string Type, string Name, string Value);

/// <summary>The validation state of one domain of a service on Cloudflare.</summary>
/// <param name="Domain">The domain (custom hostname).</param>
/// <param name="HostnameStatus">The custom hostname's <c>status</c> (<c>pending</c>, <c>active</c>, …).</param>
/// <param name="CertificateStatus">Its certificate's <c>ssl.status</c> (<c>pending_validation</c>, <c>active</c>, …); null when none.</param>
/// <param name="Records">The records to publish; empty once nothing is pending.</param>
public sealed record CloudflareDomainValidation(string Domain, string HostnameStatus, string? CertificateStatus, IReadOnlyList<CloudflareValidationRecord> Records)
{
    /// <summary>Whether the domain still waits for a record (its hostname or its certificate is not active yet).</summary>
    public bool IsPending => HostnameStatus != "active" || (CertificateStatus is not null && CertificateStatus != "active");
}
