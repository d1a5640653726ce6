using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk;

/// <summary>
/// Finishes journaled operations whose owner stopped: every <see cref="OperationJournalOptions.RecoveryInterval"/> it
/// renews the leases of the operations this instance drives, takes over operations whose lease expired
/// (<see cref="PoppyClient.RecoverExpiredOperationsAsync"/>: each claimed by exactly one instance), drives each to
/// completion (at most <see cref="OperationJournalOptions.MaxConcurrentRecoveries"/> at once), and prunes entries older
/// than the retention. <c>AddPoppy</c> registers it as a hosted service; it does nothing when the client has no journal.
/// Without a host, call <see cref="RunOnceAsync"/> on a timer of your own.
/// </summary>
public sealed class OperationRecoveryService : BackgroundService
{
    private readonly PoppyClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<Task> _driving = [];

    /// <summary>Creates the service for a client.</summary>
    /// <param name="client">The client whose journal it watches.</param>
    /// <param name="timeProvider">The clock for its timer; the system clock when null.</param>
    /// <param name="logger">Where it logs; nowhere when null.</param>
    public OperationRecoveryService(PoppyClient client, TimeProvider? timeProvider = null, ILogger<OperationRecoveryService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>How many taken-over operations this service is driving now.</summary>
    public int DrivingCount
    {
        get
        {
            lock (_lock)
            {
                _driving.RemoveAll(t => t.IsCompleted);
                return _driving.Count;
            }
        }
    }

    /// <summary>
    /// One pass: renews this instance's leases, takes over expired operations (as many as there is room for) and
    /// starts driving them in the background, and prunes old entries.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass and the driving of the operations it took over (their leases then lapse, and another pass takes them over).</param>
    /// <returns>The operations taken over in this pass (being driven to completion).</returns>
    public async Task<IReadOnlyList<CdnOperation>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        if (_client.JournalOptions is not { } options)
        {
            return [];
        }

        await _client.RenewLeasesAsync(cancellationToken).ConfigureAwait(false);
        var room = options.MaxConcurrentRecoveries - DrivingCount;
        IReadOnlyList<CdnOperation> taken = room > 0 ? await _client.RecoverExpiredOperationsAsync(room, cancellationToken).ConfigureAwait(false) : [];
        lock (_lock)
        {
            foreach (var operation in taken)
            {
                _driving.Add(DriveAsync(operation, cancellationToken));
            }
        }

        await _client.PruneJournalAsync(cancellationToken).ConfigureAwait(false);
        return taken;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_client.JournalOptions is not { } options)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                Log.RecoveryPassFailed(_logger, ex.Message, options.RecoveryInterval.TotalSeconds);
            }

            try
            {
                await Task.Delay(options.RecoveryInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        Task[] driving;
        lock (_lock)
        {
            driving = [.. _driving];
        }

        // The operations still being driven stop with the host; their leases lapse and another instance finishes them.
        await Task.WhenAll(driving).ConfigureAwait(false);
    }

    /// <summary>Waits on a taken-over operation (each poll renews its lease; its outcome reaches the journal through its run).</summary>
    private async Task DriveAsync(CdnOperation operation, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the lease lapses and another instance takes the operation over.
        }
        catch (Exception ex)
        {
            // The operation failed: its run recorded the failure in the journal.
            Log.RecoveryFailed(_logger, operation.Id, ex.Message);
        }
    }
}
