using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>A domain the service answers for (<c>{"domain", "protocol", "certificate"}</c>).</summary>
public sealed record DomainSpec
{
    /// <summary>Creates an empty domain (for serializers and object initializers).</summary>
    public DomainSpec()
    {
    }

    /// <summary>Creates a domain.</summary>
    /// <param name="domain">The host name, for example <c>www.example.com</c>.</param>
    /// <param name="protocol">The protocol; HTTPS needs a certificate.</param>
    /// <param name="certificate">The certificate kind for HTTPS.</param>
    public DomainSpec(string domain, DomainProtocol protocol = DomainProtocol.Http, CertificateKind? certificate = null)
    {
        Domain = domain;
        Protocol = protocol;
        Certificate = certificate;
    }

    /// <summary>The host name (lower-case ASCII after normalisation; IDNs become punycode).</summary>
    [JsonPropertyName("domain")]
    public string Domain { get; init; } = "";

    /// <summary>The protocol; defaults to <see cref="DomainProtocol.Http"/>.</summary>
    [JsonPropertyName("protocol")]
    public DomainProtocol Protocol { get; init; } = DomainProtocol.Http;

    /// <summary>The certificate kind; required for HTTPS, not allowed for HTTP.</summary>
    [JsonPropertyName("certificate")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CertificateKind? Certificate { get; init; }
}
