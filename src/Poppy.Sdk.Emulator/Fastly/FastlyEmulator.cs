using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Poppy.Sdk.Emulator.Fastly.Resources;

namespace Poppy.Sdk.Emulator.Fastly;

/// <summary>
/// The emulated Fastly API (api.fastly.com): services, versions (clone, activate, deactivate, lock,
/// validate), versioned objects (domains, backends, conditions, cache settings, headers, request
/// settings, response objects, ACLs), settings, ACL entries, purges (URL, key, bulk keys, all, soft),
/// <c>Fastly-Key</c> authentication and the hourly budget for non-read calls. Answers use Fastly's
/// paths, verbs, form-encoded request bodies, JSON answers and <c>{"msg","detail"}</c> errors.
/// </summary>
public sealed class FastlyEmulator : IVendorEmulator
{
    private readonly FastlyState _state;
    private readonly FastlyAuth _auth;

    internal FastlyEmulator(CdnEmulatorOptions host)
    {
        Options = host.Vendor<FastlyEmulatorOptions>();
        _state = new FastlyState(Options, host.TimeProvider);
        _auth = new FastlyAuth(_state);
        Errors = new FastlyErrors(host.TimeProvider);
        Faults = new VendorFaults(host.Seed);
    }

    /// <summary>The options (credentials, limits).</summary>
    public FastlyEmulatorOptions Options { get; }

    /// <summary>The API token to send as <c>Fastly-Key</c>.</summary>
    public string ApiToken => Options.ApiToken;

    /// <inheritdoc />
    public string Key => "fastly";

    /// <inheritdoc />
    public IReadOnlyList<string> PathPrefixes { get; } = ["/service", "/purge"];

    /// <summary>Fastly's error format: JSON <c>{"msg","detail"}</c>; injected 429s carry <c>Retry-After</c> and the <c>Fastly-RateLimit-*</c> headers.</summary>
    public IVendorErrorWriter Errors { get; }

    /// <summary>Faults to inject, in Fastly's error format.</summary>
    public VendorFaults Faults { get; }

    /// <summary>The calls answered.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>The services held now.</summary>
    public IReadOnlyList<FastlyServiceSnapshot> Services
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.Services.Values.OrderBy(s => s.Created).Select(s => new FastlyServiceSnapshot(
                    s.Id, s.Name, s.Comment, s.Versions.FirstOrDefault(v => v.Active)?.Number, s.Versions.Count)).ToList();
            }
        }
    }

    /// <summary>Every purge accepted, in order.</summary>
    public IReadOnlyList<FastlyPurgeRecord> Purges
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Purges];
            }
        }
    }

    /// <summary>The objects of one kind in one version (for example <c>backend</c>), as field maps.</summary>
    /// <param name="serviceId">The service id.</param>
    /// <param name="version">The version number.</param>
    /// <param name="kind">The object kind (path segment).</param>
    /// <returns>The objects, or empty.</returns>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> GetObjects(string serviceId, int version, string kind)
    {
        lock (_state.Gate)
        {
            return _state.Services.TryGetValue(serviceId, out var s) && s.Version(version) is { } v && v.Objects.TryGetValue(kind, out var objects)
                ? objects.Values.Select(o => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(o)).ToList()
                : [];
        }
    }

    /// <summary>Removes every service and purge, and forgets the calls (credentials and faults stay).</summary>
    public void Reset()
    {
        _state.Reset();
        Calls.Clear();
    }

    /// <inheritdoc />
    #region map-routes (docs/extending/writing-a-provider.md)
    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        new ServiceEndpoints(_state).Map(routes);
        new VersionEndpoints(_state).Map(routes);
        new VersionedObjectEndpoints(_state).Map(routes);
        new AclEndpoints(_state).Map(routes);
        new PurgeEndpoints(_state).Map(routes);
    }
    #endregion

    /// <summary>Checks <c>Fastly-Key</c> (401), then the key's hourly budget of non-read calls (429).</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null, or Fastly's error.</returns>
    public ValueTask<VendorErrorException?> AuthenticateAsync(HttpContext context) => ValueTask.FromResult(_auth.Check(context));

    /// <summary><c>fastly base_url=… api_token=…</c>.</summary>
    /// <param name="baseUrl">Where the emulator listens.</param>
    /// <returns>The line.</returns>
    public string DescribeStartup(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"fastly base_url={baseUrl.ToString().TrimEnd('/')} api_token={ApiToken}";
    }
}
