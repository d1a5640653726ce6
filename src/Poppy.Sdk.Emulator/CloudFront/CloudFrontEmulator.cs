using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// The emulated Amazon CloudFront API (cloudfront.amazonaws.com, version 2020-05-31): distributions
/// (create, create with tags, get, get config, update and delete with ETags, list), CloudFront
/// Functions (create, describe, get, update, publish, delete, list), invalidations (create, get, list)
/// and resource tags (tag, untag, list), every request verified with AWS Signature Version 4. It speaks REST-XML as CloudFront does: bodies in the
/// CloudFront namespace, <c>ErrorResponse</c> errors with the model's HTTP statuses,
/// <c>x-amzn-RequestId</c> and <c>ETag</c> headers. Distribution configs are kept as the XML the
/// client sent, validated and echoed back. Deployments and invalidations finish after a delay on the
/// emulator's clock (computed when asked; no timers).
/// </summary>
public sealed class CloudFrontEmulator
{
    private const string Prefix = "/" + ApiVersion;
    private const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Deployed = "Deployed";
    private const string InProgress = "InProgress";
    private const string Completed = "Completed";
    private const string Development = "DEVELOPMENT";
    private const string Live = "LIVE";
    private const int MaxTags = 50;

    private readonly object _gate = new();
    private readonly Dictionary<string, Distribution> _distributions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Function> _functions = new(StringComparer.Ordinal);
    private readonly List<Invalidation> _invalidations = [];
    private readonly HashSet<string> _issued = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _deployDelay;
    private readonly Random _ids;
    private long _sequence;

    internal CloudFrontEmulator(CloudFrontEmulatorOptions options, TimeProvider time, int seed, Func<TimeSpan> deployDelay)
    {
        Options = options;
        _time = time;
        _deployDelay = deployDelay;
        _ids = new Random(seed);
        Faults = new VendorFaults(seed);
    }

    /// <summary>The options (credentials, delays, quotas).</summary>
    public CloudFrontEmulatorOptions Options { get; }

    /// <summary>The access key id to sign with.</summary>
    public string AccessKeyId => Options.AccessKeyId;

    /// <summary>The secret access key to sign with.</summary>
    public string SecretAccessKey => Options.SecretAccessKey;

