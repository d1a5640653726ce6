namespace Poppy.Sdk;

/// <summary>
/// How the composite client journals its operations and recovers those whose owner stopped (bound from
/// <c>Poppy:Journal</c>). Used only when an <see cref="IOperationJournal"/> is given to the client (the SQLite and
/// PostgreSQL stores register one).
/// </summary>
public sealed class OperationJournalOptions
{
    /// <summary>
    /// This instance's id, written as the owner of the operations it drives. Default: the machine name, the process id
    /// and a random suffix, unique per client. Set it only to something unique per running instance.
    /// </summary>
    public string? InstanceId { get; set; }

    /// <summary>
    /// How long an operation stays with its owner without a renewal. The owner renews while it starts or polls the
    /// operation; an operation nobody drives for this long is taken over by a recovery service. Default 2 minutes.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the recovery service renews this instance's leases, looks for expired leases, and prunes. Default 20 s.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long completed entries are kept (for audit and for callers awaiting them) before they are pruned. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most operations one recovery service drives at once. Default 8.</summary>
    public int MaxConcurrentRecoveries { get; set; } = 8;

    /// <summary>
    /// How many times an operation may be taken over before recovery gives up on it and marks it failed (an operation
    /// that stops every instance that resumes it must not be claimed for ever). Default 10.
    /// </summary>
    public int MaxTakeovers { get; set; } = 10;

    /// <summary>The problems in these options (empty when valid).</summary>
    /// <returns>One message per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (InstanceId is { } id && (string.IsNullOrWhiteSpace(id) || id.Length > 200))
        {
            problems.Add("Journal:InstanceId must be 1–200 characters when set.");
        }

        if (LeaseDuration < TimeSpan.FromSeconds(5) || LeaseDuration > TimeSpan.FromDays(1))
        {
            problems.Add($"Journal:LeaseDuration must be between 5 seconds and 1 day (got {LeaseDuration}).");
        }

        if (RecoveryInterval <= TimeSpan.Zero || RecoveryInterval * 2 > LeaseDuration)
        {
            problems.Add($"Journal:RecoveryInterval must be positive and at most half of LeaseDuration, so leases are renewed in time (got {RecoveryInterval}, lease {LeaseDuration}).");
        }

        if (Retention < TimeSpan.Zero)
        {
            problems.Add($"Journal:Retention must not be negative (got {Retention}).");
        }

        if (MaxConcurrentRecoveries is < 1 or > 1024)
        {
            problems.Add($"Journal:MaxConcurrentRecoveries must be between 1 and 1024 (got {MaxConcurrentRecoveries}).");
        }

        if (MaxTakeovers < 1)
        {
            problems.Add($"Journal:MaxTakeovers must be at least 1 (got {MaxTakeovers}).");
        }

        return problems;
    }

    /// <summary>A fresh instance id: machine, process and a random suffix.</summary>
    internal static string NewInstanceId() =>
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}
