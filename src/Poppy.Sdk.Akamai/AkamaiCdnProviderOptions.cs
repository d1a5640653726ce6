using System.Globalization;
using System.Text.RegularExpressions;

namespace Poppy.Sdk.Akamai;

/// <summary>The Akamai networks a property version is activated on, in order.</summary>
public enum AkamaiActivationNetworks
{
    /// <summary>Staging, then production (the default): a service is deployed once production is active.</summary>
    StagingThenProduction = 0,

    /// <summary>Staging only (test configurations; real traffic is not served).</summary>
    Staging = 1,

    /// <summary>Production only.</summary>
    Production = 2,
}

/// <summary>
/// Options of <see cref="AkamaiCdnProvider"/>: one Akamai API client (EdgeGrid credentials) and where its properties
/// live (contract, group, product). Bound from configuration by <c>AddAkamai(configuration)</c> (the <c>Akamai</c>
/// section beside <c>Poppy</c>), or set in code. Credentials come from the properties below or from an <c>.edgerc</c>
/// section (<see cref="EdgeRcPath"/>). <see cref="ToString"/> never shows the secret or the tokens.
/// </summary>
public sealed partial class AkamaiCdnProviderOptions
{
    /// <summary>The default <see cref="RuleFormat"/>: a dated, frozen PAPI rule format.</summary>
    public const string DefaultRuleFormat = "v2025-01-13";

    /// <summary>The default <see cref="EdgeHostnameDomain"/>: <c>edgesuite.net</c> (HTTP and shared-certificate traffic).</summary>
    public const string EdgeSuite = "edgesuite.net";

    /// <summary>The edge hostname domain for Enhanced TLS (<c>edgekey.net</c>).</summary>
    public const string EdgeKey = "edgekey.net";

    private EdgeGridCredentials? _edgeRc;

    /// <summary>The provider's name (default <c>akamai</c>); set by <c>AddAkamai</c> from its <c>name</c> argument.</summary>
    public string Name { get; set; } = "akamai";

    /// <summary>The API host of the client (<c>akab-….luna.akamaiapis.net</c>); the base address is <c>https://{Host}/</c> unless <see cref="BaseAddress"/> is set.</summary>
    public string? Host { get; set; }

    /// <summary>The EdgeGrid client token. Required unless <see cref="EdgeRcPath"/> supplies it.</summary>
    public string ClientToken { get; set; } = "";

    /// <summary>The EdgeGrid client secret. Required unless <see cref="EdgeRcPath"/> supplies it. Never appears in a log, an exception or <see cref="ToString"/>.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The EdgeGrid access token. Required unless <see cref="EdgeRcPath"/> supplies it. Never appears in a log, an exception or <see cref="ToString"/>.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>How many bytes of a POST body are signed (<c>max_body</c>); default 131,072.</summary>
    public int MaxBody { get; set; } = EdgeGridCredentials.DefaultMaxBody;

    /// <summary>
    /// An <c>.edgerc</c> file to read the credentials (and host, <c>max_body</c>, <c>headers_to_sign</c>) from; values set
    /// directly on these options win over the file's. Null: no file.
    /// </summary>
    public string? EdgeRcPath { get; set; }

    /// <summary>The <c>.edgerc</c> section; <c>default</c> by default.</summary>
    public string EdgeRcSection { get; set; } = "default";

    /// <summary>
    /// The API base address. Null (the default): <c>https://{Host}/</c>. Set it to an emulator's address in tests; the
    /// signature then covers that address's scheme and host, as sent.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The contract properties, CP codes and edge hostnames are created in (<c>ctr_…</c>). Required.</summary>
    public string ContractId { get; set; } = "";

    /// <summary>The group properties, CP codes and edge hostnames are created in (<c>grp_…</c>). Required.</summary>
    public string GroupId { get; set; } = "";

    /// <summary>The product of new properties, CP codes and edge hostnames (<c>prd_…</c>, for example <c>prd_Fresca</c> for Ion). Required.</summary>
    public string ProductId { get; set; } = "";

    /// <summary>Where versions are activated: staging then production (the default), staging only, or production only.</summary>
    public AkamaiActivationNetworks Networks { get; set; } = AkamaiActivationNetworks.StagingThenProduction;

    /// <summary>The addresses Akamai notifies about activations. At least one is required (PAPI refuses an activation without).</summary>
    public IList<string> NotifyEmails { get; set; } = [];

    /// <summary>
    /// The domain of each service's edge hostname: <c>edgesuite.net</c> (the default; HTTP, and HTTPS on Akamai's shared
    /// certificate) or <c>edgekey.net</c> (Enhanced TLS: HTTPS domains with their own certificates).
    /// </summary>
    public string EdgeHostnameDomain { get; set; } = EdgeSuite;

    /// <summary>
    /// The CP code every service reports traffic under (its number, without <c>cpc_</c>). Null (the default): each service
    /// gets its own CP code, named after it, which also lets a purge of everything go by CP code.
    /// </summary>
    public long? CpCodeId { get; set; }

