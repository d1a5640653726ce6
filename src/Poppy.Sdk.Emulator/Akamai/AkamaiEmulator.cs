using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Poppy.Sdk.Emulator.Akamai.Resources;

namespace Poppy.Sdk.Emulator.Akamai;

/// <summary>
/// The emulated Akamai APIs: the Property Manager API (PAPI v1: contracts, groups, products, CP codes, edge
/// hostnames, properties, versions with etags, rule trees, hostnames, activations and deactivations,
/// find-by-value, <c>PAPI-Use-Prefixes</c>) and Fast Purge (CCU v3: invalidate or delete by URL, CP code or cache
/// tag, per network, with the 50,000-byte body limit and token buckets), behind EdgeGrid
/// (<c>EG1-HMAC-SHA256</c>) verification of each request as received. Errors are RFC 7807
/// <c>problem+json</c> (PAPI, gateway) or Fast Purge's own body. Activations go <c>PENDING</c> →
/// <c>ACTIVE</c> after the emulator's deploy delay.
/// </summary>
public sealed class AkamaiEmulator : IVendorEmulator
{
    private readonly AkamaiState _state;
    private readonly AkamaiAuth _auth;

    internal AkamaiEmulator(CdnEmulatorOptions host)
    {
        Options = host.Vendor<AkamaiEmulatorOptions>();
        _state = new AkamaiState(Options, host.TimeProvider, () => host.DeployDelay);
        _auth = new AkamaiAuth(_state);
        Faults = new VendorFaults(host.Seed);
    }

    /// <summary>The options (credentials, account, limits).</summary>
    public AkamaiEmulatorOptions Options { get; }

    /// <inheritdoc />
    public string Key => "akamai";

    /// <inheritdoc />
    public IReadOnlyList<string> PathPrefixes { get; } = ["/papi", "/ccu"];

    /// <summary>Akamai's error formats: RFC 7807 problems for PAPI and the gateway, Fast Purge's body under <c>/ccu</c>.</summary>
    public IVendorErrorWriter Errors { get; } = new AkamaiErrors();

    /// <summary>Faults to inject, in Akamai's error formats.</summary>
    public VendorFaults Faults { get; }

    /// <summary>The calls answered.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>The properties held now.</summary>
    public IReadOnlyList<AkamaiPropertySnapshot> Properties
    {
        get
        {
            var now = _state.Time.GetUtcNow();
            lock (_state.Gate)
            {
                return [.. _state.Properties.Values.OrderBy(p => p.Id).Select(p => new AkamaiPropertySnapshot(
                    p.Id, p.Name, p.Versions.Count, _state.ActiveVersion(p, AkamaiState.Staging, now), _state.ActiveVersion(p, AkamaiState.Production, now)))];
            }
        }
    }

    /// <summary>Every Fast Purge request accepted, in order.</summary>
    public IReadOnlyList<AkamaiPurgeRecord> Purges
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Purges];
            }
        }
    }

    /// <summary>The rule tree of a property version, as JSON text, or null when there is no such version.</summary>
    /// <param name="propertyId">The property id, with or without <c>prp_</c>.</param>
    /// <param name="version">The version.</param>
    /// <returns>The rule tree (<c>{"name":"default",…}</c>), or null.</returns>
    public string? GetRules(string propertyId, int version)
    {
        lock (_state.Gate)
        {
            return AkamaiJson.BareNumber("prp", propertyId) is { } id && _state.Properties.TryGetValue(id, out var p) && p.Version(version) is { } v
                ? v.Rules.ToJsonString()
                : null;
        }
    }

    /// <summary>Removes every resource and purge and refills the purge buckets; forgets the calls (credentials and faults stay).</summary>
    public void Reset()
    {
        _state.Reset();
        Calls.Clear();
    }

    /// <inheritdoc />
    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        new PrerequisiteEndpoints(_state).Map(routes);
        new EdgeHostnameEndpoints(_state).Map(routes);
        new PropertyEndpoints(_state).Map(routes);
        new VersionEndpoints(_state).Map(routes);
        new ActivationEndpoints(_state).Map(routes);
        new PurgeEndpoints(_state).Map(routes);
    }

    /// <summary>Verifies the EdgeGrid signature of the request as received (401 <c>pep-authn/deny</c>, 400 "Invalid timestamp").</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null, or Akamai's error.</returns>
    public ValueTask<VendorErrorException?> AuthenticateAsync(HttpContext context) => _auth.CheckAsync(context);

    /// <summary>
    /// <c>akamai base_url=http://127.0.0.1:PORT host=127.0.0.1:PORT client_token=… client_secret=… access_token=…</c>:
    /// an official client is pointed at <c>base_url</c> (EdgeGrid <c>host</c> is the same without the scheme).
    /// </summary>
    /// <param name="baseUrl">Where the emulator listens.</param>
    /// <returns>The line.</returns>
    public string DescribeStartup(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"akamai base_url={baseUrl.ToString().TrimEnd('/')} host={baseUrl.Authority} client_token={Options.ClientToken} client_secret={Options.ClientSecret} access_token={Options.AccessToken}";
    }
}
