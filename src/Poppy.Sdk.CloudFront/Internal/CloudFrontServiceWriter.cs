using System.Text.RegularExpressions;
using Poppy.Sdk.CloudFront.Internal.Api;
using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Deploys a <see cref="CloudFrontPlan"/>: publishes the plan's function, resolves the config with the published ARN
/// (<see cref="CloudFrontPlan.Resolve"/>), creates the distribution (converging the existing one when the caller reference
/// says a retried create got through) or replaces its config under If-Match, and refreshes the stamp and manifest tags.
/// Deletes are <see cref="CloudFrontDeleteOperation"/>.
/// </summary>
internal sealed class CloudFrontServiceWriter
{
    private const string StageTag = "poppy:stage";
    private readonly CloudFrontAccount _account;
    private readonly CloudFrontServiceReader _reader;

    public CloudFrontServiceWriter(CloudFrontAccount account, CloudFrontServiceReader reader)
    {
        _account = account;
        _reader = reader;
    }

    private CloudFrontApi Api => _account.Api;

    /// <summary>The tags plus <c>poppy:stage</c> (<c>created</c> or <c>updated</c>), which tells a first deployment from a later one while in progress.</summary>
    public static List<KeyValuePair<string, string>> WithStage(IReadOnlyList<KeyValuePair<string, string>> tags, string stage) =>
        [.. tags, KeyValuePair.Create(StageTag, stage)];

    /// <summary>Whether the tags say the distribution's first deployment is still the current one.</summary>
    public static bool IsFirstDeployment(IEnumerable<KeyValuePair<string, string>> tags) => tags.Any(t => t.Key == StageTag && t.Value == "created");