    /// <summary>The PAPI rule format of every rule tree: a dated, frozen format (<c>v2025-01-13</c> by default). <c>latest</c> is refused: it changes under a deployed configuration.</summary>
    public string RuleFormat { get; set; } = DefaultRuleFormat;

    /// <summary>The account switch key of a multi-account (reseller or partner) API client, sent as the <c>accountSwitchKey</c> query parameter; null for none.</summary>
    public string? AccountSwitchKey { get; set; }

    /// <summary>How often activations are polled when Akamai gives no <c>Retry-After</c>. Default 60 s (activations take minutes).</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an edit waits before its one retry when PAPI answers 409 "resource busy" without <c>Retry-After</c>. Default 10 s.</summary>
    public TimeSpan BusyRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// PAPI requests per minute the account sustains (Akamai's documented default: 100 per minute per account, shared by
    /// all its API clients, reads included). Every instance that registers the account under the same name and shares
    /// a rate budget store (<c>UseRedisRateLimits</c>) paces its PAPI requests to it together. Fast Purge (CCU) has its
    /// own bucket (the purge pacing). 0 turns PAPI pacing off.
    /// </summary>
    public int PapiRequestsPerMinute { get; set; } = DefaultPapiRequestsPerMinute;

    /// <summary>PAPI requests allowed in a burst above <see cref="PapiRequestsPerMinute"/> (Akamai's documented default: 1,000).</summary>
    public int PapiBurst { get; set; } = DefaultPapiBurst;

    /// <summary>Akamai's documented default PAPI rate: 100 requests per minute per account.</summary>
    public const int DefaultPapiRequestsPerMinute = 100;

    /// <summary>Akamai's documented default PAPI burst: 1,000 requests.</summary>
    public const int DefaultPapiBurst = 1_000;

    /// <summary>Checks the options (reading <see cref="EdgeRcPath"/> when set).</summary>
    /// <returns>Every problem, in words; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var who = $"Akamai provider '{Name}'";
        EdgeGridCredentials? credentials = null;
        try
        {
            credentials = Credentials();
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{who}: EdgeRcPath could not be read: {e.Message}");
        }

        if (credentials is not null)
        {
            if (credentials.ClientToken.Length == 0 || credentials.ClientSecret.Length == 0 || credentials.AccessToken.Length == 0)
            {
                problems.Add($"{who}: ClientToken, ClientSecret and AccessToken are required (an Akamai API client's EdgeGrid credentials); set them from a secret store or configuration (keys Akamai:ClientToken, Akamai:ClientSecret, Akamai:AccessToken in the \"Akamai\" section beside \"Poppy\"), or point Akamai:EdgeRcPath at an .edgerc file.");
            }
            else if (new[] { credentials.ClientToken, credentials.ClientSecret, credentials.AccessToken }.Any(v => v.Any(c => char.IsControl(c) || c == ' ' || c == ';')))
            {
                problems.Add($"{who}: ClientToken, ClientSecret or AccessToken contains spaces, semicolons or control characters; check how it was copied.");
            }

            if (credentials.MaxBody <= 0)
            {
                problems.Add($"{who}: MaxBody must be positive.");
            }
        }

