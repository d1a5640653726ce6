using System.Collections.Concurrent;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Activating one property version on the configured networks, in order (staging, then production, by default) — the
/// poll of create and update operations. Each poll reads where every network stands and runs at most one write, the
/// activation of the next network, only when no activation of that version is listed there (so running it twice is
/// harmless; PAPI's 422 "already active" counts as done).
/// <code>
/// per network   what PAPI holds                                   transition
/// none          no activation of the version on the network        POST activations {ACTIVATE}
/// pending       NEW, PENDING, ZONE_1..3                            none: wait (Retry-After of GET activation)
/// active        ACTIVE (or superseded by a later version)          none: on to the next network
/// failed        FAILED, ABORTED                                    none: the operation fails
/// </code>
/// The service is <c>create_in_progress</c> (or <c>update_in_progress</c>) until the last network is ACTIVE.
/// </summary>
internal sealed class AkamaiActivation(AkamaiAccount account, AkamaiServiceReader reader)
{
    // The activation id a poll submitted or found, so later polls GET it (with its Retry-After) instead of listing.
    private readonly ConcurrentDictionary<(string Property, int Version, string Network), string> _known = new();

    private static readonly HashSet<string> Pending = new(StringComparer.Ordinal) { "NEW", "PENDING", "ZONE_1", "ZONE_2", "ZONE_3", "PENDING_CANCELLATION" };

    /// <summary>An operation following the activation of a version; its first poll runs at once.</summary>
    public async Task<CdnOperation<ProviderServiceDetails>> StartAsync(OperationKind kind, string serviceId, string propertyId, int version, CancellationToken cancellationToken)
    {
        var operation = Operation(kind, serviceId, propertyId, version);
        await operation.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>The operation of a version (for resume).</summary>
    public AkamaiOperation<ProviderServiceDetails> Operation(OperationKind kind, string? serviceId, string propertyId, int version)
    {
        var id = new OperationId(account.Name, kind, propertyId + ":" + AkamaiTranslator.I(version)).ToString();
        return new AkamaiOperation<ProviderServiceDetails>(id, ct => PollAsync(id, kind, serviceId, propertyId, version, ct), account.Options.PollingInterval, account.Time);
    }

    private async ValueTask<OperationState<ProviderServiceDetails>> PollAsync(string operationId, OperationKind kind, string? serviceId, string propertyId, int version, CancellationToken cancellationToken)
    {
        IReadOnlyList<ActivationItem>? listed = null;
        foreach (var network in account.Options.ActivationNetworks)
        {
            ActivationItem? activation = null;
            TimeSpan? retryAfter = null;
            if (_known.TryGetValue((propertyId, version, network), out var activationId))
            {
                (activation, retryAfter) = await account.Api.Activations.GetAsync(propertyId, activationId, cancellationToken).ConfigureAwait(false);
            }

            if (activation is null)
            {
                listed ??= await account.Api.Activations.ListAsync(propertyId, cancellationToken).ConfigureAwait(false);
                activation = Latest(listed, version, network);
                if (activation?.ActivationId is { } found)
                {
                    _known[(propertyId, version, network)] = found;
                }
            }

            var status = activation?.Status;
            if (status == "ACTIVE" || status is "INACTIVE" or "DEACTIVATED" or "PENDING_DEACTIVATION")
            {
                // ACTIVE, or active once and since superseded by a later version: this network is done.
                continue;
            }

            if (status is { } s && Pending.Contains(s))
            {
                return OperationState<ProviderServiceDetails>.Pending($"Akamai {network} activation of version {version}: {s}", retryAfter);
            }

            if (status is "FAILED" or "ABORTED")
            {
                return OperationState<ProviderServiceDetails>.Failure(new CdnRequestFailedException(account.Name, $"Akamai {network} activation {activation!.ActivationId} of version {version} of property '{propertyId}' ended {status} (operation {operationId}).", null, CdnErrorCode.ServerError, isTransient: false, status));
            }

            // Nothing listed for this version on this network: the one write of this poll.
            try
            {
                var submitted = await account.BusyRetryAsync(
                    propertyId,
                    () => account.Api.Activations.CreateAsync(propertyId, new ActivationRequest
                    {
                        PropertyVersion = version,
                        Network = network,
                        ActivationType = "ACTIVATE",
                        NotifyEmails = [.. account.Options.NotifyEmails],
                        Note = serviceId is null ? "Poppy" : AkamaiTranslator.VersionNote(serviceId),
                    }, cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                _known[(propertyId, version, network)] = submitted;
                AkamaiLog.Activating(account.Logger, propertyId, version, network, submitted);
                return OperationState<ProviderServiceDetails>.Pending($"Akamai {network} activation of version {version} submitted ({submitted})");
            }
            catch (CdnRequestFailedException e) when (AkamaiErrorMapper.IsAnotherActivationPending(e))
            {
                // An earlier version's activation (a create or update retried before it finished) still holds the network.
                AkamaiLog.WaitingForOtherActivation(account.Logger, propertyId, version, network);
                return OperationState<ProviderServiceDetails>.Pending($"Akamai {network}: waiting for another version's activation to finish before activating version {version}");
            }
            catch (CdnRequestFailedException e) when (AkamaiErrorMapper.IsAlreadyActive(e))
            {
                AkamaiLog.AlreadyActive(account.Logger, propertyId, version, network);
            }
        }

        AkamaiLog.Active(account.Logger, propertyId, version, account.Options.ActivationNetworks[^1]);
        var details = await reader.DetailsAsync(serviceId, propertyId, version, ProviderStatus.Deployed, cancellationToken).ConfigureAwait(false);
        return OperationState<ProviderServiceDetails>.Success(details, "deployed");
    }

    /// <summary>The newest ACTIVATE of a version on a network (PAPI's ISO dates sort as text).</summary>
    private static ActivationItem? Latest(IReadOnlyList<ActivationItem> activations, int version, string network) =>
        activations
            .Where(a => a.PropertyVersion == version && string.Equals(a.Network, network, StringComparison.OrdinalIgnoreCase) && a.ActivationType is null or "ACTIVATE")
            .OrderByDescending(a => a.SubmitDate, StringComparer.Ordinal)
            .FirstOrDefault();
}
