using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontState;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront.Resources;

/// <summary>
/// Invalidations: create, get, list (newest first). Paths start with <c>/</c> and may end with one
/// <c>*</c>; <c>#tag</c> paths need the distribution's <c>CacheTagConfig</c>. The in-progress quotas per
/// distribution (file and wildcard paths) and the batch size are enforced; a reused
/// <c>CallerReference</c> returns the existing invalidation when its paths are the same.
/// </summary>
internal sealed class InvalidationEndpoints(CloudFrontState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var invalidations = routes.MapGroup(Prefix + "/distribution/{id}/invalidation");
        invalidations.MapGet("", context => AnswerAsync(context, (request, _) => ListInvalidations(request, request.Route("id"))));
        invalidations.MapPost("", context => AnswerAsync(context, (request, body) => CreateInvalidation(request, request.Route("id"), body)));
        invalidations.MapGet("/{invalidation}", context => AnswerAsync(context, (request, _) => GetInvalidation(request.Route("id"), request.Route("invalidation"))));
    }

    private Reply CreateInvalidation(HttpRequest request, string distributionId, byte[] body)
    {
        var batch = ParseBody(body, "InvalidationBatch");
        CloudFrontSchema.Validate(batch, "InvalidationBatch");
        var callerReference = Text(batch, "CallerReference")!;
        var paths = Items(batch.Element(Ns + "Paths")).Select(p => p.Value).ToList();
        lock (state.Gate)
        {
            var now = state.Time.GetUtcNow();
            var d = state.FindDistribution(distributionId);
            if (state.Invalidations.FirstOrDefault(i => i.DistributionId == d.Id && i.CallerReference == callerReference) is { } existing)
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
            var inProgress = state.Invalidations.Where(i => i.DistributionId == d.Id && state.InvalidationStatus(i, now) == InProgress).SelectMany(i => i.Paths).ToList();
            var wildcardsInProgress = inProgress.Count(IsWildcard);
            if (wildcards > 0 && wildcardsInProgress + wildcards > state.Options.MaxWildcardInvalidationPathsInProgress)
            {
                throw new CloudFrontError(
                    "TooManyInvalidationsInProgress",
                    $"Processing your request will cause you to exceed the maximum number of in-progress wildcard invalidations ({state.Options.MaxWildcardInvalidationPathsInProgress}); {wildcardsInProgress} are in progress.");
            }

            if (files > 0 && inProgress.Count - wildcardsInProgress + files > state.Options.MaxInvalidationPathsInProgress)
            {
                throw new CloudFrontError(
                    "TooManyInvalidationsInProgress",
                    $"Processing your request will cause you to exceed the maximum number of in-progress file invalidations ({state.Options.MaxInvalidationPathsInProgress}); {inProgress.Count - wildcardsInProgress} are in progress.");
            }

            var invalidation = new CloudFrontInvalidation(d.Id, state.NewId('I'), callerReference, paths, now, state.NextSequence());
            state.Invalidations.Add(invalidation);
            return new Reply(201, InvalidationXml(invalidation, now), Location: LocationOf(request, $"distribution/{d.Id}/invalidation/{invalidation.Id}"));
        }
    }

    private void CheckPaths(List<string> paths, CloudFrontDistribution d)
    {
        if (paths.Count == 0)
        {
            throw new CloudFrontError("InvalidArgument", "Your request contains no paths to invalidate.");
        }

        if (paths.Count > state.Options.MaxInvalidationPathsInProgress)
        {
            throw new CloudFrontError("BatchTooLarge", $"CloudFrontInvalidation batch specified is too large: {paths.Count} paths, at most {state.Options.MaxInvalidationPathsInProgress}.");
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
        lock (state.Gate)
        {
            var d = state.FindDistribution(distributionId);
            var invalidation = state.Invalidations.FirstOrDefault(i => i.DistributionId == d.Id && i.Id == id)
                ?? throw new CloudFrontError("NoSuchInvalidation", "The specified invalidation does not exist.");
            return new Reply(200, InvalidationXml(invalidation, state.Time.GetUtcNow()));
        }
    }

    private Reply ListInvalidations(HttpRequest request, string distributionId)
    {
        var (marker, maxItems) = Paging(request);
        lock (state.Gate)
        {
            var now = state.Time.GetUtcNow();
            var d = state.FindDistribution(distributionId);
            var all = state.Invalidations.Where(i => i.DistributionId == d.Id).OrderByDescending(i => i.Sequence).ToList();
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
                    ? E("Items", page.Select(i => E("InvalidationSummary", E("Id", i.Id), E("CreateTime", Timestamp(i.Created)), E("Status", state.InvalidationStatus(i, now)))))
                    : null));
        }
    }

    private XElement InvalidationXml(CloudFrontInvalidation i, DateTimeOffset now) => E(
        "Invalidation",
        E("Id", i.Id),
        E("Status", state.InvalidationStatus(i, now)),
        E("CreateTime", Timestamp(i.Created)),
        E(
            "InvalidationBatch",
            E("Paths", E("Quantity", Int(i.Paths.Count)), E("Items", i.Paths.Select(p => E("Path", p)))),
            E("CallerReference", i.CallerReference)));

    private static bool IsWildcard(string path) => path.EndsWith('*');
}
