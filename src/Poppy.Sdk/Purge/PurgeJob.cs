namespace Poppy.Sdk.Purge;

/// <summary>
/// The state of one purge across providers, shared by every <see cref="PurgeOperation"/> object that follows it
/// (the one <see cref="PoppyClient.StartPurgeAsync"/> returned and any resumed from its id). Steps are serialised,
/// so two pollers never submit the same batch.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim's wait handle is never created (no AvailableWaitHandle), so it holds nothing to dispose; jobs are dropped by the client's bounded registry.")]
internal sealed class PurgeJob(string id, string serviceId, PurgeRequest request, IReadOnlyList<ProviderPurgeQueue> queues, bool waitForVendor, TimeProvider time)
{
    private readonly SemaphoreSlim _step = new(1, 1);

    public string Id { get; } = id;

    public string ServiceId { get; } = serviceId;

    public PurgeRequest Request { get; } = request;

    public IReadOnlyList<ProviderPurgeQueue> Queues { get; } = queues;

    public bool IsFinished => Queues.All(q => q.IsFinished(waitForVendor));

    public IReadOnlyList<ProviderPurgeProgress> Progress => Queues.Select(q => q.Progress()).ToList();

    /// <summary>Submits every provider's due batches (providers in parallel) and says when to look again.</summary>
    public async Task<OperationState<PurgeReport>> StepAsync(CancellationToken cancellationToken)
    {
        await _step.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsFinished)
            {
                if (Queues.Count == 1)
                {
                    await Queues[0].StepAsync(time, waitForVendor, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.WhenAll(Queues.Select(q => q.StepAsync(time, waitForVendor, cancellationToken))).ConfigureAwait(false);
                }
            }

            if (IsFinished)
            {
                return OperationState<PurgeReport>.Success(Report(), "completed");
            }

            var now = time.GetUtcNow();
            TimeSpan? next = null;
            foreach (var queue in Queues)
            {
                if (queue.NextDue(now, waitForVendor) is { } due && (next is null || due < next))
                {
                    next = due;
                }
            }

            return OperationState<PurgeReport>.Pending(string.Join("; ", Progress), next);
        }
        finally
        {
            _step.Release();
        }
    }

    public PurgeReport Report() => new()
    {
        ServiceId = ServiceId,
        Request = Request,
        Providers = Queues.Select(q => q.Report()).ToList(),
    };
}
