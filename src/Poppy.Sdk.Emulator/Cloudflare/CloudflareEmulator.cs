using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Poppy.Sdk.Emulator.Cloudflare.Resources;

namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>
/// The emulated Cloudflare API v4 (api.cloudflare.com/client/v4) for one SaaS zone: token verification,
/// the zone, Cloudflare for SaaS custom hostnames (DV certificates validated by HTTP or TXT, pending until
/// validated) and the fallback origin, the rulesets engine's phase entry points and single-rule endpoints
/// (<c>ref</c> unique per ruleset, expressions checked), and <c>purge_cache</c> with its per-call limits and
/// per-plan token buckets. <c>Authorization: Bearer</c> tokens; every answer is the v4 envelope
/// <c>{success, errors[{code,message}], messages, result, result_info}</c>, except the bare <c>{"id"}</c>
/// of a custom hostname's delete.
/// </summary>
public sealed class CloudflareEmulator : IVendorEmulator
{
    /// <summary>The path prefix of every operation.</summary>
    public const string ApiPrefix = "/client/v4";

    private readonly CloudflareState _state;
    private readonly CloudflareAuth _auth;

    internal CloudflareEmulator(CdnEmulatorOptions host)
    {
        Options = host.Vendor<CloudflareEmulatorOptions>();
        _state = new CloudflareState(Options, host.TimeProvider, () => host.DeployDelay);
        _auth = new CloudflareAuth(_state);
        Errors = new CloudflareErrors();
        Faults = new VendorFaults(host.Seed);
    }

    /// <summary>The options (token, ids, plan, validation).</summary>
    public CloudflareEmulatorOptions Options { get; }

    /// <summary>The API token to send as <c>Authorization: Bearer …</c>.</summary>
    public string ApiToken => Options.ApiToken;

    /// <summary>The SaaS zone's id.</summary>
    public string ZoneId => Options.ZoneId;

    /// <summary>The account id.</summary>
    public string AccountId => Options.AccountId;

    /// <inheritdoc />
    public string Key => "cloudflare";

    /// <inheritdoc />
    public IReadOnlyList<string> PathPrefixes { get; } = [ApiPrefix];

    /// <summary>Cloudflare's error format: the v4 envelope with <c>success: false</c> and numeric codes; 429s carry <c>Retry-After</c> and <c>Ratelimit</c>.</summary>
    public IVendorErrorWriter Errors { get; }

    /// <summary>Faults to inject, in Cloudflare's error format.</summary>
    public VendorFaults Faults { get; }

    /// <summary>The calls answered.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>The custom hostnames held now, in creation order.</summary>
    public IReadOnlyList<CloudflareCustomHostnameSnapshot> CustomHostnames
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.CustomHostnames.Select(h => new CloudflareCustomHostnameSnapshot(
                    h.Id, h.Hostname, _state.HostnameStatus(h), _state.SslStatus(h), h.SslMethod, h.CustomMetadata?.ToJsonString(), h.CustomOriginServer))];
            }
        }
    }

    /// <summary>The rules of every phase entry point, phase by phase, in order.</summary>
    public IReadOnlyList<CloudflareRuleSnapshot> Rules
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Rulesets.Values.OrderBy(r => r.Phase, StringComparer.Ordinal)
                    .SelectMany(r => r.Rules.Select(x => new CloudflareRuleSnapshot(r.Phase, x.Id, x.Ref, x.Action, x.Expression, x.Version)))];
            }
        }
    }

    /// <summary>The fallback origin, or null.</summary>
    public string? FallbackOrigin
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.FallbackOrigin?.Origin;
            }
        }
    }

    /// <summary>Every purge accepted, in order.</summary>
    public IReadOnlyList<CloudflarePurgeRecord> Purges
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Purges];
            }
        }
    }

    /// <summary>
    /// Marks a custom hostname's ownership and certificate validation done, as when its owner has published
    /// the records: it is <c>active</c> from now on (the way to finish with <see cref="CloudflareEmulatorOptions.AutoValidate"/> off).
    /// </summary>
    /// <param name="hostname">The host name.</param>
    /// <returns>Whether the zone has that custom hostname.</returns>
    public bool MarkValidated(string hostname)
    {
        ArgumentNullException.ThrowIfNull(hostname);
        lock (_state.Gate)
        {
            var h = _state.CustomHostnames.Find(x => string.Equals(x.Hostname, hostname, StringComparison.OrdinalIgnoreCase));
            if (h is null)
            {
                return false;
            }

            h.MarkedValidated = true;
            return true;
        }
    }

    /// <summary>Removes every custom hostname, ruleset, fallback origin and purge, refills the buckets, and forgets the calls (credentials and faults stay).</summary>
    public void Reset()
    {
        _state.Reset();
        Calls.Clear();
    }

    /// <inheritdoc />
    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup(ApiPrefix);
        new AccountEndpoints(_state).Map(api);
        new CustomHostnameEndpoints(_state).Map(api);
        new RulesetEndpoints(_state).Map(api);
        new PurgeEndpoints(_state).Map(api);
    }

    /// <summary>Checks <c>Authorization: Bearer</c> (400 malformed or missing, 403 code 10000 another token), then the token's API budget (429).</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null, or Cloudflare's error.</returns>
    public ValueTask<VendorErrorException?> AuthenticateAsync(HttpContext context) => ValueTask.FromResult(_auth.Check(context));

    /// <summary><c>cloudflare base_url=…/client/v4 api_token=… zone_id=… account_id=…</c>.</summary>
    /// <param name="baseUrl">Where the emulator listens.</param>
    /// <returns>The line.</returns>
    public string DescribeStartup(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"cloudflare base_url={baseUrl.ToString().TrimEnd('/')}{ApiPrefix} api_token={ApiToken} zone_id={ZoneId} account_id={AccountId}";
    }
}