        if (EffectiveBaseAddress() is not { } address)
        {
            problems.Add($"{who}: Host (the API client's host, akab-….luna.akamaiapis.net) or BaseAddress is required.");
        }
        else if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttps && address.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add($"{who}: BaseAddress must be an absolute http(s) URI such as https://akab-xxxx.luna.akamaiapis.net/.");
        }

        Require(problems, who, nameof(ContractId), ContractId, "ctr_");
        Require(problems, who, nameof(GroupId), GroupId, "grp_");
        Require(problems, who, nameof(ProductId), ProductId, "prd_");
        if (NotifyEmails is null || NotifyEmails.Count == 0 || NotifyEmails.Any(e => string.IsNullOrWhiteSpace(e) || !e.Contains('@', StringComparison.Ordinal)))
        {
            problems.Add($"{who}: NotifyEmails needs at least one e-mail address (Akamai requires one on every activation), for example Akamai:NotifyEmails:0.");
        }

        if (EdgeHostnameDomain is not (EdgeSuite or EdgeKey))
        {
            problems.Add($"{who}: EdgeHostnameDomain must be {EdgeSuite} (HTTP and the shared certificate) or {EdgeKey} (Enhanced TLS).");
        }

        if (CpCodeId is <= 0)
        {
            problems.Add($"{who}: CpCodeId must be a positive CP code number (without cpc_), or unset for one CP code per service.");
        }

        if (RuleFormat == "latest")
        {
            problems.Add($"{who}: RuleFormat 'latest' is refused: its behaviours change under a deployed configuration. Use a dated, frozen format such as {DefaultRuleFormat}.");
        }
        else if (RuleFormat is null || !RuleFormatPattern().IsMatch(RuleFormat))
        {
            problems.Add($"{who}: RuleFormat must be a dated PAPI rule format such as {DefaultRuleFormat}.");
        }

        if (AccountSwitchKey is { } key && key.Any(c => char.IsControl(c) || c is ' ' or '&' or '#' or '?'))
        {
            problems.Add($"{who}: AccountSwitchKey contains characters an account switch key never has.");
        }

        if (PollingInterval <= TimeSpan.Zero || BusyRetryDelay < TimeSpan.Zero)
        {
            problems.Add($"{who}: PollingInterval must be positive and BusyRetryDelay not negative.");
        }

        if (PapiRequestsPerMinute < 0 || (PapiRequestsPerMinute > 0 && PapiBurst < 1))
        {
            problems.Add($"{who}: PapiRequestsPerMinute must be 0 (unpaced) or positive with a positive PapiBurst (Akamai's defaults are {DefaultPapiRequestsPerMinute} and {DefaultPapiBurst}).");
        }

        return problems;
    }

    /// <summary>Describes the options without the secret or the tokens.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"AkamaiCdnProviderOptions {{ Name = {Name}, Host = {Host}, BaseAddress = {BaseAddress}, ClientToken = {Hidden(ClientToken)}, ClientSecret = {Hidden(ClientSecret)}, AccessToken = {Hidden(AccessToken)}, EdgeRcPath = {EdgeRcPath}, EdgeRcSection = {EdgeRcSection}, ContractId = {ContractId}, GroupId = {GroupId}, ProductId = {ProductId}, Networks = {Networks}, EdgeHostnameDomain = {EdgeHostnameDomain}, CpCodeId = {CpCodeId}, RuleFormat = {RuleFormat}, AccountSwitchKey = {(string.IsNullOrEmpty(AccountSwitchKey) ? "(not set)" : "(set)")}, PollingInterval = {PollingInterval}, PapiRequestsPerMinute = {PapiRequestsPerMinute}, PapiBurst = {PapiBurst} }}");

    /// <summary>The credentials to sign with: the values set here, completed from the <c>.edgerc</c> section (read once per options instance).</summary>
    /// <exception cref="FormatException">The <c>.edgerc</c> section cannot be read.</exception>
    internal EdgeGridCredentials Credentials()
    {
        var file = EdgeRc();
        return new EdgeGridCredentials(
            Host is { Length: > 0 } h ? EdgeGridCredentials.NormalizeHost(h) : file?.Host,
            First(ClientToken, file?.ClientToken),
            First(ClientSecret, file?.ClientSecret),
            First(AccessToken, file?.AccessToken))
        {
            MaxBody = MaxBody != EdgeGridCredentials.DefaultMaxBody || file is null ? MaxBody : file.MaxBody,
            HeadersToSign = file?.HeadersToSign ?? [],
        };
    }

    /// <summary>The base address requests go to: <see cref="BaseAddress"/>, else <c>https://{host}/</c>; null when neither is known.</summary>
    internal Uri? EffectiveBaseAddress()
    {
        if (BaseAddress is not null)
        {
            return BaseAddress;
        }

        string? host;
        try
        {
            host = Host is { Length: > 0 } h ? EdgeGridCredentials.NormalizeHost(h) : EdgeRc()?.Host;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return host is { Length: > 0 } && Uri.TryCreate("https://" + host + "/", UriKind.Absolute, out var uri) ? uri : null;
    }

    /// <summary>The network purges go to: the last one activated.</summary>
    internal string PurgeNetwork => Networks == AkamaiActivationNetworks.Staging ? "staging" : "production";

    /// <summary>The activation networks, in order (PAPI's names).</summary>
    internal IReadOnlyList<string> ActivationNetworks => Networks switch
    {
        AkamaiActivationNetworks.Staging => ["STAGING"],
        AkamaiActivationNetworks.Production => ["PRODUCTION"],
        _ => ["STAGING", "PRODUCTION"],
    };

    internal AkamaiCdnProviderOptions Clone()
    {
        var copy = (AkamaiCdnProviderOptions)MemberwiseClone();
        copy.NotifyEmails = [.. NotifyEmails ?? []];
        return copy;
    }

    private EdgeGridCredentials? EdgeRc() =>
        string.IsNullOrWhiteSpace(EdgeRcPath) ? null : _edgeRc ??= EdgeGridCredentials.FromEdgeRc(EdgeRcPath, EdgeRcSection);

    private static string First(string value, string? fallback) => value is { Length: > 0 } ? value : fallback ?? "";

    private static string Hidden(string value) => string.IsNullOrEmpty(value) ? "(not set)" : "(set, hidden)";

    private static void Require(List<string> problems, string who, string name, string value, string prefix)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{who}: {name} is required ({prefix}…, from Akamai Control Center or GET /papi/v1/{(prefix == "prd_" ? "products" : prefix == "ctr_" ? "contracts" : "groups")}), for example the key Akamai:{name}.");
        }
        else if (!value.StartsWith(prefix, StringComparison.Ordinal) || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            problems.Add($"{who}: {name} must be a prefixed id such as {prefix}1234 (Poppy sends PAPI-Use-Prefixes: true).");
        }
    }

    [GeneratedRegex("^v[0-9]{4}-[0-9]{2}-[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RuleFormatPattern();
}
