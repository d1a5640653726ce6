using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Poppy.Sdk.Emulator.CloudFront.Resources;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// The emulated Amazon CloudFront API (cloudfront.amazonaws.com, version 2020-05-31): distributions
/// (create, create with tags, get, get config, update and delete with ETags, list), CloudFront
/// Functions (create, describe, get, update, publish, delete, list), invalidations (create, get, list)
/// and resource tags (tag, untag, list), every request verified with AWS Signature Version 4. It speaks
/// REST-XML as CloudFront does: bodies in the CloudFront namespace, <c>ErrorResponse</c> errors with the
/// model's HTTP statuses, <c>x-amzn-RequestId</c> and <c>ETag</c> headers. Distribution configs are kept
/// as the XML the client sent, validated and echoed back. Deployments and invalidations finish after a
/// delay on the emulator's clock (computed when asked; no timers).
/// </summary>
public sealed class CloudFrontEmulator : IVendorEmulator
{
    private readonly CloudFrontState _state;
    private readonly CloudFrontAuth _auth;

    internal CloudFrontEmulator(CdnEmulatorOptions host)
    {
        Options = host.Vendor<CloudFrontEmulatorOptions>();
        _state = new CloudFrontState(Options, host.TimeProvider, host.Seed, () => host.DeployDelay);
        _auth = new CloudFrontAuth(_state);
        Errors = new CloudFrontErrors(host.TimeProvider);
        Faults = new VendorFaults(host.Seed);
    }

    /// <summary>The options (credentials, delays, quotas).</summary>
    public CloudFrontEmulatorOptions Options { get; }

    /// <summary>The access key id to sign with.</summary>
    public string AccessKeyId => Options.AccessKeyId;

    /// <summary>The secret access key to sign with.</summary>
    public string SecretAccessKey => Options.SecretAccessKey;

    /// <summary>The AWS account id in ARNs.</summary>
    public string AccountId => Options.AccountId;

    /// <inheritdoc />
    public string Key => "cloudfront";

    /// <summary>Every path starts with the API version, <c>/2020-05-31</c>.</summary>
    public IReadOnlyList<string> PathPrefixes { get; } = [Prefix];

    /// <summary>CloudFront's error format: the XML <c>ErrorResponse</c> with the API model's status, <c>x-amzn-RequestId</c> on every answer.</summary>
    public IVendorErrorWriter Errors { get; }

    /// <summary>
    /// Faults to inject, in CloudFront's error format: <see cref="VendorFaults.RateLimitNext"/> answers
    /// 400 <c>Throttling</c> ("Rate exceeded"); a 500 is <c>InternalFailure</c>, other 5xx
    /// <c>ServiceUnavailable</c>; a 400 or 429 is <c>Throttling</c>, a 403 <c>AccessDenied</c>.
    /// </summary>
    public VendorFaults Faults { get; }

    /// <summary>The calls answered.</summary>
    public CallLog Calls { get; } = new();

    /// <summary>The distributions held now, oldest first.</summary>
    public IReadOnlyList<CloudFrontDistributionSnapshot> Distributions
    {
        get
        {
            lock (_state.Gate)
            {
                var now = _state.Time.GetUtcNow();
                return [.. _state.Distributions.Values.OrderBy(d => d.Sequence).Select(d => Snapshot(d, now))];
            }
        }
    }

    /// <summary>The CloudFront Functions held now, by name.</summary>
    public IReadOnlyList<CloudFrontFunctionSnapshot> Functions
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new CloudFrontFunctionSnapshot(
                    f.Name,
                    _state.FunctionArn(f.Name),
                    Text(f.DevelopmentConfig, "Runtime") ?? "",
                    Text(f.DevelopmentConfig, "Comment") ?? "",
                    f.DevelopmentCode.ToArray(),
                    f.DevelopmentETag,
                    f.LiveCode is null ? null : new ReadOnlyMemory<byte>(f.LiveCode.ToArray()),
                    f.LiveETag,
                    _state.FunctionStatus(f)))];
            }
        }
    }

    /// <summary>Every invalidation accepted, oldest first (also those of distributions deleted since).</summary>
    public IReadOnlyList<CloudFrontInvalidationSnapshot> Invalidations
    {
        get
        {
            lock (_state.Gate)
            {
                var now = _state.Time.GetUtcNow();
                return [.. _state.Invalidations.Select(i => new CloudFrontInvalidationSnapshot(i.DistributionId, i.Id, i.CallerReference, [.. i.Paths], _state.InvalidationStatus(i, now), i.Created))];
            }
        }
    }

    /// <summary>The paths of every completed invalidation, in the order the invalidations were made.</summary>
    public IReadOnlyList<CloudFrontInvalidatedPath> InvalidatedPaths
    {
        get
        {
            lock (_state.Gate)
            {
                var now = _state.Time.GetUtcNow();
                return [.. _state.Invalidations
                    .Where(i => _state.InvalidationStatus(i, now) == CloudFrontState.Completed)
                    .SelectMany(i => i.Paths.Select(p => new CloudFrontInvalidatedPath(i.DistributionId, i.Id, p, i.Created + Options.InvalidationDelay)))];
            }
        }
    }

    /// <summary>One distribution now, or null.</summary>
    /// <param name="id">The distribution id.</param>
    /// <returns>The snapshot, or null when there is none.</returns>
    public CloudFrontDistributionSnapshot? GetDistribution(string id)
    {
        lock (_state.Gate)
        {
            return _state.Distributions.TryGetValue(id, out var d) ? Snapshot(d, _state.Time.GetUtcNow()) : null;
        }
    }

    /// <summary>Removes every distribution, function and invalidation, and forgets the calls (credentials and faults stay).</summary>
    public void Reset()
    {
        _state.Reset();
        Calls.Clear();
    }

    /// <inheritdoc />
    public void MapRoutes(IEndpointRouteBuilder routes)
    {
        new DistributionEndpoints(_state).Map(routes);
        new InvalidationEndpoints(_state).Map(routes);
        new FunctionEndpoints(_state).Map(routes);
        new TagEndpoints(_state).Map(routes);
    }

    /// <summary>Verifies AWS Signature Version 4 (403 <c>MissingAuthenticationToken</c>, <c>InvalidClientTokenId</c>, <c>SignatureDoesNotMatch</c>, <c>IncompleteSignature</c>).</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null, or CloudFront's error.</returns>
    public ValueTask<VendorErrorException?> AuthenticateAsync(HttpContext context) => _auth.CheckAsync(context);

    /// <summary><c>cloudfront base_url=… access_key_id=… secret_access_key=…</c>.</summary>
    /// <param name="baseUrl">Where the emulator listens.</param>
    /// <returns>The line.</returns>
    public string DescribeStartup(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return $"cloudfront base_url={baseUrl.ToString().TrimEnd('/')} access_key_id={AccessKeyId} secret_access_key={SecretAccessKey}";
    }

    private CloudFrontDistributionSnapshot Snapshot(CloudFrontDistribution d, DateTimeOffset now) =>
        new(d.Id, d.Arn, d.DomainName, d.ETag, _state.DistributionStatus(d, now), CloudFrontState.IsEnabled(d.Config), d.CallerReference, d.ChangedAt, new XElement(d.Config), new Dictionary<string, string>(d.Tags, StringComparer.Ordinal));
}