    /// <summary>The AWS account id in ARNs.</summary>
    public string AccountId => Options.AccountId;

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
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                return [.. _distributions.Values.OrderBy(d => d.Sequence).Select(d => Snapshot(d, now))];
            }
        }
    }

    /// <summary>The CloudFront Functions held now, by name.</summary>
    public IReadOnlyList<CloudFrontFunctionSnapshot> Functions
    {
        get
        {
            lock (_gate)
            {
                return [.. _functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => new CloudFrontFunctionSnapshot(
                    f.Name,
                    FunctionArn(f.Name),
                    Text(f.DevelopmentConfig, "Runtime") ?? "",
                    Text(f.DevelopmentConfig, "Comment") ?? "",
                    f.DevelopmentCode.ToArray(),
                    f.DevelopmentETag,
                    f.LiveCode is null ? null : new ReadOnlyMemory<byte>(f.LiveCode.ToArray()),
                    f.LiveETag,
                    FunctionStatus(f)))];
            }
        }
    }

    /// <summary>Every invalidation accepted, oldest first (also those of distributions deleted since).</summary>
    public IReadOnlyList<CloudFrontInvalidationSnapshot> Invalidations
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                return [.. _invalidations.Select(i => new CloudFrontInvalidationSnapshot(i.DistributionId, i.Id, i.CallerReference, [.. i.Paths], InvalidationStatus(i, now), i.Created))];
            }
        }
    }

    /// <summary>The paths of every completed invalidation, in the order the invalidations were made.</summary>
    public IReadOnlyList<CloudFrontInvalidatedPath> InvalidatedPaths
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                return [.. _invalidations
                    .Where(i => InvalidationStatus(i, now) == Completed)
                    .SelectMany(i => i.Paths.Select(p => new CloudFrontInvalidatedPath(i.DistributionId, i.Id, p, i.Created + Options.InvalidationDelay)))];
            }
        }
    }

    /// <summary>One distribution now, or null.</summary>
    /// <param name="id">The distribution id.</param>
    /// <returns>The snapshot, or null when there is none.</returns>
    public CloudFrontDistributionSnapshot? GetDistribution(string id)
    {
        lock (_gate)
        {
            return _distributions.TryGetValue(id, out var d) ? Snapshot(d, _time.GetUtcNow()) : null;
        }
    }

    /// <summary>Removes every distribution, function and invalidation, and forgets the calls (credentials and faults stay).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _distributions.Clear();
            _functions.Clear();
            _invalidations.Clear();
        }

        Calls.Clear();
    }

    /// <summary>Whether a path belongs to the CloudFront API (every path starts with the API version).</summary>
    internal static bool Owns(PathString path) => path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    internal async Task HandleAsync(HttpContext context)
    {
        var status = await DispatchAsync(context).ConfigureAwait(false);
        Calls.Add(new EmulatorCall(context.Request.Method, context.Request.Path.Value ?? "", status));
    }

    private async Task<int> DispatchAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        context.Response.Headers.Date = _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        var fault = Faults.Decide();
        if (Faults.AddedLatency > TimeSpan.Zero)
        {
            await Task.Delay(Faults.AddedLatency, _time, context.RequestAborted).ConfigureAwait(false);
        }

        switch (fault.Kind)
        {
            case FaultKind.Reset:
                context.Abort();
                return 0;
            case FaultKind.RateLimited:
                return await ErrorAsync(context, new CloudFrontError("Throttling", "Rate exceeded"), requestId).ConfigureAwait(false);
            case FaultKind.Status:
                return await ErrorAsync(context, InjectedFault(fault.Status), requestId).ConfigureAwait(false);
        }

        try
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            SigV4Verifier.Verify(context.Request, body, Options, _time.GetUtcNow());
            var reply = Route(context.Request, body);
            return await WriteAsync(context, reply).ConfigureAwait(false);
        }
        catch (CloudFrontError e)
        {
            return await ErrorAsync(context, e, requestId).ConfigureAwait(false);
        }
    }

    private static CloudFrontError InjectedFault(int status) => status switch
    {
        500 => new CloudFrontError("InternalFailure", "We encountered an internal error. Please try again. (injected fault)"),
        >= 500 => new CloudFrontError("ServiceUnavailable", "Service is unable to handle request. (injected fault)") { Status = status },
        400 or 429 => new CloudFrontError("Throttling", "Rate exceeded"),
        403 => new CloudFrontError("AccessDenied", "Access denied. (injected fault)"),
        _ => new CloudFrontError("InvalidArgument", "Injected fault.") { Status = status },
    };

    private Reply Route(HttpRequest request, byte[] body)
    {
        var path = request.Path.Value ?? "";
        var s = path[Prefix.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var method = request.Method;
        var get = HttpMethods.IsGet(method);
        var post = HttpMethods.IsPost(method);
        var put = HttpMethods.IsPut(method);
        var delete = HttpMethods.IsDelete(method);
        return s switch
        {
            ["distribution"] when get => ListDistributions(request),
            ["distribution"] when post => CreateDistribution(request, body),
            ["distribution", var id] when get => GetDistribution(id, configOnly: false),
            ["distribution", var id] when delete => DeleteDistribution(request, id),
            ["distribution", var id, "config"] when get => GetDistribution(id, configOnly: true),
            ["distribution", var id, "config"] when put => UpdateDistribution(request, id, body),
            ["distribution", var id, "invalidation"] when get => ListInvalidations(request, id),
            ["distribution", var id, "invalidation"] when post => CreateInvalidation(request, id, body),
            ["distribution", var id, "invalidation", var invalidation] when get => GetInvalidation(id, invalidation),
            ["function"] when get => ListFunctions(request),
            ["function"] when post => CreateFunction(request, body),
            ["function", var name] when get => GetFunctionCode(request, name),
            ["function", var name] when put => UpdateFunction(request, name, body),
            ["function", var name] when delete => DeleteFunction(request, name),
            ["function", var name, "describe"] when get => DescribeFunction(request, name),
            ["function", var name, "publish"] when post => PublishFunction(request, name),
            ["tagging"] when get => ListTags(request),
            ["tagging"] when post => ChangeTags(request, body),
            _ => throw new CloudFrontError("NoSuchResource", $"The emulated CloudFront API has no operation {method} {path}."),
        };
    }

    // ---- Distributions ----------------------------------------------------------------------

    private Reply CreateDistribution(HttpRequest request, byte[] body)
    {
        XElement config;
        List<KeyValuePair<string, string>> tags = [];
        if (request.Query.ContainsKey("WithTags"))
        {
            var withTags = ParseBody(body, "DistributionConfigWithTags");
            CloudFrontSchema.Validate(withTags, "DistributionConfigWithTags");
            config = new XElement(withTags.Element(Ns + "DistributionConfig")!);
            tags = ReadTags(withTags.Element(Ns + "Tags")!);
        }
        else
        {
            config = ParseBody(body, "DistributionConfig");
            CloudFrontSchema.Validate(config, "DistributionConfig");
        }

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var callerReference = Text(config, "CallerReference")!;
            if (_distributions.Values.FirstOrDefault(d => d.CallerReference == callerReference) is { } existing)
            {
                throw new CloudFrontError(
                    "DistributionAlreadyExists",
                    $"The caller reference that you are using to create a distribution is associated with another distribution. Already exists: {existing.Id}");
            }

            CheckConfig(config, self: null);
            var id = NewId('E');
            var distribution = new Distribution(
                id,
                Arn("distribution/" + id),
                $"d{NewToken(13).ToLowerInvariant()}.{Options.DomainSuffix}",
                callerReference,
                ++_sequence)
            {
                Config = config,
                ETag = NewId('E'),
                ChangedAt = now,
            };
            SetTags(distribution.Tags, tags);
            _distributions.Add(id, distribution);
            return new Reply(201, DistributionXml(distribution, now), distribution.ETag, LocationOf(request, "distribution/" + id));
        }
    }

    private Reply GetDistribution(string id, bool configOnly)
    {
        lock (_gate)
        {
            var d = FindDistribution(id);
            return new Reply(200, configOnly ? new XElement(d.Config) : DistributionXml(d, _time.GetUtcNow()), d.ETag);
        }
    }

    private Reply UpdateDistribution(HttpRequest request, string id, byte[] body)
    {
        var config = ParseBody(body, "DistributionConfig");
        CloudFrontSchema.Validate(config, "DistributionConfig");
        lock (_gate)
        {
            var d = FindDistribution(id);
            CheckIfMatch(request, d.ETag);
            if (Text(config, "CallerReference") != d.CallerReference)
            {
                throw new CloudFrontError("IllegalUpdate", "The update contains modifications that are not allowed: the CallerReference of a distribution cannot change.");
            }

            CheckConfig(config, d);
            var now = _time.GetUtcNow();
            d.Config = config;
            d.ETag = NewId('E');
            d.ChangedAt = now;
            return new Reply(200, DistributionXml(d, now), d.ETag);
        }
    }

    private Reply DeleteDistribution(HttpRequest request, string id)
    {
        lock (_gate)
        {
            var d = FindDistribution(id);
            CheckIfMatch(request, d.ETag);
            if (IsEnabled(d.Config) || DistributionStatus(d, _time.GetUtcNow()) != Deployed)
            {
                throw new CloudFrontError("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.");
            }

            _distributions.Remove(id);
            return new Reply(204);
        }
    }

    private Reply ListDistributions(HttpRequest request)
    {
        var (marker, maxItems) = Paging(request);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var after = _distributions.Values
                .Where(d => marker.Length == 0 || string.CompareOrdinal(d.Id, marker) > 0)
                .OrderBy(d => d.Id, StringComparer.Ordinal)
                .ToList();
            var page = after.Take(maxItems).ToList();
            var truncated = after.Count > page.Count;
            return new Reply(200, E(
                "DistributionList",
                E("Marker", marker),
                truncated ? E("NextMarker", page.Count > 0 ? page[^1].Id : marker) : null,
                E("MaxItems", Int(maxItems)),
                E("IsTruncated", Bool(truncated)),
                E("Quantity", Int(page.Count)),
                page.Count > 0 ? E("Items", page.Select(d => Summary(d, now))) : null));
        }
    }

    /// <summary>The checks CloudFront makes beyond the schema: references, quotas, value rules.</summary>
    private void CheckConfig(XElement config, Distribution? self)
    {
        var comment = Text(config, "Comment") ?? "";
        if (comment.Length > 128)
        {
            throw new CloudFrontError("InvalidArgument", "The parameter Comment is too long: at most 128 characters.");
        }

        if (Text(config, "DefaultRootObject") is { Length: > 0 } root && (root.StartsWith('/') || root.Length > 255))
        {
            throw new CloudFrontError("InvalidDefaultRootObject", "The default root object you specified is invalid.");
        }

        var origins = Items(config.Element(Ns + "Origins")).ToList();
        if (origins.Count == 0)
        {
            throw Malformed("Origins must hold at least one Origin.");
        }

        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in origins)
        {
            var originId = Text(origin, "Id") ?? "";
            if (!targets.Add(originId))
            {
                throw new CloudFrontError("InvalidArgument", $"The parameter origin Id must be unique: '{originId}' is used by more than one origin.");
            }
        }

        foreach (var group in Items(config.Element(Ns + "OriginGroups")))
        {
            targets.Add(Text(group, "Id") ?? "");
        }

        var cacheBehaviors = Items(config.Element(Ns + "CacheBehaviors")).ToList();
        if (cacheBehaviors.Count > Options.MaxCacheBehaviorsPerDistribution)
        {
            throw new CloudFrontError("TooManyCacheBehaviors", $"Your request contains more cache behaviors than are allowed per distribution ({Options.MaxCacheBehaviorsPerDistribution}).");
        }

        foreach (var behavior in cacheBehaviors.Prepend(config.Element(Ns + "DefaultCacheBehavior")!))
        {
            var target = Text(behavior, "TargetOriginId");
            if (target is null || !targets.Contains(target))
            {
                throw new CloudFrontError("NoSuchOrigin", $"One or more of your origins or origin groups do not exist: TargetOriginId '{target}'.");
            }

            CheckTtlOrder(behavior);
            CheckFunctionAssociations(behavior);
        }

        CheckAliases(config, self);
        CheckGeoRestriction(config);
    }

    private static void CheckTtlOrder(XElement behavior)
    {
        long? Ttl(string name) => Text(behavior, name) is { } text ? long.Parse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;
        var (min, @default, max) = (Ttl("MinTTL"), Ttl("DefaultTTL"), Ttl("MaxTTL"));
        if (min > @default || min > max || @default > max || min < 0)
        {
            throw new CloudFrontError("InvalidTTLOrder", $"The TTL order specified in CacheBehavior is not valid: MinTTL {min}, DefaultTTL {@default}, MaxTTL {max}.");
        }
    }

    private void CheckFunctionAssociations(XElement behavior)
    {
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var association in Items(behavior.Element(Ns + "FunctionAssociations")))
        {
            var arn = Text(association, "FunctionARN") ?? "";
            var eventType = Text(association, "EventType") ?? "";
            if (eventType is not ("viewer-request" or "viewer-response"))
            {
                throw new CloudFrontError("InvalidFunctionAssociation", $"A CloudFront function can only be associated with viewer-request or viewer-response, not {eventType}.");
            }

            if (!events.Add(eventType))
            {
                throw new CloudFrontError("InvalidFunctionAssociation", $"A cache behavior can have only one function association for {eventType}.");
            }

            var prefix = FunctionArn("");
            var function = arn.StartsWith(prefix, StringComparison.Ordinal) ? _functions.GetValueOrDefault(arn[prefix.Length..]) : null;
            if (function?.LiveCode is null)
            {
                throw new CloudFrontError("InvalidFunctionAssociation", $"The function ARN '{arn}' does not name a function published to the LIVE stage.");
            }
        }
    }

    private void CheckAliases(XElement config, Distribution? self)
    {
        var aliases = Aliases(config);
        if (aliases.Count > Options.MaxAliasesPerDistribution)
        {
            throw new CloudFrontError("TooManyDistributionCNAMEs", $"Your request contains more CNAMEs than are allowed per distribution ({Options.MaxAliasesPerDistribution}).");
        }

        var unique = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var alias in aliases)
        {
            if (!unique.Add(alias))
            {
                throw new CloudFrontError("InvalidArgument", $"The CNAME '{alias}' is listed more than once.");
            }
        }

        foreach (var other in _distributions.Values)
        {
            if (other != self && Aliases(other.Config).FirstOrDefault(unique.Contains) is { } taken)
            {
                throw new CloudFrontError("CNAMEAlreadyExists", $"One or more of the CNAMEs you provided are already associated with a different resource: {taken}.");
            }
        }

        if (aliases.Count == 0)
        {
            return;
        }

        var certificate = config.Element(Ns + "ViewerCertificate");
        var acm = certificate is null ? null : Text(certificate, "ACMCertificateArn");
        var iam = certificate is null ? null : Text(certificate, "IAMCertificateId");
        if (string.IsNullOrEmpty(acm) && string.IsNullOrEmpty(iam))
        {
            throw new CloudFrontError(
                "InvalidViewerCertificate",
                "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name.");
        }

        if (!string.IsNullOrEmpty(acm) && !acm.StartsWith("arn:aws:acm:us-east-1:", StringComparison.Ordinal))
        {
            throw new CloudFrontError(
                "InvalidViewerCertificate",
                "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.");
        }
    }

    private static void CheckGeoRestriction(XElement config)
    {
        if (config.Element(Ns + "Restrictions")?.Element(Ns + "GeoRestriction") is not { } geo)
        {
            return;
        }

        var type = Text(geo, "RestrictionType");
        var locations = Items(geo).Select(l => l.Value).ToList();
        if ((type == "none") != (locations.Count == 0))
        {
            throw new CloudFrontError(
                "InvalidGeoRestrictionParameter",
                $"The specified geo restriction parameter is not valid: RestrictionType {type} with {locations.Count} locations.");
        }

        foreach (var location in locations)
        {
            if (location.Length != 2 || !char.IsAsciiLetterUpper(location[0]) || !char.IsAsciiLetterUpper(location[1]))
            {
                throw new CloudFrontError("InvalidLocationCode", $"The location code specified is not valid: '{location}'.");
            }
        }
    }

    private XElement DistributionXml(Distribution d, DateTimeOffset now)
    {
        var aliases = Aliases(d.Config);
        return E(
            "Distribution",
            E("Id", d.Id),
            E("ARN", d.Arn),
            E("Status", DistributionStatus(d, now)),
            E("LastModifiedTime", Timestamp(d.ChangedAt)),
            E("InProgressInvalidationBatches", Int(InProgressInvalidations(d.Id, now))),
            E("DomainName", d.DomainName),
            E("ActiveTrustedSigners", E("Enabled", "false"), E("Quantity", "0")),
            E("ActiveTrustedKeyGroups", E("Enabled", "false"), E("Quantity", "0")),
            new XElement(d.Config),
            IcpRecordals(aliases));
    }

    /// <summary>A <c>DistributionSummary</c>, members in the model's order; required ones the config omits get CloudFront's defaults.</summary>
    private XElement Summary(Distribution d, DateTimeOffset now)
    {
        var c = d.Config;
        XElement Copy(string name, Func<XElement> fallback) => c.Element(Ns + name) is { } e ? new XElement(e) : fallback();
        XElement? CopyIfAny(string name) => c.Element(Ns + name) is { } e ? new XElement(e) : null;
        XElement Empty(string name) => E(name, E("Quantity", "0"));
        return E(
            "DistributionSummary",
            E("Id", d.Id),
            E("ARN", d.Arn),
            E("ETag", d.ETag),
            E("Status", DistributionStatus(d, now)),
            E("LastModifiedTime", Timestamp(d.ChangedAt)),
            E("DomainName", d.DomainName),
            Copy("Aliases", () => Empty("Aliases")),
            Copy("Origins", () => Empty("Origins")),
            Copy("OriginGroups", () => Empty("OriginGroups")),
            Copy("DefaultCacheBehavior", () => E("DefaultCacheBehavior")),
            Copy("CacheBehaviors", () => Empty("CacheBehaviors")),
            Copy("CustomErrorResponses", () => Empty("CustomErrorResponses")),
            E("Comment", Text(c, "Comment") ?? ""),
            E("PriceClass", Text(c, "PriceClass") ?? "PriceClass_All"),
            E("Enabled", Bool(IsEnabled(c))),
            Copy("ViewerCertificate", () => E(
                "ViewerCertificate",
                E("CloudFrontDefaultCertificate", "true"),
                E("SSLSupportMethod", "vip"),
                E("MinimumProtocolVersion", "TLSv1"),
                E("CertificateSource", "cloudfront"))),
            Copy("Restrictions", () => E("Restrictions", E("GeoRestriction", E("RestrictionType", "none"), E("Quantity", "0")))),
            E("WebACLId", Text(c, "WebACLId") ?? ""),
            E("HttpVersion", Text(c, "HttpVersion") ?? "http2"),
            E("IsIPV6Enabled", Text(c, "IsIPV6Enabled") ?? "false"),
            IcpRecordals(Aliases(c)),
            E("Staging", Text(c, "Staging") ?? "false"),
            CopyIfAny("ConnectionMode"),
            CopyIfAny("AnycastIpListId"),
            CopyIfAny("ViewerMtlsConfig"),
            CopyIfAny("ConnectionFunctionAssociation"));
    }

    private static XElement? IcpRecordals(List<string> aliases) =>
        aliases.Count == 0 ? null : E("AliasICPRecordals", aliases.Select(a => E("AliasICPRecordal", E("CNAME", a), E("ICPRecordalStatus", "APPROVED"))));

    private CloudFrontDistributionSnapshot Snapshot(Distribution d, DateTimeOffset now) =>
        new(d.Id, d.Arn, d.DomainName, d.ETag, DistributionStatus(d, now), IsEnabled(d.Config), d.CallerReference, d.ChangedAt, new XElement(d.Config), new Dictionary<string, string>(d.Tags, StringComparer.Ordinal));

    private string DistributionStatus(Distribution d, DateTimeOffset now) => now - d.ChangedAt >= _deployDelay() ? Deployed : InProgress;

    private Distribution FindDistribution(string id) =>
        _distributions.GetValueOrDefault(id) ?? throw new CloudFrontError("NoSuchDistribution", "The specified distribution does not exist.");

    private static bool IsEnabled(XElement config) => Text(config, "Enabled")?.Trim() == "true";

    private static List<string> Aliases(XElement config) => [.. Items(config.Element(Ns + "Aliases")).Select(a => a.Value.Trim())];

    private static IEnumerable<XElement> Items(XElement? list) => list?.Element(Ns + "Items")?.Elements() ?? [];

    // ---- Invalidations ----------------------------------------------------------------------

    private Reply CreateInvalidation(HttpRequest request, string distributionId, byte[] body)
    {
        var batch = ParseBody(body, "InvalidationBatch");
        CloudFrontSchema.Validate(batch, "InvalidationBatch");
        var callerReference = Text(batch, "CallerReference")!;
        var paths = Items(batch.Element(Ns + "Paths")).Select(p => p.Value).ToList();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var d = FindDistribution(distributionId);
            if (_invalidations.FirstOrDefault(i => i.DistributionId == d.Id && i.CallerReference == callerReference) is { } existing)
            {
                if (existing.Paths.Order(StringComparer.Ordinal).SequenceEqual(paths.Order(StringComparer.Ordinal), StringComparer.Ordinal))
                {
                    return new Reply(201, InvalidationXml(existing, now), Location: LocationOf(request, $"distribution/{d.Id}/invalidation/{existing.Id}"));
                }

                throw new CloudFrontError(
                    "InvalidationBatchAlreadyExists",
                    $"An invalidation batch with the caller reference '{callerReference}' already exists ({existing.Id}) with different paths.");
            }

            CheckPaths(paths, d);
            var wildcards = paths.Count(IsWildcard);
            var files = paths.Count - wildcards;
            var inProgress = _invalidations.Where(i => i.DistributionId == d.Id && InvalidationStatus(i, now) == InProgress).SelectMany(i => i.Paths).ToList();
            var wildcardsInProgress = inProgress.Count(IsWildcard);
            if (wildcards > 0 && wildcardsInProgress + wildcards > Options.MaxWildcardInvalidationPathsInProgress)
            {
                throw new CloudFrontError(
                    "TooManyInvalidationsInProgress",
                    $"Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations ({Options.MaxWildcardInvalidationPathsInProgress}); {wildcardsInProgress} are in progress.");
            }

            if (files > 0 && inProgress.Count - wildcardsInProgress + files > Options.MaxInvalidationPathsInProgress)
            {
                throw new CloudFrontError(
                    "TooManyInvalidationsInProgress",
                    $"Processing your request will cause you to exceed the maximum number of in-progress file invalidations ({Options.MaxInvalidationPathsInProgress}); {inProgress.Count - wildcardsInProgress} are in progress.");
            }

            var invalidation = new Invalidation(d.Id, NewId('I'), callerReference, paths, now, ++_sequence);
            _invalidations.Add(invalidation);
            return new Reply(201, InvalidationXml(invalidation, now), Location: LocationOf(request, $"distribution/{d.Id}/invalidation/{invalidation.Id}"));
        }
    }

    private void CheckPaths(List<string> paths, Distribution d)
    {
        if (paths.Count == 0)
        {
            throw new CloudFrontError("InvalidArgument", "Your request contains no paths to invalidate.");
        }

        if (paths.Count > Options.MaxInvalidationPathsInProgress)
        {
            throw new CloudFrontError("BatchTooLarge", $"Invalidation batch specified is too large: {paths.Count} paths, at most {Options.MaxInvalidationPathsInProgress}.");
        }

        var tagsAllowed = !string.IsNullOrEmpty(d.Config.Element(Ns + "CacheTagConfig") is { } tags ? Text(tags, "HeaderName") : null);
        foreach (var path in paths)
        {
            if (path.StartsWith('#'))
            {
                if (!tagsAllowed)
                {
                    throw new CloudFrontError("InvalidArgument", $"Cannot invalidate the cache tag '{path}': the distribution has no CacheTagConfig.");
                }

                var tag = path[1..];
                if (tag.Length is 0 or > 256 || tag.Any(ch => ch < 33 || ch > 126 || ch is ',' or '*'))
                {
                    throw new CloudFrontError("InvalidArgument", $"The cache tag '{path}' is not valid: 1 to 256 printable ASCII characters, no comma, no wildcard.");
                }

                continue;
            }

            var star = path.IndexOf('*', StringComparison.Ordinal);
            if (!path.StartsWith('/') || (star >= 0 && star != path.Length - 1))
            {
                throw new CloudFrontError("InvalidArgument", $"Your request contains one or more invalid invalidation paths: '{path}'. A path starts with '/' and may end with a single '*'.");
            }
        }
    }

    private Reply GetInvalidation(string distributionId, string id)
    {
        lock (_gate)
        {
            var d = FindDistribution(distributionId);
            var invalidation = _invalidations.FirstOrDefault(i => i.DistributionId == d.Id && i.Id == id)
                ?? throw new CloudFrontError("NoSuchInvalidation", "The specified invalidation does not exist.");
            return new Reply(200, InvalidationXml(invalidation, _time.GetUtcNow()));
        }
    }

    private Reply ListInvalidations(HttpRequest request, string distributionId)
    {
        var (marker, maxItems) = Paging(request);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var d = FindDistribution(distributionId);
            var all = _invalidations.Where(i => i.DistributionId == d.Id).OrderByDescending(i => i.Sequence).ToList();
            var start = 0;
            if (marker.Length > 0)
            {
                var index = all.FindIndex(i => i.Id == marker);
                start = index >= 0 ? index + 1 : throw new CloudFrontError("InvalidArgument", $"The marker '{marker}' names no invalidation of this distribution.");
            }

            var page = all.Skip(start).Take(maxItems).ToList();
            var truncated = all.Count - start > page.Count;
            return new Reply(200, E(
                "InvalidationList",
                E("Marker", marker),
                truncated ? E("NextMarker", page.Count > 0 ? page[^1].Id : marker) : null,
                E("MaxItems", Int(maxItems)),
                E("IsTruncated", Bool(truncated)),
                E("Quantity", Int(page.Count)),
                page.Count > 0
                    ? E("Items", page.Select(i => E("InvalidationSummary", E("Id", i.Id), E("CreateTime", Timestamp(i.Created)), E("Status", InvalidationStatus(i, now)))))
                    : null));
        }
    }

    private XElement InvalidationXml(Invalidation i, DateTimeOffset now) => E(
        "Invalidation",
        E("Id", i.Id),
        E("Status", InvalidationStatus(i, now)),
        E("CreateTime", Timestamp(i.Created)),
        E(
            "InvalidationBatch",
            E("Paths", E("Quantity", Int(i.Paths.Count)), E("Items", i.Paths.Select(p => E("Path", p)))),
            E("CallerReference", i.CallerReference)));

    private string InvalidationStatus(Invalidation i, DateTimeOffset now) => now - i.Created >= Options.InvalidationDelay ? Completed : InProgress;

    private int InProgressInvalidations(string distributionId, DateTimeOffset now) =>
        _invalidations.Count(i => i.DistributionId == distributionId && InvalidationStatus(i, now) == InProgress);

    private static bool IsWildcard(string path) => path.EndsWith('*');

    // ---- Functions --------------------------------------------------------------------------

    private Reply CreateFunction(HttpRequest request, byte[] body)
    {
        var create = ParseBody(body, "CreateFunctionRequest");
        CloudFrontSchema.Validate(create, "CreateFunctionRequest");
        var name = Text(create, "Name")!;
        if (name.Length is 0 or > 64 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            throw new CloudFrontError("InvalidArgument", $"The function name '{name}' is not valid: 1 to 64 characters of a-z, A-Z, 0-9, '-' and '_'.");
        }

        var config = FunctionConfig(create);
        var code = FunctionCode(create);
        var tags = create.Element(Ns + "Tags") is { } tagElement ? ReadTags(tagElement) : [];
        lock (_gate)
        {
            if (_functions.ContainsKey(name))
            {
                throw new CloudFrontError("FunctionAlreadyExists", $"A function with the name '{name}' already exists in this AWS account.");
            }

            var now = _time.GetUtcNow();
            var function = new Function(name, now)
            {
                DevelopmentConfig = config,
                DevelopmentCode = code,
                DevelopmentETag = NewId('E'),
                DevelopmentModified = now,
            };
            SetTags(function.Tags, tags);
            _functions.Add(name, function);
            return new Reply(201, FunctionSummary(function, Development), function.DevelopmentETag, LocationOf(request, "function/" + FunctionArn(name)));
        }
    }

    private Reply DescribeFunction(HttpRequest request, string name)
    {
        var stage = Stage(request, Development)!;
        lock (_gate)
        {
            var function = FindFunction(name, stage);
            return new Reply(200, FunctionSummary(function, stage), stage == Live ? function.LiveETag : function.DevelopmentETag);
        }
    }

    private Reply GetFunctionCode(HttpRequest request, string name)
    {
        var stage = Stage(request, Development)!;
        lock (_gate)
        {
            var function = FindFunction(name, stage);
            var code = stage == Live ? function.LiveCode! : function.DevelopmentCode;
            return new Reply(200, ETag: stage == Live ? function.LiveETag : function.DevelopmentETag, Raw: code);
        }
    }

    private Reply UpdateFunction(HttpRequest request, string name, byte[] body)
    {
        var update = ParseBody(body, "UpdateFunctionRequest");
        CloudFrontSchema.Validate(update, "UpdateFunctionRequest");
        var config = FunctionConfig(update);
        var code = FunctionCode(update);
        lock (_gate)
        {
            var function = FindFunction(name, Development);
            CheckIfMatch(request, function.DevelopmentETag);
            function.DevelopmentConfig = config;
            function.DevelopmentCode = code;
            function.DevelopmentETag = NewId('E');
            function.DevelopmentModified = _time.GetUtcNow();
            return new Reply(200, FunctionSummary(function, Development), function.DevelopmentETag);
        }
    }

    private Reply PublishFunction(HttpRequest request, string name)
    {
        lock (_gate)
        {
            var function = FindFunction(name, Development);
            CheckIfMatch(request, function.DevelopmentETag);
            function.LiveConfig = new XElement(function.DevelopmentConfig);
            function.LiveCode = function.DevelopmentCode;
            function.LiveETag = NewId('E');
            function.LiveModified = _time.GetUtcNow();
            return new Reply(200, FunctionSummary(function, Live));
        }
    }

    private Reply DeleteFunction(HttpRequest request, string name)
    {
        lock (_gate)
        {
            var function = FindFunction(name, Development);
            var ifMatch = request.Headers.IfMatch.ToString();
            if (ifMatch.Length == 0)
            {
                throw InvalidIfMatch();
            }

            if (ifMatch != function.DevelopmentETag && ifMatch != function.LiveETag)
            {
                throw PreconditionFailed();
            }

            if (IsAssociated(name))
            {
                throw new CloudFrontError("FunctionInUse", "Cannot delete the function because it's attached to one or more cache behaviors.");
            }

            _functions.Remove(name);
            return new Reply(204);
        }
    }

    private Reply ListFunctions(HttpRequest request)
    {
        var (marker, maxItems) = Paging(request);
        var stage = Stage(request, null);
        lock (_gate)
        {
            var entries = _functions.Values
                .SelectMany(f => new[] { (Function: f, Stage: Development), (Function: f, Stage: Live) })
                .Where(e => (stage is null || e.Stage == stage) && (e.Stage == Development || e.Function.LiveCode is not null))
                .Select(e => (e.Function, e.Stage, Key: e.Function.Name + "/" + e.Stage))
                .Where(e => marker.Length == 0 || string.CompareOrdinal(e.Key, marker) > 0)
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
            var page = entries.Take(maxItems).ToList();
            var truncated = entries.Count > page.Count;
            return new Reply(200, E(
                "FunctionList",
                truncated && page.Count > 0 ? E("NextMarker", page[^1].Key) : null,
                E("MaxItems", Int(maxItems)),
                E("Quantity", Int(page.Count)),
                page.Count > 0 ? E("Items", page.Select(e => FunctionSummary(e.Function, e.Stage))) : null));
        }
    }

    private XElement FunctionSummary(Function f, string stage) => E(
        "FunctionSummary",
        E("Name", f.Name),
        E("Status", FunctionStatus(f)),
        new XElement(stage == Live ? f.LiveConfig! : f.DevelopmentConfig),
        E(
            "FunctionMetadata",
            E("FunctionARN", FunctionArn(f.Name)),
            E("Stage", stage),
            E("CreatedTime", Timestamp(f.Created)),
            E("LastModifiedTime", Timestamp(stage == Live ? f.LiveModified : f.DevelopmentModified))));

    private string FunctionStatus(Function f) => f.LiveCode is null ? "UNPUBLISHED" : IsAssociated(f.Name) ? "DEPLOYED" : "UNASSOCIATED";

    private bool IsAssociated(string name)
    {
        var arn = FunctionArn(name);
        return _distributions.Values.Any(d => d.Config.Descendants(Ns + "FunctionARN").Any(e => e.Value.Trim() == arn));
    }

    private Function FindFunction(string name, string stage)
    {
        var function = _functions.GetValueOrDefault(name);
        return function is null || (stage == Live && function.LiveCode is null)
            ? throw new CloudFrontError("NoSuchFunctionExists", $"The function '{name}' does not exist{(stage == Live ? " in the LIVE stage" : "")}.")
            : function;
    }

    private static string? Stage(HttpRequest request, string? fallback)
    {
        var stage = request.Query["Stage"].ToString();
        return stage.Length == 0 ? fallback
            : stage is Development or Live ? stage
            : throw new CloudFrontError("InvalidArgument", $"Stage must be DEVELOPMENT or LIVE, not '{stage}'.");
    }

    private static XElement FunctionConfig(XElement request)
    {
        var config = new XElement(request.Element(Ns + "FunctionConfig")!);
        var runtime = Text(config, "Runtime");
        if (runtime is not ("cloudfront-js-1.0" or "cloudfront-js-2.0"))
        {
            throw new CloudFrontError("InvalidArgument", $"The runtime '{runtime}' is not supported: use cloudfront-js-1.0 or cloudfront-js-2.0.");
        }

        return config;
    }

    private byte[] FunctionCode(XElement request)
    {
        var text = Text(request, "FunctionCode")!.Trim();
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
        {
            throw Malformed("FunctionCode must be base64.");
        }

        if (length == 0)
        {
            throw new CloudFrontError("InvalidArgument", "FunctionCode must not be empty.");
        }

        if (length > Options.MaxFunctionCodeSize)
        {
            throw new CloudFrontError("FunctionSizeLimitExceeded", $"The function is too large: {length} bytes, at most {Options.MaxFunctionCodeSize}.");
        }

        return buffer[..length];
    }

    private string FunctionArn(string name) => Arn("function/" + name);

    // ---- Tags -------------------------------------------------------------------------------

    private Reply ListTags(HttpRequest request)
    {
        lock (_gate)
        {
            var tags = TagsOf(request);
            return new Reply(200, E("Tags", E("Items", tags.Select(t => E("Tag", E("Key", t.Key), E("Value", t.Value))))));
        }
    }

    private Reply ChangeTags(HttpRequest request, byte[] body)
    {
        var operation = request.Query["Operation"].ToString();
        if (operation is not ("Tag" or "Untag"))
        {
            throw new CloudFrontError("InvalidArgument", $"Operation must be Tag or Untag, not '{operation}'.");
        }

        var root = ParseBody(body, operation == "Tag" ? "Tags" : "TagKeys");
        CloudFrontSchema.Validate(root, root.Name.LocalName);
        var tags = operation == "Tag" ? ReadTags(root) : [];
        lock (_gate)
        {
            var target = TagsOf(request);
            if (operation == "Tag")
            {
                SetTags(target, tags);
            }
            else
            {
                foreach (var key in Items(root))
                {
                    target.Remove(key.Value);
                }
            }

            return new Reply(204);
        }
    }

    /// <summary>The tags of the resource named by the <c>Resource</c> query parameter (a distribution or function ARN).</summary>
    private Dictionary<string, string> TagsOf(HttpRequest request)
    {
        var arn = request.Query["Resource"].ToString();
        var prefix = Arn("");
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new CloudFrontError("InvalidArgument", $"The resource '{arn}' is not a CloudFront ARN of this account.");
        }

        var resource = arn[prefix.Length..];
        var found = resource.StartsWith("distribution/", StringComparison.Ordinal) ? _distributions.GetValueOrDefault(resource["distribution/".Length..])?.Tags
            : resource.StartsWith("function/", StringComparison.Ordinal) ? _functions.GetValueOrDefault(resource["function/".Length..])?.Tags
            : null;
        return found ?? throw new CloudFrontError("NoSuchResource", $"The specified resource does not exist: {arn}.");
    }

    private static List<KeyValuePair<string, string>> ReadTags(XElement tags)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var tag in Items(tags))
        {
            var key = Text(tag, "Key")!;
            var value = Text(tag, "Value") ?? "";
            if (key.Length is 0 or > 128 || value.Length > 256 || !key.All(IsTagCharacter) || !value.All(IsTagCharacter))
            {
                throw new CloudFrontError("InvalidTagging", $"The tag '{key}' is not valid: keys have 1 to 128 characters, values up to 256, of letters, digits, spaces and _ . : / = + - @.");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new CloudFrontError("InvalidTagging", $"The tag key '{key}' is reserved: keys may not start with 'aws:'.");
            }

            result.Add(new(key, value));
        }

        return result;
    }

    private static bool IsTagCharacter(char c) => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c) || c is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@';

    private static void SetTags(Dictionary<string, string> target, List<KeyValuePair<string, string>> tags)
    {
        if (target.Keys.Union(tags.Select(t => t.Key), StringComparer.Ordinal).Count() > MaxTags)
        {
            throw new CloudFrontError("InvalidTagging", $"A resource can have at most {MaxTags} tags.");
        }

        foreach (var (key, value) in tags)
        {
            target[key] = value;
        }
    }

    // ---- Shared -----------------------------------------------------------------------------

    private string Arn(string resource) => $"arn:aws:cloudfront::{Options.AccountId}:{resource}";

    private static void CheckIfMatch(HttpRequest request, string? current)
    {
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0)
        {
            throw InvalidIfMatch();
        }

        if (ifMatch != current)
        {
            throw PreconditionFailed();
        }
    }

    private static CloudFrontError InvalidIfMatch() => new("InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.");

    private static CloudFrontError PreconditionFailed() => new("PreconditionFailed", "The precondition given in one or more of the request-header fields evaluated to false.");

    private static (string Marker, int MaxItems) Paging(HttpRequest request)
    {
        var marker = request.Query["Marker"].ToString();
        var raw = request.Query["MaxItems"].ToString();
        if (raw.Length == 0)
        {
            return (marker, 100);
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var maxItems) && maxItems > 0
            ? (marker, maxItems)
            : throw new CloudFrontError("InvalidArgument", $"MaxItems must be a positive integer, not '{raw}'.");
    }

    private static string LocationOf(HttpRequest request, string resource) => $"{request.Scheme}://{request.Host}{Prefix}/{resource}";

    /// <summary>A new unique id: the prefix and 13 upper-case letters or digits (CloudFront's shape); also used for ETags.</summary>
    private string NewId(char prefix)
    {
        string id;
        do
        {
            id = prefix + NewToken(13);
        }
        while (!_issued.Add(id));
        return id;
    }

    private string NewToken(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = IdAlphabet[_ids.Next(IdAlphabet.Length)];
        }

        return new string(chars);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static async Task<int> WriteAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.Status;
        if (reply.ETag is { } etag)
        {
            response.Headers.ETag = etag;
        }

        if (reply.Location is { } location)
        {
            response.Headers.Location = location;
        }

        if (reply.Xml is { } xml)
        {
            response.ContentType = "text/xml";
            await response.WriteAsync(Document(xml), Utf8, context.RequestAborted).ConfigureAwait(false);
        }
        else if (reply.Raw is { } raw)
        {
            response.ContentType = "application/octet-stream";
            response.ContentLength = raw.Length;
            await response.Body.WriteAsync(raw, context.RequestAborted).ConfigureAwait(false);
        }

        return reply.Status;
    }

    private static async Task<int> ErrorAsync(HttpContext context, CloudFrontError error, string requestId)
    {
        if (context.Response.HasStarted)
        {
            return error.Status;
        }

        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync(ErrorDocument(error.Code, error.Message, error.Status, requestId), Utf8, context.RequestAborted).ConfigureAwait(false);
        return error.Status;
    }

    private sealed record Reply(int Status, XElement? Xml = null, string? ETag = null, string? Location = null, byte[]? Raw = null);

    private sealed class Distribution(string id, string arn, string domainName, string callerReference, long sequence)
    {
        public string Id { get; } = id;

        public string Arn { get; } = arn;

        public string DomainName { get; } = domainName;

        public string CallerReference { get; } = callerReference;

        public long Sequence { get; } = sequence;

        public required XElement Config { get; set; }

        public required string ETag { get; set; }

        public required DateTimeOffset ChangedAt { get; set; }

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Invalidation(string DistributionId, string Id, string CallerReference, List<string> Paths, DateTimeOffset Created, long Sequence);

    private sealed class Function(string name, DateTimeOffset created)
    {
        public string Name { get; } = name;

        public DateTimeOffset Created { get; } = created;

        public required XElement DevelopmentConfig { get; set; }

        public required byte[] DevelopmentCode { get; set; }

        public required string DevelopmentETag { get; set; }

        public required DateTimeOffset DevelopmentModified { get; set; }

        public XElement? LiveConfig { get; set; }

        public byte[]? LiveCode { get; set; }

        public string? LiveETag { get; set; }

        public DateTimeOffset LiveModified { get; set; }

        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
    }
}
