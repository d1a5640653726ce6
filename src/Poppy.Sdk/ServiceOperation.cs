using System.Text;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Models;

namespace Poppy.Sdk;

/// <summary>One provider's share of a service operation.</summary>
internal sealed class ProviderRun
{
    public ProviderRun(string provider, CdnOperation? operation, Exception? error, string kind)
    {
        Provider = provider;
        Operation = operation;
        Error = error;
        Kind = kind;
        Done = operation is null;
    }

    public string Provider { get; }

    public CdnOperation? Operation { get; }

    public Exception? Error { get; set; }

    public string Kind { get; }

    public bool Done { get; set; }

    public int PollFailures { get; set; }

    /// <summary>For failover placements: where this provider stands in the flavor order.</summary>
    public int FailoverIndex { get; init; } = -1;

    public IReadOnlyList<string>? FailoverOrder { get; init; }

    public List<ProviderAttempt> Attempts { get; init; } = [];
}

/// <summary>
/// A create, update or delete across a service's providers. It completes when every provider has
/// finished. A create or update completes with the service (check <see cref="CdnService.Status"/>
/// and each provider's error: in mirror mode a partial failure leaves the successful providers in
/// place); it fails with <see cref="CdnAllProvidersFailedException"/> when no provider succeeded.
/// A delete completes with null once the service is gone everywhere. In failover mode, a deployment
/// that fails transiently moves to the next provider while polling.
/// </summary>
public sealed class ServiceOperation : CdnOperation<CdnService?>
{
    private const int MaxConsecutivePollFailures = 5;
    private readonly PoppyClient? _client;
    private readonly List<ProviderRun> _runs;

    internal ServiceOperation(PoppyClient client, string serviceId, string kind, IEnumerable<ProviderRun> runs)
        : base(client.Time)
    {
        _client = client;
        ServiceId = serviceId;
        Kind = kind;
        _runs = [.. runs];
        Id = FormatId(kind, serviceId);
    }

    private ServiceOperation(string serviceId, string kind, CdnService? value)
    {
        ServiceId = serviceId;
        Kind = kind;
        _runs = [];
        Id = FormatId(kind, serviceId);
        SetState(OperationState<CdnService?>.Success(value));
    }

    /// <inheritdoc />
    public override string Id { get; }

    /// <summary>The Poppy service id.</summary>
    public string ServiceId { get; }

    /// <summary><c>create</c>, <c>update</c> or <c>delete</c>.</summary>
    public string Kind { get; }

    /// <summary>The providers involved, in order.</summary>
    public IReadOnlyList<string> Providers => _runs.Select(r => r.Provider).ToList();

    /// <inheritdoc />
    public override TimeSpan DefaultPollingInterval =>
        _runs.Where(r => r.Operation is not null).Select(r => r.Operation!.DefaultPollingInterval).DefaultIfEmpty(base.DefaultPollingInterval).Min();

    internal static ServiceOperation Completed(PoppyClient client, string serviceId, string kind, CdnService? value) => new(serviceId, kind, value);

    internal static bool TryParseId(string id, out string kind, out string serviceId)
    {
        kind = serviceId = "";
        var parts = id?.Split(':', 3);
        if (parts is not { Length: 3 } || parts[0] != "poppy" || parts[1] is not ("create" or "update" or "delete") || parts[2].Length == 0)
        {
            return false;
        }

        kind = parts[1];
        serviceId = parts[2];
        return true;
    }