    /// <summary>Creates the service's distribution; an earlier attempt's distribution (same caller reference) is converged instead.</summary>
    public async Task<Distribution> CreateAsync(string serviceId, CloudFrontPlan plan, CancellationToken cancellationToken)
    {
        CloudFrontLog.Creating(_account.Logger, serviceId);
        var functionArn = await PublishFunctionAsync(serviceId, plan, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await Api.Distributions.CreateAsync(plan.Resolve(functionArn), WithStage(plan.Tags, "created"), cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "DistributionAlreadyExists")
        {
            // Same caller reference: this service's distribution exists (an earlier attempt got through). Converge it.
            var existingId = ExistingId(ex.Message) ?? (await _reader.FindByStampAsync(serviceId, cancellationToken).ConfigureAwait(false))?.Id
                ?? throw new CdnRequestFailedException(_account.Name, $"CloudFront says a distribution with caller reference '{serviceId}' exists, but none is stamped for this service.", 409, CdnErrorCode.Conflict, false, ex.VendorErrorCode, ex.RequestId, ex);
            CloudFrontLog.Converging(_account.Logger, serviceId, existingId);
            return await UpdateAsync(serviceId, existingId, plan, functionArn, "created", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Brings an existing distribution to the plan: publishes the function, then replaces the config.</summary>
    public async Task<Distribution> UpdateAsync(string serviceId, string distributionId, CloudFrontPlan plan, CancellationToken cancellationToken)
    {
        var functionArn = await PublishFunctionAsync(serviceId, plan, cancellationToken).ConfigureAwait(false);
        return await UpdateAsync(serviceId, distributionId, plan, functionArn, "updated", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or updates and publishes the plan's function when its live code differs; returns its ARN, or null when the plan has none.</summary>
    private async Task<string?> PublishFunctionAsync(string serviceId, CloudFrontPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Function is not { } function)
        {
            return null;
        }

        var name = function.Name;
        var comment = CloudFrontTranslator.Comment(serviceId);
        var development = await Api.Functions.DescribeAsync(name, "DEVELOPMENT", cancellationToken).ConfigureAwait(false);
        if (development is null)
        {
            Tagged<FunctionSummary> created;
            try
            {
                created = await Api.Functions.CreateAsync(name, comment, function.Code, cancellationToken).ConfigureAwait(false);
            }
            catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "FunctionAlreadyExists")
            {
                // Created by a concurrent attempt between our describe and create: take it over.
                var raced = await Api.Functions.DescribeAsync(name, "DEVELOPMENT", cancellationToken).ConfigureAwait(false)
                    ?? throw new CdnRequestFailedException(_account.Name, $"CloudFront says function '{name}' exists, but it cannot be described.", 409, CdnErrorCode.Conflict, isTransient: true, ex.VendorErrorCode, ex.RequestId, ex);
                created = await Api.Functions.UpdateAsync(name, _account.RequireETag(raced.ETag, "describe function"), comment, function.Code, cancellationToken).ConfigureAwait(false);
            }

            var arn = (await Api.Functions.PublishAsync(name, _account.RequireETag(created.ETag, "create function"), cancellationToken).ConfigureAwait(false)).FunctionArn;
            CloudFrontLog.FunctionPublished(_account.Logger, serviceId, name);
            return arn;
        }

        var live = await Api.Functions.GetCodeAsync(name, "LIVE", cancellationToken).ConfigureAwait(false);
        if (live == function.Code)
        {
            return development.Value.FunctionArn;
        }

        var updated = await Api.Functions.UpdateAsync(name, _account.RequireETag(development.ETag, "describe function"), comment, function.Code, cancellationToken).ConfigureAwait(false);
        var published = (await Api.Functions.PublishAsync(name, _account.RequireETag(updated.ETag, "update function"), cancellationToken).ConfigureAwait(false)).FunctionArn;
        CloudFrontLog.FunctionPublished(_account.Logger, serviceId, name);
        return published;
    }

    /// <summary>Replaces an existing distribution's config with the plan (If-Match; one re-read on 412), keeping members Poppy does not manage, and refreshes the manifest tags.</summary>
    private async Task<Distribution> UpdateAsync(string serviceId, string distributionId, CloudFrontPlan plan, string? functionArn, string stage, CancellationToken cancellationToken)
    {
        Distribution? updated = null;
        for (var attempt = 0; updated is null; attempt++)
        {
            var current = await Api.Distributions.GetConfigAsync(distributionId, cancellationToken).ConfigureAwait(false) ?? throw _account.NotFound(serviceId);
            _account.RequireOwned(serviceId, distributionId, current.Value);
            var config = plan.Resolve(functionArn);
            config.Preserved = current.Value.Preserved;
            config.CallerReference = current.Value.CallerReference;
            try
            {
                updated = (await Api.Distributions.UpdateConfigAsync(distributionId, config, _account.RequireETag(current.ETag, "get distribution config"), cancellationToken).ConfigureAwait(false)).Value;
            }
            catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.PreconditionFailed)
            {
                if (attempt > 0)
                {
                    throw new CdnRequestFailedException(_account.Name, $"Distribution {distributionId} changed twice while Poppy was updating it (HTTP 412 PreconditionFailed after a re-read); something else is editing it. Try again once it settles.", 412, CdnErrorCode.PreconditionFailed, isTransient: true, ex.VendorErrorCode, ex.RequestId, ex);
                }

                CloudFrontLog.PreconditionRetry(_account.Logger, distributionId);
            }
        }

        await RetagAsync(updated.Arn, WithStage(plan.Tags, stage), cancellationToken).ConfigureAwait(false);
        if (plan.Function is null)
        {
            await DeleteFunctionIfUnusedAsync(serviceId, cancellationToken).ConfigureAwait(false);
        }

        return updated;
    }

    /// <summary>Deletes the service's function if it exists; one still in use (or changed meanwhile) is left for the service's delete.</summary>
    public async Task DeleteFunctionIfUnusedAsync(string serviceId, CancellationToken cancellationToken)
    {
        var name = CloudFrontTranslator.FunctionName(serviceId);
        var described = await Api.Functions.DescribeAsync(name, "DEVELOPMENT", cancellationToken).ConfigureAwait(false);
        if (described is null)
        {
            return;
        }

        try
        {
            await Api.Functions.DeleteAsync(name, _account.RequireETag(described.ETag, "describe function"), cancellationToken).ConfigureAwait(false);
        }
        catch (CdnRequestFailedException ex) when (ex.VendorErrorCode is "FunctionInUse" or "PreconditionFailed")
        {
            CloudFrontLog.FunctionKept(_account.Logger, name, ex.VendorErrorCode);
        }
    }

    private async Task RetagAsync(string arn, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        if (arn.Length == 0)
        {
            return;
        }

        var existing = await Api.Tags.ListAsync(arn, cancellationToken).ConfigureAwait(false);
        var stale = existing.Where(t => t.Key.StartsWith("poppy:", StringComparison.Ordinal) && !tags.Any(n => n.Key == t.Key)).Select(t => t.Key).ToList();
        if (stale.Count > 0)
        {
            await Api.Tags.UntagAsync(arn, stale, cancellationToken).ConfigureAwait(false);
        }

        if (tags.Count > 0)
        {
            await Api.Tags.TagAsync(arn, tags, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? ExistingId(string message) =>
        Regex.Match(message, "Already exists: ([A-Z0-9]+)") is { Success: true } m ? m.Groups[1].Value : null;
}
