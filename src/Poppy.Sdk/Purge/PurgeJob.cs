namespace Poppy.Sdk.Purge;

/// <summary>
/// The state of one purge across providers, shared by every <see cref="PurgeOperation"/> object that follows it
/// (the one <see cref="PoppyClient.StartPurgeAsync"/> returned and any resumed from its id). Steps are serialised,
/// so two pollers never submit the same batch.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The SemaphoreSlim's wait handle is never created (no AvailableWaitHandle), so it holds nothing to dispose; jobs are dropped by the client's bounded registry.")]
internal sealed class PurgeJob(Guid purgeId, string serviceId, PurgeRequest request, ProviderPurgeQueue[] queues, bool waitForVendor, TimeProvider time)
{
    private SemaphoreSlim? _step;
    private string? _id;

    /// <summary>The operation id (<c>poppy:purge:&lt;service id&gt;:&lt;purge id&gt;</c>), built when first asked for (a plain <c>PurgeAsync</c> never does).</summary>
    public string Id => _id ??= new OperationId(ServiceOperation.IdProvider, OperationKind.Purge, ServiceId + ":" + purgeId.ToString("N")).ToString();

    public string ServiceId { get; } = serviceId;

    public PurgeRequest Request { get; } = request;

    public ProviderPurgeQueue[] Queues { get; } = queues;

    /// <summary>The purge's id within the operation id.</summary>
    public Guid PurgeId => purgeId;

    /// <summary>Whether the purge waits for the vendors to finish.</summary>
    public bool WaitForVendor => waitForVendor;

    /// <summary>The journal run this purge reports to (null without a journal).</summary>
    public Journal.JournalRun? JournalRun { get; set; }

    public bool IsFinished
    {
        get
        {
            foreach (var queue in Queues)
            {
                if (!queue.IsFinished(waitForVendor))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public IReadOnlyList<ProviderPurgeProgress> Progress
    {
        get
        {
            var progress = new ProviderPurgeProgress[Queues.Length];
            for (var i = 0; i < progress.Length; i++)
            {
                progress[i] = Queues[i].Progress();
            }

            return progress;
        }
    }

    /// <summary>Submits every provider's due batches (providers in parallel) and says when to look again. Safe for concurrent callers.</summary>
    public async Task<OperationState<PurgeReport>> StepAsync(CancellationToken cancellationToken)
    {
        var step = LazyInitializer.EnsureInitialized(ref _step, static () => new SemaphoreSlim(1, 1));
        await step.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StepUnsharedAsync(cancellationToken).ConfigureAwait(false);
            var state = State();
            if (JournalRun is { } journal)
            {
                await journal.AfterPollAsync(state.IsCompleted, state.Error, cancellationToken).ConfigureAwait(false);
            }

            return state;
        }
        finally
        {
            step.Release();
        }
    }

    /// <summary>
    /// <see cref="StepAsync"/> without serialising callers: only for a job no one else can reach
    /// (<see cref="PoppyClient.PurgeAsync"/>'s, never registered); then read <see cref="State"/>.
    /// </summary>
    public Task StepUnsharedAsync(CancellationToken cancellationToken) =>
        IsFinished ? Task.CompletedTask
        : Queues.Length == 1 ? Queues[0].StepAsync(time, waitForVendor, cancellationToken)
        : Task.WhenAll(Queues.Select(q => q.StepAsync(time, waitForVendor, cancellationToken)));

    /// <summary>Completed with the report once every provider is finished; otherwise pending, with when to look again.</summary>
    public OperationState<PurgeReport> State()
    {
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

    public PurgeReport Report()
    {
        var providers = new ProviderPurgeReport[Queues.Length];
        for (var i = 0; i < providers.Length; i++)
        {
            providers[i] = Queues[i].Report();
        }

        return new() { ServiceId = ServiceId, Request = Request, Providers = providers };
    }
}
