using Microsoft.Extensions.Logging;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Resilience;

namespace Poppy.Sdk.Purge;

/// <summary>
/// One provider's share of a purge: its vendor-sized batches and where each stands. Each step submits the
/// batches that are due — taking a token of the vendor account's budget for each, never waiting inside the
/// step — and queues the rest: a batch the vendor refuses for rate or in-flight limits waits the vendor's hint
/// and is submitted again (it was not accepted, so nothing is purged twice); a batch that failed transiently is
/// retried with the same idempotency key; a batch the vendor accepted is never sent again.
/// </summary>
internal sealed class ProviderPurgeQueue
{
    private const int MaxTransientAttempts = 3;
    private readonly ResilientCdnProvider _layer;
    private readonly ServiceReference _reference;
    private readonly Slot[] _slots;
    private readonly int _concurrency;
    private readonly ILogger _logger;

    public ProviderPurgeQueue(ResilientCdnProvider layer, ServiceReference reference, IReadOnlyList<PurgeRequest> batches, Guid purgeId, int concurrency, ILogger logger)
    {
        _layer = layer;
        ProviderName = layer.ProviderName;
        _reference = reference;
        _concurrency = Math.Max(1, concurrency);
        _logger = logger;
        _slots = new Slot[batches.Count];
        for (var i = 0; i < batches.Count; i++)
        {
            _slots[i] = new Slot(this, batches[i] with { IdempotencyKey = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{purgeId:N}-{ProviderName}-{i}") });
        }
    }

    /// <summary>A provider that cannot take this purge at all.</summary>
    public ProviderPurgeQueue(string provider, IReadOnlyList<ValidationProblem> unsupported)
    {
        ProviderName = provider;
        Unsupported = unsupported;
        _layer = null!;
        _slots = [];
        _logger = null!;
    }

    public string ProviderName { get; }

    public IReadOnlyList<ValidationProblem>? Unsupported { get; }

    /// <summary>Whether every batch was accepted or failed for good (and, when asked, the vendor finished).</summary>
    public bool IsFinished(bool waitForVendor)
    {
        foreach (var s in _slots)
        {
            if (s.State != SlotState.Failed && (s.State != SlotState.Accepted || (waitForVendor && !s.VendorDone)))
            {
                return false;
            }
        }

        return true;
    }

    public ProviderPurgeProgress Progress()
    {
        int accepted = 0, failed = 0, queued = 0;
        foreach (var slot in _slots)
        {
            switch (slot.State)
            {
                case SlotState.Accepted: accepted++; break;
                case SlotState.Failed: failed++; break;
                default: queued++; break;
            }
        }

        return new ProviderPurgeProgress(ProviderName, _slots.Length, accepted, failed, queued);
    }

    /// <summary>When the next batch is due (or the next vendor-completion poll), relative to <paramref name="now"/>; null when nothing waits.</summary>
    public TimeSpan? NextDue(DateTimeOffset now, bool waitForVendor)
    {
        TimeSpan? next = null;
        foreach (var slot in _slots)
        {
            TimeSpan? due = slot.State == SlotState.Queued ? slot.NotBefore - now
                : waitForVendor && slot.State == SlotState.Accepted && !slot.VendorDone ? slot.Result?.Completion?.SuggestedPollingDelay ?? slot.Result?.Completion?.DefaultPollingInterval ?? TimeSpan.Zero
                : null;
            if (due is { } d && (next is null || d < next))
            {
                next = d < TimeSpan.Zero ? TimeSpan.Zero : d;
            }
        }

        return next;
    }

    /// <summary>Submits what is due; returns when every submitted call has answered.</summary>
    public Task StepAsync(TimeProvider time, bool waitForVendor, CancellationToken cancellationToken)
    {
        if (Unsupported is not null)
        {
            return Task.CompletedTask;
        }

        if (_slots.Length == 1 && !waitForVendor)
        {
            // One batch (most purges): the loop below without its wave list and its own state machine.
            var slot = _slots[0];
            var now = time.GetUtcNow();
            if (slot.State != SlotState.Queued || slot.NotBefore > now)
            {
                return Task.CompletedTask;
            }

            var token = _layer.TryTakePurgeTokenAsync(cancellationToken);
            return token.IsCompletedSuccessfully ? SubmitIfGranted(token.Result, slot, now, time, cancellationToken) : SubmitWhenGrantedAsync(token, slot, now, time, cancellationToken);
        }

        return StepCoreAsync(time, waitForVendor, cancellationToken);
    }

    private Task SubmitIfGranted(RateBudgetDecision token, Slot slot, DateTimeOffset now, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!token.Acquired)
        {
            DeferFrom(0, now + token.RetryAfter);
            return Task.CompletedTask;
        }

        return SubmitAsync(slot, time, cancellationToken);
    }

    private async Task SubmitWhenGrantedAsync(ValueTask<RateBudgetDecision> token, Slot slot, DateTimeOffset now, TimeProvider time, CancellationToken cancellationToken) =>
        await SubmitIfGranted(await token.ConfigureAwait(false), slot, now, time, cancellationToken).ConfigureAwait(false);

    private async Task StepCoreAsync(TimeProvider time, bool waitForVendor, CancellationToken cancellationToken)
    {
        var wave = new List<Slot>(_concurrency);
        var index = 0;
        while (true)
        {
            wave.Clear();
            var now = time.GetUtcNow();
            for (; index < _slots.Length && wave.Count < _concurrency; index++)
            {
                var slot = _slots[index];
                if (slot.State != SlotState.Queued || slot.NotBefore > now)
                {
                    continue;
                }

                var token = await _layer.TryTakePurgeTokenAsync(cancellationToken).ConfigureAwait(false);
                if (!token.Acquired)
                {
                    // The vendor account's budget is spent: this and every later batch wait for the next token.
                    DeferFrom(index, now + token.RetryAfter);
                    index = _slots.Length;
                    break;
                }

                wave.Add(slot);
            }

            if (wave.Count == 0)
            {
                break;
            }

            var limited = false;
            if (wave.Count == 1)
            {
                limited = await SubmitAsync(wave[0], time, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var results = await Task.WhenAll(wave.Select(s => SubmitAsync(s, time, cancellationToken))).ConfigureAwait(false);
                limited = results.Any(static r => r);
            }

            if (limited)
            {
                // The vendor said "not now": later batches wait too (they would only be refused).
                var at = wave.Where(s => s.State == SlotState.Queued).Select(s => s.NotBefore).DefaultIfEmpty(now).Max();
                DeferFrom(index, at);
                break;
            }
        }

        if (waitForVendor)
        {
            foreach (var slot in _slots)
            {
                if (slot.State == SlotState.Accepted && !slot.VendorDone)
                {
                    slot.VendorDone = slot.Result!.Completion is not { } completion || await completion.UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public ProviderPurgeReport Report()
    {
        int accepted = 0, failed = 0;
        foreach (var slot in _slots)
        {
            accepted += slot.State == SlotState.Accepted ? 1 : 0;
            failed += slot.State == SlotState.Failed ? 1 : 0;
        }

        var succeeded = accepted == 0 ? [] : new PurgeResult[accepted];
        var failures = failed == 0 ? [] : new FailedPurgeBatch[failed];
        int a = 0, f = 0;
        foreach (var slot in _slots)
        {
            if (slot.State == SlotState.Accepted)
            {
                succeeded[a++] = slot.Result!;
            }
            else if (slot.State == SlotState.Failed)
            {
                failures[f++] = new FailedPurgeBatch(slot.Batch.Items, slot.Error!);
            }
        }

        return new() { Provider = ProviderName, Unsupported = Unsupported, Succeeded = succeeded, Failed = failures };
    }

    private void DeferFrom(int index, DateTimeOffset notBefore)
    {
        for (var i = index; i < _slots.Length; i++)
        {
            if (_slots[i].State == SlotState.Queued && _slots[i].NotBefore < notBefore)
            {
                _slots[i].NotBefore = notBefore;
            }
        }
    }

    /// <returns>Whether the vendor refused for rate or in-flight limits.</returns>
    private async Task<bool> SubmitAsync(Slot slot, TimeProvider time, CancellationToken cancellationToken)
    {
        var items = Math.Max(1, slot.Batch.Items.Count);
        try
        {
            // The slot is the call's whole state (one reference, not the reference and batch as a tuple): it is copied into each
            // of the resilience layer's suspended state machines, so the smaller state saves bytes on every purge call.
            slot.Result = _layer.WrapCompletion(await _layer.InvokeAsync(
                "purge", _reference.ServiceId, static (p, s, ct) => p.PurgeAsync(s.Owner._reference, s.Batch, ct), slot, cancellationToken).ConfigureAwait(false));
            slot.State = SlotState.Accepted;
            PoppyTelemetry.PurgeItems.Add(items, new KeyValuePair<string, object?>("poppy.provider", ProviderName), new KeyValuePair<string, object?>("poppy.outcome", "success"));
            return false;
        }
        catch (CdnRateLimitedException limited)
        {
            slot.NotBefore = time.GetUtcNow() + (limited.RetryAfter is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
            Log.PurgeQueued(_logger, _reference.ServiceId, ProviderName, (slot.NotBefore - time.GetUtcNow()).TotalSeconds);
            return true;
        }
        catch (Exception ex) when (ResilientCdnProvider.IsTransient(ex) && ++slot.TransientFailures < MaxTransientAttempts)
        {
            slot.NotBefore = time.GetUtcNow() + TimeSpan.FromSeconds(1 << slot.TransientFailures);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            slot.State = SlotState.Failed;
            slot.Error = ProviderError.FromException(ex);
            PoppyTelemetry.PurgeItems.Add(items, new KeyValuePair<string, object?>("poppy.provider", ProviderName), new KeyValuePair<string, object?>("poppy.outcome", "failed"));
            return false;
        }
    }

    private enum SlotState
    {
        Queued,
        Accepted,
        Failed,
    }

    private sealed class Slot(ProviderPurgeQueue owner, PurgeRequest batch)
    {
        public ProviderPurgeQueue Owner { get; } = owner;

        public PurgeRequest Batch { get; } = batch;

        public SlotState State { get; set; }

        public DateTimeOffset NotBefore { get; set; }

        public int TransientFailures { get; set; }

        public PurgeResult? Result { get; set; }

        public ProviderError? Error { get; set; }

        public bool VendorDone { get; set; }
    }
}
