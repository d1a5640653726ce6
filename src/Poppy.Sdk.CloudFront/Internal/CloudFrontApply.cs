using Poppy.Sdk.CloudFront.Internal.Xml;
using Poppy.Sdk.CloudFront.Internal.Api;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Applies a <see cref="CloudFrontPlan"/> to CloudFront: publishes the plan's function, resolves the config with the
/// published ARN (<see cref="CloudFrontPlan.Resolve"/>), replaces an existing distribution's config under If-Match, and
/// refreshes the stamp and manifest tags.
/// </summary>
internal sealed class CloudFrontApply
{
    private const string StageTag = "poppy:stage";
    private readonly CloudFrontAccount _account;

    public CloudFrontApply(CloudFrontAccount account) => _account = account;

    private CloudFrontApi Api => _account.Api;

    /// <summary>The tags plus <c>poppy:stage</c> (<c>created</c> or <c>updated</c>), which tells a first deployment from a later one while in progress.</summary>
    public static List<KeyValuePair<string, string>> WithStage(IReadOnlyList<KeyValuePair<string, string>> tags, string stage) =>
        [.. tags, KeyValuePair.Create(StageTag, stage)];

    /// <summary>Whether the tags say the distribution's first deployment is still the current one.</summary>
    public static bool IsFirstDeployment(IEnumerable<KeyValuePair<string, string>> tags) => tags.Any(t => t.Key == StageTag && t.Value == "created");

    /// <summary>Creates or updates and publishes the plan's function when its live code differs; returns its ARN, or null when the plan has none.</summary>
    public async Task<string?> PublishFunctionAsync(string serviceId, CloudFrontPlan plan, CancellationToken cancellationToken)
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
            Log.FunctionPublished(_account.Logger, serviceId, name);
            return arn;
        }

        var live = await Api.Functions.GetCodeAsync(name, "LIVE", cancellationToken).ConfigureAwait(false);
        if (live == function.Code)
        {
            return development.Value.FunctionArn;
        }

        var updated = await Api.Functions.UpdateAsync(name, _account.RequireETag(development.ETag, "describe function"), comment, function.Code, cancellationToken).ConfigureAwait(false);
        var published = (await Api.Functions.PublishAsync(name, _account.RequireETag(updated.ETag, "update function"), cancellationToken).ConfigureAwait(false)).FunctionArn;
        Log.FunctionPublished(_account.Logger, serviceId, name);
        return published;
    }

    /// <summary>Replaces an existing distribution's config with the plan (If-Match; one re-read on 412), keeping members Poppy does not manage, and refreshes the manifest tags.</summary>
    public async Task<Distribution> UpdateAsync(string serviceId, string distributionId, CloudFrontPlan plan, string? functionArn, string stage, CancellationToken cancellationToken)
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

                Log.PreconditionRetry(_account.Logger, distributionId);
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
            Log.FunctionKept(_account.Logger, name, ex.VendorErrorCode);
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
}
