using Poppy.Sdk.Purge;

namespace Poppy.Sdk;

/// <summary>
/// A purge across the providers holding a service (<see cref="PoppyClient.StartPurgeAsync"/>): the request is split
/// into each vendor's batches, paced by the vendor account's budget, and queued for as long as the vendor's
/// in-flight limits require (a CloudFront distribution takes one 3,000-path invalidation at a time: later batches
/// wait for room and are never sent twice). Each poll submits what is due and reports <see cref="Progress"/>;
/// waiting polls at the vendors' hints. It completes with a <see cref="PurgeReport"/> once every batch is accepted
/// or failed for good (and, with <see cref="PurgeOptions.WaitForVendorCompletion"/>, finished by the vendor).
/// <see cref="CdnOperation.Id"/> resumes it with <see cref="PoppyClient.ResumePurgeAsync"/> in this process.
/// </summary>
public sealed class PurgeOperation : CdnOperation<PurgeReport>
{
    private readonly PurgeJob _job;

    internal PurgeOperation(PurgeJob job, TimeProvider timeProvider)
        : base(timeProvider)
    {
        _job = job;
    }

    /// <inheritdoc />
    public override string Id => _job.Id;

    /// <summary>The Poppy service id.</summary>
    public string ServiceId => _job.ServiceId;

    /// <summary>The request as given.</summary>
    public PurgeRequest Request => _job.Request;

    /// <summary>Where the purge stands on each provider.</summary>
    public IReadOnlyList<ProviderPurgeProgress> Progress => _job.Progress;

    /// <inheritdoc />
    public override TimeSpan DefaultPollingInterval => PollingInterval;

    /// <summary>How often a purge is polled when no vendor hint says otherwise.</summary>
    internal static TimeSpan PollingInterval { get; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    protected override ValueTask<OperationState<PurgeReport>> PollAsync(CancellationToken cancellationToken) =>
        new(_job.StepAsync(cancellationToken));
}
