// The delete of a CloudFront distribution, as a small state machine.
//
// CloudFront deletes only a distribution that is disabled and deployed, with the ETag of its latest version, and the
// service's viewer-request function can go once no distribution uses it. Each poll first OBSERVES, with reads only
// (GET distribution; once it is gone, describe the function), and classifies where things stand:
//
//   state            what CloudFront holds                         transition (the one write it needs)
//   ---------------  --------------------------------------------  -------------------------------------------------
//   Enabled          the distribution, enabled                     Disable: GET config, PUT it Enabled=false, If-Match
//   Disabling        disabled, Status InProgress                   none: wait (reads only; the state that lasts minutes)
//   ReadyToDelete    disabled, Status Deployed                     DeleteDistribution: DELETE, If-Match = the ETag just read
//   FunctionLeft     no distribution, the service's function      DeleteFunction: DELETE function, If-Match = its ETag
//   Done             neither                                       none: completed with the service's reference
//
// Writes happen only in those explicit transitions, at most one per poll, only when the observation just made calls for
// it, and each is guarded by that observation's ETag. A transition is therefore safe to repeat: run again, it finds the
// state moved on (nothing to do), or its If-Match fails and the next poll decides afresh. While CloudFront deploys
// (Disabling) polls make no write at all. Nothing is kept between polls but the ids in the operation id
// (provider:delete:<distribution or "none">:<service id>), so a delete resumes from its id in any state.
using System.Globalization;
using Poppy.Sdk.CloudFront.Internal.Api;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>The states of a CloudFront delete (see the top of this file).</summary>
internal enum CloudFrontDeleteState
{
    Enabled,
    Disabling,
    ReadyToDelete,
    FunctionLeft,
    Done,
}

/// <summary>The delete state machine of one service (see the top of this file). Its value is the deleted service's reference.</summary>
internal sealed class CloudFrontDeleteOperation : CdnOperation<ServiceReference>
{
    /// <summary>The distribution part of the id when the service had no distribution left.</summary>
    public const string NoDistribution = "none";

    private readonly CloudFrontAccount _account;
    private readonly string? _distributionId;
    private readonly string _serviceId;

    public CloudFrontDeleteOperation(CloudFrontAccount account, string? distributionId, string serviceId)
        : base(account.Time)
    {
        _account = account;
        _distributionId = distributionId;
        _serviceId = serviceId;
        Id = new OperationId(account.Name, OperationKind.Delete, (distributionId ?? NoDistribution) + ":" + serviceId).ToString();
    }

    public override string Id { get; }

    public override TimeSpan DefaultPollingInterval => _account.Options.PollingInterval;

    private CloudFrontApi Api => _account.Api;

    /// <summary>Rebuilds the operation from the payload of its id; null when the payload is not a delete's.</summary>
    public static CloudFrontDeleteOperation? Resume(CloudFrontAccount account, string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == payload.Length - 1 || !payload[..colon].All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var distribution = payload[..colon];
        return new CloudFrontDeleteOperation(account, distribution == NoDistribution ? null : distribution, payload[(colon + 1)..]);
    }

    /// <summary>Where the delete stands, from reads only.</summary>
    internal async Task<Observation> ObserveAsync(CancellationToken cancellationToken)
    {
        if (_distributionId is not null)
        {
            var distribution = await Api.Distributions.GetAsync(_distributionId, cancellationToken).ConfigureAwait(false);
            if (distribution is { } found)
            {
                _account.RequireOwned(_serviceId, _distributionId, found.Value.Config);
                var state = found.Value.Config.Enabled ? CloudFrontDeleteState.Enabled
                    : found.Value.Status == "Deployed" ? CloudFrontDeleteState.ReadyToDelete
                    : CloudFrontDeleteState.Disabling;
                return new Observation(state, found.ETag);
            }
        }

        var function = await Api.Functions.DescribeAsync(CloudFrontTranslator.FunctionName(_serviceId), "DEVELOPMENT", cancellationToken).ConfigureAwait(false);
        return function is null ? new Observation(CloudFrontDeleteState.Done, null) : new Observation(CloudFrontDeleteState.FunctionLeft, function.ETag);
    }

