namespace Poppy.Sdk.Cloudflare.Internal;

/// <summary>Reads the ownership and certificate validation records of custom hostnames, and describes what is pending.</summary>
internal static class CloudflareValidation
{
    public static CloudflareDomainValidation Of(CfCustomHostnameDto h)
    {
        var records = new List<CloudflareValidationRecord>();
        if (h.Status != "active")
        {
            if (h.OwnershipVerification is { Name: { Length: > 0 } name, Value: { Length: > 0 } value } ownership)
            {
                records.Add(new CloudflareValidationRecord(CloudflareValidationPurpose.Ownership, (ownership.Type ?? "txt").ToUpperInvariant(), name, value));
            }

            if (h.OwnershipVerificationHttp is { HttpUrl: { Length: > 0 } url, HttpBody: { Length: > 0 } body })
            {
                records.Add(new CloudflareValidationRecord(CloudflareValidationPurpose.Ownership, "HTTP", url, body));
            }
        }

        if (h.Ssl is { Status: not "active" } ssl)
        {
            foreach (var r in ssl.ValidationRecords ?? [])
            {
                if (r is { TxtName: { Length: > 0 } txtName, TxtValue: { Length: > 0 } txtValue })
                {
                    records.Add(new CloudflareValidationRecord(CloudflareValidationPurpose.Certificate, "TXT", txtName, txtValue));
                }

                if (r is { HttpUrl: { Length: > 0 } httpUrl, HttpBody: { Length: > 0 } httpBody })
                {
                    records.Add(new CloudflareValidationRecord(CloudflareValidationPurpose.Certificate, "HTTP", httpUrl, httpBody));
                }
            }
        }

        return new CloudflareDomainValidation(h.Hostname ?? "", h.Status ?? "", h.Ssl?.Status, records);
    }

    /// <summary>A status line naming every pending domain and the records it waits for (Cloudflare cannot finish without them).</summary>
    public static string Describe(IEnumerable<CfCustomHostnameDto> pending)
    {
        var parts = pending.Select(h =>
        {
            var v = Of(h);
            var records = v.Records.Count == 0
                ? (v.HostnameStatus == "active" ? "" : " (point its CNAME at the SaaS zone's target)")
                : ": publish " + string.Join(", ", v.Records.Select(r => r.Type == "TXT" ? $"TXT {r.Name} = {r.Value}" : $"{r.Value} at {r.Name}"));
            return $"{v.Domain} hostname {v.HostnameStatus}, certificate {v.CertificateStatus ?? "none"}{records}";
        });
        return "waiting for validation: " + string.Join("; ", parts);
    }
}
