using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.Validation;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Purges as CloudFront invalidations, one batch per call under the composite's purge contract: the batch is split only
/// where CloudFront's per-invalidation limits require (3,000 paths, 15 wildcard paths); when CloudFront has no room in
/// flight the call fails at once with <see cref="CdnRateLimitedException"/> (never waiting, never resubmitting), and the
/// caller's resubmission is made harmless by the caller references.
/// </summary>
internal sealed class CloudFrontPurger
{
    public const int MaxPathsPerBatch = 3000;
    public const int MaxWildcardsPerBatch = 15;

    private readonly CloudFrontAccount _account;
    private readonly CloudFrontServiceReader _reader;
    private readonly CdnCapabilities _capabilities;

    public CloudFrontPurger(CloudFrontAccount account, CloudFrontServiceReader reader, CdnCapabilities capabilities)
    {
        _account = account;
        _reader = reader;
        _capabilities = capabilities;
    }

    /// <summary>Every problem with a purge request, before any call: the request's own rules and this provider's purge kinds.</summary>
    public List<ValidationProblem> Check(PurgeRequest request)
    {
        var problems = new List<ValidationProblem>(request.Validate());
        problems.AddRange(CapabilityChecker.CheckPurge(request, _capabilities, _account.Name));
        return problems;
    }

    /// <summary>Purges one batch of the service (see the class remarks).</summary>
    /// <exception cref="CdnValidationException">The request is invalid, or a tag purge on a distribution without a cache-tag header.</exception>
    /// <exception cref="CdnRateLimitedException">CloudFront has no room in flight; nothing more of the batch was submitted.</exception>
    public async Task<PurgeResult> PurgeAsync(ServiceReference service, PurgeRequest request, CancellationToken cancellationToken)
    {
        var problems = Check(request);
        if (problems.Count > 0)
        {
            throw new CdnValidationException(problems, CdnValidationException.PurgeRequestSubject);
        }

        var distribution = await _reader.FindAsync(service, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(service.ServiceId);
        if (request.Kind == PurgeKind.Tag && distribution.Config.CacheTagHeaderName is null)
        {
            throw new CdnValidationException([new ValidationProblem("/kind", $"Distribution {distribution.Id} has no cache-tag header (CacheTagConfig); update the service after setting CacheTagHeaderName to purge by tag.") { Provider = _account.Name, Remedy = "CloudFront:CacheTagHeaderName" }], CdnValidationException.PurgeRequestSubject);
        }

        var (paths, emulation) = InvalidationPaths(request);
        var batches = Batch(paths);
        var minute = _account.Time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var results = new List<PurgeBatchResult>(batches.Count);
        for (var b = 0; b < batches.Count; b++)
        {
            var reference = CallerReference(request.IdempotencyKey, distribution.Id, batches[b], minute, b);
            Invalidation invalidation;
            try
            {
                invalidation = await _account.Api.Invalidations.CreateAsync(distribution.Id, batches[b], reference, cancellationToken).ConfigureAwait(false);
            }
            catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "TooManyInvalidationsInProgress")
            {
                var accepted = results.Select(r => r.VendorPurgeId!).ToList();
                CloudFrontLog.InvalidationRefused(_account.Logger, distribution.Id, _account.Options.InvalidationRetryInterval, b, batches.Count);
                throw new CdnRateLimitedException(
                    _account.Name,
                    string.Create(CultureInfo.InvariantCulture, $"CloudFront has too many invalidations in progress on distribution {distribution.Id}; {b} of {batches.Count} invalidation(s) of this batch were accepted")
                        + (accepted.Count > 0 ? " (" + string.Join(", ", accepted) + ")" : "")
                        + ". Resubmit the same batch later: with the same IdempotencyKey (or within the same minute without one), the accepted invalidations are not repeated.",
                    _account.Options.InvalidationRetryInterval,
                    ex.Status,
                    ex.VendorErrorCode,
                    ex.RequestId,
                    ex);
            }

            CloudFrontLog.Invalidation(_account.Logger, distribution.Id, invalidation.Id, batches[b].Count);
            results.Add(new PurgeBatchResult(invalidation.Id, batches[b], invalidation.Status == "Completed"));
        }

        var ids = results.Select(r => r.VendorPurgeId!).ToList();
        var completed = results.All(r => r.Completed);
        return new PurgeResult
        {
            Provider = _account.Name,
            Items = request.Items,
            VendorPurgeIds = ids,
            Batches = results,
            Completed = completed,
            Emulation = emulation,
            Completion = completed ? null : CompletionOperation(distribution.Id, ids),
        };
    }

