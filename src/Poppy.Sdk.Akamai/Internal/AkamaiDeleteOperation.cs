namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Deleting a service's property: PAPI deletes only a property with no version active on either network, so the delete
/// deactivates first. Each poll reads the property and its activations and runs at most one kind of write:
/// <code>
/// state          what PAPI holds                                    transition (the write it needs)
/// Active         a version active on staging and/or production      Deactivate: POST activations {DEACTIVATE} per network not already deactivating
/// Deactivating   a (de)activation PENDING on a network              none: wait (reads only; minutes)
/// ReadyToDelete  no version active, nothing pending                 Delete: DELETE /papi/v1/properties/{id}
/// Done           no property                                        none: completed with the service's reference
/// </code>
/// Nothing is kept between polls but what the id carries (<c>name:delete:&lt;property|none&gt;:&lt;service id&gt;</c>), so it
/// resumes in any state. The edge hostname and (per-service) CP code stay: PAPI cannot delete either (edge hostnames go
/// through the Edge Hostnames API, CP codes are never deleted); an edge hostname no property uses serves nothing.
/// </summary>
internal sealed class AkamaiDeleteOperation
{
    private static readonly HashSet<string> InFlight = new(StringComparer.Ordinal) { "NEW", "PENDING", "ZONE_1", "ZONE_2", "ZONE_3", "PENDING_DEACTIVATION", "PENDING_CANCELLATION" };

    public static AkamaiOperation<ServiceReference> Create(AkamaiAccount account, string? propertyId, string serviceId)
    {
        var id = new OperationId(account.Name, OperationKind.Delete, (propertyId ?? "none") + ":" + serviceId).ToString();
        return new AkamaiOperation<ServiceReference>(id, ct => PollAsync(account, propertyId, serviceId, ct), account.Options.PollingInterval, account.Time);
    }

    /// <summary>The operation of a delete id's payload (<c>&lt;property|none&gt;:&lt;service id&gt;</c>); null when malformed.</summary>
    public static AkamaiOperation<ServiceReference>? Resume(AkamaiAccount account, string payload)
    {
        var colon = payload.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == payload.Length - 1)
        {
            return null;
        }

        var property = payload[..colon];
        return Create(account, property == "none" ? null : property, payload[(colon + 1)..]);
    }

    private static async ValueTask<OperationState<ServiceReference>> PollAsync(AkamaiAccount account, string? propertyId, string serviceId, CancellationToken cancellationToken)
    {
        var done = new ServiceReference(serviceId, propertyId);
        if (propertyId is null)
        {
            return OperationState<ServiceReference>.Success(done, "no property");
        }

        var property = await account.Api.Properties.GetAsync(propertyId, cancellationToken).ConfigureAwait(false);
        if (property is null)
        {
            return OperationState<ServiceReference>.Success(done, "deleted");
        }

        account.RequireOwned(serviceId, property);
        var active = new List<(string Network, int Version)>();
        if (property.StagingVersion is { } s)
        {
            active.Add(("STAGING", s));
        }

        if (property.ProductionVersion is { } p)
        {
            active.Add(("PRODUCTION", p));
        }

        var activations = await account.Api.Activations.ListAsync(propertyId, cancellationToken).ConfigureAwait(false);
        var pending = activations.Where(a => a.Status is { } st && InFlight.Contains(st)).ToList();
        var deactivating = pending.Where(a => a.ActivationType == "DEACTIVATE").Select(a => a.Network?.ToUpperInvariant()).ToHashSet();
        var toDeactivate = active.Where(a => !deactivating.Contains(a.Network)).ToList();
        if (toDeactivate.Count > 0)
        {
            foreach (var (network, version) in toDeactivate)
            {
                AkamaiLog.Deleting(account.Logger, serviceId, propertyId, "deactivating version " + AkamaiTranslator.I(version) + " on " + network);
                try
                {
                    await account.BusyRetryAsync(
                        propertyId,
                        () => account.Api.Activations.CreateAsync(propertyId, new ActivationRequest
                        {
                            PropertyVersion = version,
                            Network = network,
                            ActivationType = "DEACTIVATE",
                            NotifyEmails = [.. account.Options.NotifyEmails],
                            Note = "Poppy: deleting " + ServiceStamp.Format(serviceId),
                        }, cancellationToken),
                        cancellationToken).ConfigureAwait(false);
                }
                catch (CdnRequestFailedException e) when (AkamaiErrorMapper.IsAlreadyActive(e))
                {
                    // Already deactivated (or deactivating): nothing to do on this network.
                }
            }

            return OperationState<ServiceReference>.Pending("Akamai: deactivating " + string.Join(" and ", toDeactivate.Select(a => a.Network)));
        }

        if (active.Count > 0 || pending.Count > 0)
        {
            return OperationState<ServiceReference>.Pending("Akamai: waiting for " + string.Join(", ", pending.Select(a => $"{a.Network} {a.ActivationType} {a.Status}").DefaultIfEmpty("deactivation")));
        }

        AkamaiLog.Deleting(account.Logger, serviceId, propertyId, "deleting the property");
        await account.Api.Properties.DeleteAsync(propertyId, cancellationToken).ConfigureAwait(false);
        return OperationState<ServiceReference>.Success(done, "deleted");
    }
}
