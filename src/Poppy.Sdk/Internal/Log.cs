using Microsoft.Extensions.Logging;

namespace Poppy.Sdk.Internal;

/// <summary>The composite client's log messages (event ids 1000–1099, stable).</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Provider call {Operation} on {Provider} for service {ServiceId} succeeded in {ElapsedMs} ms.")]
    public static partial void ProviderCallSucceeded(ILogger logger, string provider, string operation, string serviceId, double elapsedMs);

    [LoggerMessage(1001, LogLevel.Warning, "Provider call {Operation} on {Provider} for service {ServiceId} failed: {ErrorCode} {Message}")]
    public static partial void ProviderCallFailed(ILogger logger, string provider, string operation, string serviceId, string errorCode, string message);

    [LoggerMessage(1002, LogLevel.Warning, "Failing over service {ServiceId} from {FromProvider} to {ToProvider}: {Reason}")]
    public static partial void FailingOver(ILogger logger, string serviceId, string fromProvider, string toProvider, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Removed a half-created service {ServiceId} from {Provider} before failing over.")]
    public static partial void HalfCreatedRemoved(ILogger logger, string serviceId, string provider);

    [LoggerMessage(1004, LogLevel.Warning, "Could not confirm that {Provider} holds nothing of the half-created service {ServiceId}; it is recorded for clean-up (deleting the service finishes it).")]
    public static partial void CleanupPending(ILogger logger, string serviceId, string provider);

    [LoggerMessage(1005, LogLevel.Information, "Service {ServiceId}: {Operation} started on {ProviderCount} provider(s).")]
    public static partial void OperationStarted(ILogger logger, string serviceId, string operation, int providerCount);

    [LoggerMessage(1006, LogLevel.Information, "Service {ServiceId} is now {Status}.")]
    public static partial void ServiceStatusChanged(ILogger logger, string serviceId, string status);

    [LoggerMessage(1007, LogLevel.Information, "Purge of service {ServiceId} on {Provider}: {Batches} batch(es), {FailedBatches} failed.")]
    public static partial void PurgeCompleted(ILogger logger, string serviceId, string provider, int batches, int failedBatches);

    [LoggerMessage(1008, LogLevel.Information, "Rebuilt the catalog from the providers: {Count} service(s).")]
    public static partial void CatalogRebuilt(ILogger logger, int count);

    [LoggerMessage(1010, LogLevel.Debug, "Purge of service {ServiceId} on {Provider}: the vendor asked to wait; the batch is queued for {Seconds} s.")]
    public static partial void PurgeQueued(ILogger logger, string serviceId, string provider, double seconds);

    [LoggerMessage(1011, LogLevel.Warning, "Service {ServiceId}: {Path}: {Message}")]
    public static partial void SpecWarning(ILogger logger, string serviceId, string path, string message);

    [LoggerMessage(1009, LogLevel.Warning, "Provider {Provider} cannot purge service {ServiceId}: {Reason}")]
    public static partial void PurgeUnsupported(ILogger logger, string provider, string serviceId, string reason);

    [LoggerMessage(1012, LogLevel.Warning, "The operation journal could not record {Step} of {OperationId}: {Message}. The operation goes on; its lease may lapse, and another instance may then take it over.")]
    public static partial void JournalWriteFailed(ILogger logger, string step, string operationId, string message);

    [LoggerMessage(1013, LogLevel.Information, "Took over operation {OperationId} from {PreviousOwner} (lease expired at {LeaseExpiredAt:O}; takeover {Claims}).")]
    public static partial void OperationClaimed(ILogger logger, string operationId, string previousOwner, DateTimeOffset leaseExpiredAt, int claims);

    [LoggerMessage(1014, LogLevel.Information, "Operation {OperationId} finished: {State}.")]
    public static partial void JournaledOperationFinished(ILogger logger, string operationId, string state);

    [LoggerMessage(1015, LogLevel.Warning, "Could not resume operation {OperationId}: {Message}. Its lease will lapse and it will be tried again.")]
    public static partial void RecoveryFailed(ILogger logger, string operationId, string message);

    [LoggerMessage(1016, LogLevel.Debug, "Pruned {Count} completed operation(s) from the journal.")]
    public static partial void JournalPruned(ILogger logger, int count);

    [LoggerMessage(1017, LogLevel.Warning, "The operation recovery pass failed: {Message}. It runs again in {IntervalSeconds} s.")]
    public static partial void RecoveryPassFailed(ILogger logger, string message, double intervalSeconds);
}