    /// <summary>An operation that completes when every invalidation has (reads only).</summary>
    public CloudFrontOperation<object?> CompletionOperation(string distributionId, IReadOnlyList<string> invalidationIds)
    {
        var id = new OperationId(_account.Name, OperationKind.Purge, distributionId + ":" + string.Join(',', invalidationIds)).ToString();
        var pending = new HashSet<string>(invalidationIds, StringComparer.Ordinal);
        return new CloudFrontOperation<object?>(id, async ct =>
        {
            foreach (var invalidationId in pending.ToList())
            {
                var invalidation = await _account.Api.Invalidations.GetAsync(distributionId, invalidationId, ct).ConfigureAwait(false)
                    ?? throw new CdnRequestFailedException(_account.Name, $"Invalidation '{invalidationId}' of distribution '{distributionId}' does not exist.", 404, CdnErrorCode.NotFound, isTransient: false);
                if (invalidation.Status == "Completed")
                {
                    pending.Remove(invalidationId);
                }
            }

            return pending.Count == 0
                ? OperationState<object?>.Success(null, "completed")
                : OperationState<object?>.Pending(string.Create(CultureInfo.InvariantCulture, $"{invalidationIds.Count - pending.Count} of {invalidationIds.Count} invalidation(s) completed"));
        }, _account.Options.PollingInterval, _account.Time);
    }

    /// <summary>Rebuilds the completion operation from the payload of its id (<c>distribution:invalidation,…</c>); null when malformed.</summary>
    public CloudFrontOperation<object?>? Resume(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || !parts[0].All(char.IsAsciiLetterOrDigit) || parts[1].Length == 0)
        {
            return null;
        }

        var ids = parts[1].Split(',');
        return ids.Any(i => i.Length == 0 || !i.All(char.IsAsciiLetterOrDigit)) ? null : CompletionOperation(parts[0], ids);
    }

    internal static (List<string> Paths, string? Emulation) InvalidationPaths(PurgeRequest request)
    {
        switch (request.Kind)
        {
            case PurgeKind.Url:
                var hosts = false;
                var paths = request.Items.Select(item =>
                {
                    var path = item;
                    if (!item.StartsWith('/'))
                    {
                        var uri = new Uri(item, UriKind.Absolute);
                        hosts = true;
                        path = uri.AbsolutePath;
                    }

                    return path.Replace("*", "%2A", StringComparison.Ordinal);
                }).Distinct(StringComparer.Ordinal).ToList();
                return (paths, hosts ? "URLs purged by path on the whole distribution (it serves every domain of the service)" : null);
            case PurgeKind.Prefix:
                return (request.Items.Select(p => (p.StartsWith('/') ? p : "/" + p).TrimEnd('*') + "*").Distinct(StringComparer.Ordinal).ToList(), "prefix as wildcard path '/prefix*'");
            case PurgeKind.Tag:
                return (request.Items.Select(t => "#" + t).ToList(), null);
            default:
                return (["/*"], null);
        }
    }

    /// <summary>Splits paths into invalidations of at most 3,000 paths and 15 wildcard paths, in order.</summary>
    internal static List<List<string>> Batch(IReadOnlyList<string> paths)
    {
        var batches = new List<List<string>>();
        var current = new List<string>();
        var wildcards = 0;
        foreach (var path in paths)
        {
            var wildcard = path.EndsWith('*');
            if (current.Count == MaxPathsPerBatch || (wildcard && wildcards == MaxWildcardsPerBatch))
            {
                batches.Add(current);
                current = [];
                wildcards = 0;
            }

            current.Add(path);
            wildcards += wildcard ? 1 : 0;
        }

        if (current.Count > 0)
        {
            batches.Add(current);
        }

        return batches;
    }

    /// <summary>
    /// The caller reference of invalidation <paramref name="index"/> of a batch: the request's idempotency key
    /// (suffixed <c>/2</c>, <c>/3</c>… when CloudFront's limits split the batch), so a resubmitted batch is answered with the
    /// invalidations already made; without a key, a hash of the distribution, the paths and the minute.
    /// </summary>
    /// <remarks>
    /// The derived reference keeps the minute on purpose. CloudFront remembers caller references for the distribution's
    /// lifetime, so a reference made of the paths alone would turn every later purge of the same paths into a no-op that
    /// returns the first invalidation: content changed again would never be purged. The minute bounds that window; the cost
    /// is that a retry crossing a minute boundary invalidates twice (one more invalidation, never a wrong cache). Callers
    /// that need exact idempotency pass <see cref="PurgeRequest.IdempotencyKey"/>, as the composite's purge operation does.
    /// </remarks>
    internal static string CallerReference(string? idempotencyKey, string distributionId, IReadOnlyList<string> paths, long minute, int index)
    {
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            return index == 0 ? idempotencyKey : idempotencyKey + "/" + (index + 1).ToString(CultureInfo.InvariantCulture);
        }

        var text = distributionId + "\n" + minute.ToString(CultureInfo.InvariantCulture) + "\n" + string.Join("\n", paths);
        return "poppy-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }
}
