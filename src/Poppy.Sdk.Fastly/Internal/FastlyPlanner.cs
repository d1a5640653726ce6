using System.Globalization;
using System.Text;
using System.Text.Json;
using Poppy.Sdk.Models;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.Fastly.Internal;

/// <summary>
/// The offline plan (no I/O): the capability check and <see cref="FastlyTranslator.Translate"/>, once. Its objects are
/// shown as <c>application/json</c> documents, one per Fastly object type, with the field names of Fastly's API.
/// </summary>
internal sealed class FastlyPlanner(string providerName, CdnCapabilities capabilities, FastlyTranslator translator)
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>Plans a validated, normalised spec.</summary>
    public FastlyPlan Plan(ServiceSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        #region plan (docs/extending/writing-a-provider.md)
        var problems = CapabilityChecker.Check(spec, capabilities, providerName).ToList();
        var translation = translator.Translate(spec);
        problems.AddRange(translation.Problems);
        if (problems.Count > 0 || translation.Config is not { } config)
        {
            return new FastlyPlan(ProviderPlan.Invalid(providerName, problems), null);
        }

        return new FastlyPlan(ProviderPlan.Valid(providerName, Summary(config), Documents(config)), config);
        #endregion
    }

    /// <summary>Validates and plans — everything that can fail before a vendor call; the plan's objects are what gets deployed.</summary>
    /// <exception cref="CdnValidationException">The spec is invalid, or Fastly cannot honour it.</exception>
    #region prepare (docs/extending/writing-a-provider.md)
    public (ServiceSpec Normalized, FastlyConfig Desired) Prepare(ServiceSpec spec, ValidationMode mode)
    {
        var normalized = ServiceSpecValidator.Validate(spec, mode).GetNormalizedOrThrow();
        var plan = Plan(normalized);
        plan.Plan.EnsureValid();
        return (normalized, plan.Config!);
    }
    #endregion

    private static string Summary(FastlyConfig config)
    {
        var counts = string.Create(
            CultureInfo.InvariantCulture,
            $"one Fastly VCL service: {config.Domains.Count} domain(s), {config.Backends.Count} backend(s), {config.Conditions.Count} condition(s), {config.CacheSettings.Count} cache setting(s), {config.ResponseObjects.Count} response object(s), {config.Acls.Count} ACL(s)");
        return config.DefaultTtl is { } ttl ? counts + string.Create(CultureInfo.InvariantCulture, $", default TTL {ttl} s") : counts;
    }

    private static List<PlanDocument> Documents(FastlyConfig config)
    {
        var documents = new List<PlanDocument>
        {
            Document("domain", w => Array(w, config.Domains, (w, d) => w.WriteString("name", d.Name))),
            Document("backend", w => Array(w, config.Backends, (w, b) =>
            {
                w.WriteString("name", b.Name);
                w.WriteString("address", b.Address);
                w.WriteNumber("port", b.Port);
                w.WriteBoolean("use_ssl", b.UseSsl);
                Optional(w, "ssl_cert_hostname", b.SslCertHostname);
                Optional(w, "ssl_sni_hostname", b.SslSniHostname);
                Optional(w, "override_host", b.OverrideHost);
                Optional(w, "request_condition", b.RequestCondition);
            })),
            Document("condition", w => Array(w, config.Conditions, (w, c) =>
            {
                w.WriteString("name", c.Name);
                w.WriteString("type", c.Type);
                w.WriteString("statement", c.Statement);
                w.WriteNumber("priority", c.Priority);
            })),
            Document("cache_settings", w => Array(w, config.CacheSettings, (w, c) =>
            {
                w.WriteString("name", c.Name);
                w.WriteNumber("ttl", c.Ttl);
                w.WriteString("action", c.Action);
                Optional(w, "cache_condition", c.CacheCondition);
            })),
            Document("response_object", w => Array(w, config.ResponseObjects, (w, r) =>
            {
                w.WriteString("name", r.Name);
                w.WriteNumber("status", r.Status);
                w.WriteString("response", r.Response);
                w.WriteString("content", r.Content);
                w.WriteString("content_type", r.ContentType);
                Optional(w, "request_condition", r.RequestCondition);
            })),
            Document("acl", w => Array(w, config.Acls, (w, a) =>
            {
                w.WriteString("name", a.Name);
                w.WriteStartArray("entries");
                foreach (var e in a.Entries)
                {
                    w.WriteStartObject();
                    w.WriteString("ip", e.Ip);
                    if (e.Subnet is { } subnet)
                    {
                        w.WriteNumber("subnet", subnet);
                    }

                    w.WriteNumber("negated", e.Negated ? 1 : 0);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            })),
            Document("settings", w =>
            {
                w.WriteStartObject();
                if (config.DefaultTtl is { } ttl)
                {
                    w.WriteNumber("general.default_ttl", ttl);
                }

                w.WriteEndObject();
            }),
            Document("version", w =>
            {
                w.WriteStartObject();
                Optional(w, "comment", config.VersionComment);
                w.WriteEndObject();
            }),
        };
        return documents;
    }

    private static PlanDocument Document(string name, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            write(writer);
        }

        return new PlanDocument(name, "application/json", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void Array<T>(Utf8JsonWriter writer, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartArray();
        foreach (var item in items)
        {
            writer.WriteStartObject();
            write(writer, item);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Optional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
