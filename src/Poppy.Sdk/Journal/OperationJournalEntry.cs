namespace Poppy.Sdk;

/// <summary>Where a journaled operation stands.</summary>
public enum OperationJournalState
{
    /// <summary>Started and not finished: its owner drives it while its lease lasts; after that, any instance may claim it.</summary>
    Running = 0,

    /// <summary>Finished successfully.</summary>
    Succeeded = 1,

    /// <summary>Finished with an error (<see cref="OperationJournalEntry.Error"/>).</summary>
    Failed = 2,
}

/// <summary>One operation in the <see cref="IOperationJournal"/>.</summary>
public sealed record OperationJournalEntry
{
    /// <summary>The operation id (<see cref="CdnOperation.Id"/>): <c>poppy:create:&lt;service id&gt;</c>, <c>poppy:purge:&lt;service id&gt;:&lt;purge id&gt;</c> and so on.</summary>
    public required string OperationId { get; init; }

    /// <summary>
    /// This run of the operation (a fresh value at each start). A create, update or delete id names the service, so
    /// a later operation of the same kind on the same service reuses it; the run id tells the runs apart.
    /// </summary>
    public required string RunId { get; init; }

    /// <summary>The Poppy service id.</summary>
    public required string ServiceId { get; init; }

    /// <summary>Create, update, delete or purge.</summary>
    public required OperationKind Kind { get; init; }

    /// <summary>Running, succeeded or failed.</summary>
    public OperationJournalState State { get; init; }

    /// <summary>The instance that drives the operation now (<see cref="OperationJournalOptions.InstanceId"/>).</summary>
    public required string Owner { get; init; }

    /// <summary>Until when the owner holds the operation; after it, any instance may claim it.</summary>
    public required DateTimeOffset LeaseExpiresAt { get; init; }

    /// <summary>When this run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the entry last changed (start, renewal, claim or completion).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the operation finished; null while running.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>How many times another lease took the operation over (0: finished, or still driven, by the instance that started it).</summary>
    public int Claims { get; init; }

    /// <summary>What the operation needs to be resumed beyond its id (a purge's request, as JSON); null for service operations, which resume from the catalog.</summary>
    public string? Data { get; init; }

    /// <summary>Why the operation failed; null unless <see cref="State"/> is <see cref="OperationJournalState.Failed"/>.</summary>
    public ProviderError? Error { get; init; }
}

/// <summary>Which journal entries <see cref="IOperationJournal.ListAsync"/> returns.</summary>
public sealed record OperationJournalQuery
{
    /// <summary>Only entries in this state; all states when null.</summary>
    public OperationJournalState? State { get; init; }

    /// <summary>Only this service's entries; every service's when null.</summary>
    public string? ServiceId { get; init; }

    /// <summary>The most entries to return (newest start first). Default 100.</summary>
    public int Limit { get; init; } = 100;
}
