using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Poppy.Sdk.Akamai.Internal;
using Poppy.Sdk.TestSupport;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Akamai.Tests;

/// <summary>A provider wired to a strict MockHttp handler (through the real EdgeGrid handler), a fake clock and a fake logger, with PAPI/CCU answer builders.</summary>
internal sealed class AkamaiMock
{
    public const string Host = "akab-test.luna.akamaiapis.net";
    public const string Base = "https://" + Host + "/";
    public const string Secret = "c2VjcmV0LWNsaWVudC1zZWNyZXQtdmFsdWU=";
    public const string AccessToken = "akab-access-token-test-0001";
    public const string ServiceId = "svc-1";
    public const string PropertyId = "prp_100";
    public const string PropertyName = "poppy-svc-1";
    public const string EdgeHostname = "poppy-svc-1.edgesuite.net";
    public const string Query = "contractId=ctr_C-1&groupId=grp_1";

    public AkamaiMock(Action<AkamaiCdnProviderOptions>? configure = null)
    {
        Http.Fallback.ThrowMatchSummary();

        // A client token per mock: Fast Purge budgets are shared per account in the process, and tests run in parallel.
        ClientToken = "akab-client-token-" + Guid.NewGuid().ToString("N")[..12];
        Options = ValidOptions();
        Options.ClientToken = ClientToken;
        configure?.Invoke(Options);
        Logger = new FakeLogger<AkamaiCdnProvider>();
        Provider = new AkamaiCdnProvider(AkamaiCdnProvider.CreateHttpClient(Options, Time, Http), Options, Time, Logger);
    }

    public string ClientToken { get; }

    public MockHttpMessageHandler Http { get; } = new();

    public TimerAwareTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public FakeLogger<AkamaiCdnProvider> Logger { get; }

    public AkamaiCdnProviderOptions Options { get; }

    public AkamaiCdnProvider Provider { get; }

    public AkamaiTranslator Translator => new(Options);

    public static AkamaiCdnProviderOptions ValidOptions() => new()
    {
        Host = Host,
        ClientToken = "akab-client-token-static",
        ClientSecret = Secret,
        AccessToken = AccessToken,
        ContractId = "ctr_C-1",
        GroupId = "grp_1",
        ProductId = "prd_Fresca",
        NotifyEmails = ["ops@example.com"],
        PollingInterval = TimeSpan.FromSeconds(60),
        BusyRetryDelay = TimeSpan.FromSeconds(10),
    };

    /// <summary>Expects an EdgeGrid-signed request (this client, the fake clock's timestamp, a nonce) at a path and exact query.</summary>
    public MockedRequest Expect(HttpMethod method, string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var request = Http.Expect(method, Base + (q < 0 ? pathAndQuery : pathAndQuery[..q]))
            .With(r => r.Headers.TryGetValues("Authorization", out var values) && values.Single() is { } auth
                && auth.StartsWith($"EG1-HMAC-SHA256 client_token={ClientToken};access_token={AccessToken};timestamp={Signing.EdgeGridTimestamp(Time.GetUtcNow())};nonce=", StringComparison.Ordinal)
                && auth.Contains(";signature=", StringComparison.Ordinal)
                && Verifies(r, auth));
        return q < 0 ? request.With(r => string.IsNullOrEmpty(r.RequestUri!.Query)) : request.WithExactQueryString(pathAndQuery[(q + 1)..]);
    }

    /// <summary>Expects a PAPI request (with <c>PAPI-Use-Prefixes: true</c>) under <c>papi/v1/</c> with the contract and group.</summary>
    public MockedRequest Papi(HttpMethod method, string path, string? extraQuery = null) =>
        Expect(method, "papi/v1/" + path + "?" + Query + (extraQuery is null ? "" : "&" + extraQuery)).WithHeaders("PAPI-Use-Prefixes", "true");

    /// <summary>
    /// Recomputes the signature from the request as it arrives (method, scheme, host, path and query, the body for a
    /// POST) with the timestamp and nonce the header carries, as Akamai's edge does: what is on the wire verifies.
    /// </summary>
    private bool Verifies(HttpRequestMessage request, string authorization)
    {
        string Field(string name) => authorization.Split(';').Select(p => p.Trim()).First(p => p.Contains(name + "=", StringComparison.Ordinal)).Split('=', 2)[1];
        var uri = request.RequestUri!;
        var body = request.Method == HttpMethod.Post && request.Content is not null ? request.Content.ReadAsByteArrayAsync().Result : [];
        var expected = Poppy.Sdk.Akamai.Internal.Signing.EdgeGridSigner.Sign(
            request.Method.Method,
            uri.Scheme,
            uri.IsDefaultPort ? uri.Host : uri.Authority,
            uri.PathAndQuery,
            [],
            body,
            new EdgeGridCredentials(Host, ClientToken, Secret, AccessToken),
            Field("timestamp"),
            Field("nonce"));
        return expected.Authorization == authorization;
    }