    /// <summary>Runs the one write an observed state calls for (none for <see cref="CloudFrontDeleteState.Disabling"/> and <see cref="CloudFrontDeleteState.Done"/>). Safe to repeat.</summary>
    /// <returns>Whether the write was done (false: the state had moved on, and the next observation decides).</returns>
    internal async Task<bool> TransitionAsync(Observation observation, CancellationToken cancellationToken)
    {
        switch (observation.State)
        {
            case CloudFrontDeleteState.Enabled:
                return await DisableAsync(cancellationToken).ConfigureAwait(false);
            case CloudFrontDeleteState.ReadyToDelete:
                CloudFrontLog.Deleting(_account.Logger, _serviceId, _distributionId!, "deleting");
                try
                {
                    await Api.Distributions.DeleteAsync(_distributionId!, _account.RequireETag(observation.ETag, "get distribution"), cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.PreconditionFailed || ex.VendorErrorCode == "DistributionNotDisabled")
                {
                    // Changed between our read and the delete: the next observation decides again.
                    return false;
                }

            case CloudFrontDeleteState.FunctionLeft:
                var name = CloudFrontTranslator.FunctionName(_serviceId);
                try
                {
                    await Api.Functions.DeleteAsync(name, _account.RequireETag(observation.ETag, "describe function"), cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "PreconditionFailed")
                {
                    return false;
                }

            default:
                return false;
        }
    }

    protected override async ValueTask<OperationState<ServiceReference>> PollAsync(CancellationToken cancellationToken)
    {
        var observation = await ObserveAsync(cancellationToken).ConfigureAwait(false);
        switch (observation.State)
        {
            case CloudFrontDeleteState.Done:
                return Completed();
            case CloudFrontDeleteState.Disabling:
                return OperationState<ServiceReference>.Pending("waiting for the disabled distribution to deploy");
            case CloudFrontDeleteState.FunctionLeft:
                try
                {
                    await TransitionAsync(observation, cancellationToken).ConfigureAwait(false);
                }
                catch (CdnRequestFailedException ex) when (ex.VendorErrorCode == "FunctionInUse")
                {
                    // Another distribution still uses it (not one of this service's): the service is gone; leave the function.
                    CloudFrontLog.FunctionKept(_account.Logger, CloudFrontTranslator.FunctionName(_serviceId), ex.VendorErrorCode);
                    return Completed();
                }

                return OperationState<ServiceReference>.Pending("deleting the service's function", TimeSpan.Zero);
            default:
                var done = await TransitionAsync(observation, cancellationToken).ConfigureAwait(false);
                return observation.State == CloudFrontDeleteState.Enabled
                    ? OperationState<ServiceReference>.Pending(done ? "disabling" : "re-reading the distribution")
                    : OperationState<ServiceReference>.Pending(done ? "distribution deleted" : "re-reading the distribution", TimeSpan.Zero);
        }
    }

    private OperationState<ServiceReference> Completed() =>
        OperationState<ServiceReference>.Success(new ServiceReference(_serviceId, _distributionId), "deleted");

    private async Task<bool> DisableAsync(CancellationToken cancellationToken)
    {
        var current = await Api.Distributions.GetConfigAsync(_distributionId!, cancellationToken).ConfigureAwait(false);
        if (current is null || !current.Value.Enabled)
        {
            return false;
        }

        _account.RequireOwned(_serviceId, _distributionId!, current.Value);
        current.Value.Enabled = false;
        CloudFrontLog.Deleting(_account.Logger, _serviceId, _distributionId!, "disabling");
        try
        {
            await Api.Distributions.UpdateConfigAsync(_distributionId!, current.Value, _account.RequireETag(current.ETag, "get distribution config"), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (CdnRequestFailedException ex) when (ex.ErrorCode == CdnErrorCode.PreconditionFailed)
        {
            CloudFrontLog.PreconditionRetry(_account.Logger, _distributionId!);
            return false;
        }
    }

    /// <summary>What one observation found: the state and the ETag that guards its transition.</summary>
    internal readonly record struct Observation(CloudFrontDeleteState State, string? ETag)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{State} (ETag {ETag ?? "none"})");
    }
}
