using System.Globalization;
using System.Text;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>The domain rules (DESIGN §2.1): host names, apex domains, protocol and certificate.</summary>
internal sealed partial class SpecValidation
{
    // ---------------------------------------------------------------- domains

    private List<DomainSpec> Domains(IReadOnlyList<DomainSpec>? domains)
    {
        var result = new List<DomainSpec>();
        if (domains is null)
        {
            Add("/domains", "domains is missing (null); give 1–10 domains, like [{\"domain\": \"www.example.com\"}].");
            return result;
        }

        if (domains.Count == 0)
        {
            Add("/domains", "No domains were given; a service needs 1–10.");
        }
        else if (domains.Count > MaxDomains)
        {
            Add("/domains", $"{domains.Count} domains were given; a service may have at most {MaxDomains}.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < domains.Count; i++)
        {
            var path = P("/domains", i);
            var domain = domains[i];
            if (domain is null)
            {
                Add(path, "This domain is null; give an object like {\"domain\": \"www.example.com\"}.");
                continue;
            }

            var shared = CheckProtocolAndCertificate(domain, path);
            var normalized = shared ? SharedLabel(domain.Domain, path) : DomainName(domain.Domain, path);
            if (normalized is null)
            {
                result.Add(domain);
                continue;
            }

            if (seen.TryGetValue(normalized, out var first))
            {
                Add(path + "/domain", $"{Text.Quote(normalized)} is listed twice (also at {P("/domains", first)}/domain); domains must be unique (ignoring case).");
            }
            else
            {
                seen.Add(normalized, i);
                if (!shared)
                {
                    _domains.Add((i, normalized));
                }
            }

            result.Add(domain with { Domain = normalized });
        }

        return result;
    }

    /// <summary>Checks protocol and certificate; returns whether the domain is a shared-certificate label.</summary>
    private bool CheckProtocolAndCertificate(DomainSpec domain, string path)
    {
        var certificate = domain.Certificate;
        if (certificate is { } kind && kind is not (CertificateKind.Shared or CertificateKind.San or CertificateKind.Sni or CertificateKind.Custom))
        {
            Add(path + "/certificate", $"The certificate kind {(int)kind} is unknown; use 'shared', 'san', 'sni' or 'custom'.");
            certificate = null;
        }

        switch (domain.Protocol)
        {
            case DomainProtocol.Http when certificate is { } given:
                Add(path + "/certificate", $"An http domain takes no certificate, but '{Name(given)}' was given; set protocol to 'https' or remove the certificate.");
                return false;
            case DomainProtocol.Http:
                return false;
            case DomainProtocol.Https when domain.Certificate is null:
                Add(path + "/certificate", "An https domain needs a certificate: one of 'shared', 'san', 'sni' or 'custom'.");
                return false;
            case DomainProtocol.Https:
                return certificate == CertificateKind.Shared;
            default:
                Add(path + "/protocol", $"The protocol {(int)domain.Protocol} is unknown; use 'http' or 'https'.");
                return false;
        }
    }

    private string? DomainName(string? raw, string path)
    {
        var normalized = HostNameRules.Normalize(raw, out var problem);
        if (problem is not null)
        {
            var hint = normalized is not null && !normalized.Contains('.', StringComparison.Ordinal) && HostNameRules.IsSharedLabel(normalized)
                ? " (a single label such as 'mysite' is only allowed for an https domain with a 'shared' certificate)"
                : "";
            Add(path + "/domain", raw is null
                ? "The domain is missing; give a host name like 'www.example.com'."
                : $"{Text.Quote(raw)} is not a valid domain: {problem}{hint}.");
            return null;
        }

        if (DomainRules.IsApex(normalized!, out var suffix))
        {
            Add(path + "/domain", $"{Text.Quote(normalized)} is an apex (root) domain — '{suffix}' is a public suffix — and a CDN needs a CNAME record, which cannot sit on an apex; use a subdomain such as 'www.{normalized}'.");
            return null;
        }

        return normalized;
    }

    private string? SharedLabel(string? raw, string path)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            Add(path + "/domain", "The domain is missing; with a 'shared' certificate give a single label such as 'mysite'.");
            return null;
        }

        var label = raw.Trim().ToLowerInvariant();
        if (!Ascii.IsValid(label))
        {
            try
            {
                label = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(label);
            }
            catch (Exception e) when (e is ArgumentException or PlatformNotSupportedException)
            {
                // Reported below: the label keeps its non-ASCII characters and fails the check.
            }
        }

        if (!HostNameRules.IsSharedLabel(label))
        {
            Add(path + "/domain", $"With a 'shared' certificate the domain is a single label such as 'mysite' (letters a–z, digits and inner hyphens, at most 63 characters), but {Text.Quote(raw)} was given; the provider places it under its shared certificate's host.");
            return null;
        }

        return label;
    }
}