    private static class Signing
    {
        public static string EdgeGridTimestamp(DateTimeOffset now) => Poppy.Sdk.Akamai.Internal.Signing.EdgeGridSigner.Timestamp(now);
    }

    public void Verify() => Http.VerifyNoOutstandingExpectation();

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }

    public static HttpResponseMessage Problem(HttpStatusCode status, string type, string title, string detail = "", string extra = "") =>
        new(status)
        {
            Content = new StringContent(
                "{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"detail\":\"" + detail + "\",\"instance\":\"/papi/v1/x#abc\",\"status\":" + ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture) + extra + "}",
                Encoding.UTF8,
                "application/problem+json"),
        };

    // ---- answers

    public static string FindByValue(params (string Id, string Name, int Version)[] items) =>
        "{\"versions\":{\"items\":[" + string.Join(",", items.Select(i =>
            $"{{\"propertyId\":\"{i.Id}\",\"propertyName\":\"{i.Name}\",\"propertyVersion\":{i.Version},\"stagingStatus\":\"INACTIVE\",\"productionStatus\":\"INACTIVE\",\"contractId\":\"ctr_C-1\",\"groupId\":\"grp_1\"}}")) + "]}}";

    public static string Property(int latest, int? staging, int? production, string name = PropertyName, string id = PropertyId) =>
        $"{{\"properties\":{{\"items\":[{{\"propertyId\":\"{id}\",\"propertyName\":\"{name}\",\"contractId\":\"ctr_C-1\",\"groupId\":\"grp_1\",\"latestVersion\":{latest},\"stagingVersion\":{N(staging)},\"productionVersion\":{N(production)}}}]}}}}";

    public static string Version(int version, string etag, string staging = "INACTIVE", string production = "INACTIVE") =>
        $"{{\"propertyId\":\"{PropertyId}\",\"versions\":{{\"items\":[{{\"propertyVersion\":{version},\"etag\":\"{etag}\",\"stagingStatus\":\"{staging}\",\"productionStatus\":\"{production}\",\"ruleFormat\":\"v2025-01-13\"}}]}}}}";

    public static string Rules(int version, string etag, string rulesJson = "{\"name\":\"default\",\"children\":[],\"behaviors\":[],\"criteria\":[],\"options\":{}}") =>
        $"{{\"propertyId\":\"{PropertyId}\",\"propertyVersion\":{version},\"etag\":\"{etag}\",\"ruleFormat\":\"v2025-01-13\",\"rules\":{rulesJson}}}";

    public static string Hostnames(int version, string etag, params (string From, string Cert)[] items) =>
        $"{{\"propertyId\":\"{PropertyId}\",\"propertyVersion\":{version},\"etag\":\"{etag}\",\"hostnames\":{{\"items\":[" + string.Join(",", items.Select(h =>
            $"{{\"cnameType\":\"EDGE_HOSTNAME\",\"cnameFrom\":\"{h.From}\",\"cnameTo\":\"{EdgeHostname}\",\"certProvisioningType\":\"{h.Cert}\"}}")) + "]}}";

    public static string Activations(params (string Id, int Version, string Network, string Type, string Status)[] items) =>
        "{\"activations\":{\"items\":[" + string.Join(",", items.Select(a =>
            $"{{\"activationId\":\"{a.Id}\",\"propertyVersion\":{a.Version},\"network\":\"{a.Network}\",\"activationType\":\"{a.Type}\",\"status\":\"{a.Status}\",\"submitDate\":\"2026-01-01T00:00:0{a.Id[^1]}Z\"}}")) + "]}}";

    public static string Activation(string id, int version, string network, string status) => Activations((id, version, network, "ACTIVATE", status));

    public static string Link(string name, string path) => $"{{\"{name}\":\"/papi/v0/{path}?contractId=ctr_C-1&groupId=grp_1\"}}";

    public const string PurgeAccepted = """{"httpStatus":201,"detail":"Request accepted","estimatedSeconds":5,"purgeId":"edcp-1","supportId":"edcp-1"}""";

    private static string N(int? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}