    /// <inheritdoc />
    protected override async ValueTask<OperationState<CdnService?>> PollAsync(CancellationToken cancellationToken)
    {
        var client = _client!;
        TimeSpan? retryAfter = null;
        var progress = new StringBuilder();
        for (var i = 0; i < _runs.Count; i++)
        {
            var run = _runs[i];
            if (!run.Done)
            {
                run = _runs[i] = await PollRunAsync(client, run, cancellationToken).ConfigureAwait(false);
            }

            if (progress.Length > 0)
            {
                progress.Append("; ");
            }

            progress.Append(run.Provider).Append(": ").Append(run.Done ? run.Error is null ? "done" : "failed" : run.Operation?.StatusDescription ?? "pending");
            if (!run.Done && run.Operation?.SuggestedPollingDelay is { } delay && (retryAfter is null || delay < retryAfter))
            {
                retryAfter = delay;
            }
        }

        if (_runs.Any(r => !r.Done))
        {
            return OperationState<CdnService?>.Pending(progress.ToString(), retryAfter);
        }

        var failures = _runs.Where(r => r.Error is not null).Select(r => new ProviderAttempt(r.Provider, r.Error!)).ToList();
        if (Kind == "delete")
        {
            var service = await client.Catalog.GetAsync(ServiceId, cancellationToken).ConfigureAwait(false);
            if (failures.Count == 0 && service is not null && service.Providers.Count == 0 && service.PendingCleanup.Count == 0)
            {
                await client.UpdateCatalogAsync(ServiceId, _ => null, cancellationToken).ConfigureAwait(false);
            }

            return failures.Count == 0 ? OperationState<CdnService?>.Success(null) : OperationState<CdnService?>.Failure(new CdnAllProvidersFailedException("delete", failures));
        }

        if (_runs.Count > 0 && failures.Count == _runs.Count)
        {
            var single = _runs.Count == 1 && _runs[0].FailoverOrder is not null;
            var attempts = single ? _runs[0].Attempts.Concat(failures).DistinctBy(a => a.Exception).ToList() : failures;
            return OperationState<CdnService?>.Failure(single && !ProviderChannel.IsTransient(_runs[0].Error!) ? _runs[0].Error! : new CdnAllProvidersFailedException(Kind, attempts));
        }

        return OperationState<CdnService?>.Success(await client.Catalog.GetAsync(ServiceId, cancellationToken).ConfigureAwait(false));
    }

    private static string FormatId(string kind, string serviceId) => $"poppy:{kind}:{serviceId}";

    private async Task<ProviderRun> PollRunAsync(PoppyClient client, ProviderRun run, CancellationToken cancellationToken)
    {
        var op = run.Operation!;
        bool done;
        try
        {
            done = await op.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            run.PollFailures = 0;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A failed poll is not a failed deployment: try again, a few times.
            if (++run.PollFailures < MaxConsecutivePollFailures)
            {
                return run;
            }

            return await FinishWithErrorAsync(client, run, ex, cancellationToken).ConfigureAwait(false);
        }

        if (!done)
        {
            return run;
        }

        if (op.Error is { } error)
        {
            return await FinishWithErrorAsync(client, run, error, cancellationToken).ConfigureAwait(false);
        }

        if (run.Kind == "delete")
        {
            await client.UpdateCatalogAsync(ServiceId, s => s is null ? null : s with { Providers = s.Providers.Where(p => p.Provider != run.Provider).ToList() }, cancellationToken).ConfigureAwait(false);
        }
        else if (op is CdnOperation<ProviderServiceDetails> typed)
        {
            await client.RecordAsync(ServiceId, typed.Value with { Provider = run.Provider, OperationId = null, Error = null }, cancellationToken).ConfigureAwait(false);
        }

        run.Done = true;
        return run;
    }

    private async Task<ProviderRun> FinishWithErrorAsync(PoppyClient client, ProviderRun run, Exception error, CancellationToken cancellationToken)
    {
        var service = await client.Catalog.GetAsync(ServiceId, cancellationToken).ConfigureAwait(false);
        var previous = service?.Providers.FirstOrDefault(p => p.Provider == run.Provider);
        await client.RecordAsync(ServiceId, PoppyClient.Failed(run.Provider, ServiceId, previous, error), cancellationToken).ConfigureAwait(false);
        if (run.FailoverOrder is { } order && run.Kind != "delete" && ProviderChannel.IsTransient(error) && service is not null)
        {
            // The deployment failed transiently: clean the provider up, then place the service on the next one.
            run.Attempts.Add(new ProviderAttempt(run.Provider, error));
            await client.RemoveHalfCreatedAsync(client.Channel(run.Provider), ServiceId, cancellationToken).ConfigureAwait(false);
            try
            {
                return await client.PlaceWithFailoverAsync(ServiceId, service.Spec, order, run.FailoverIndex + 1, run.Attempts, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new ProviderRun(run.Provider, null, ex, run.Kind) { FailoverOrder = order, Attempts = run.Attempts };
            }
        }

        run.Error = error;
        run.Done = true;
        return run;
    }
}
