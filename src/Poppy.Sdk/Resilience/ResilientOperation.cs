namespace Poppy.Sdk.Resilience;

/// <summary>An operation returned by a provider, whose every poll passes the provider's resilience and telemetry layer.</summary>
/// <typeparam name="T">The result type.</typeparam>
internal sealed class ResilientOperation<T> : DelegatingCdnOperation<T>
{
    private readonly ResilientCdnProvider _layer;

    public ResilientOperation(CdnOperation<T> inner, ResilientCdnProvider layer, TimeProvider timeProvider)
        : base(inner, timeProvider)
    {
        _layer = layer;
    }

    /// <summary>The provider's own operation.</summary>
    public CdnOperation<T> Inner => InnerOperation;

    /// <inheritdoc />
    protected override async ValueTask<OperationState<T>> PollAsync(CancellationToken cancellationToken) =>
        await _layer.InvokeAsync("poll", InnerOperation.Id, static (_, self, ct) => self.PollInnerAsync(ct), this, cancellationToken).ConfigureAwait(false);

    private Task<OperationState<T>> PollInnerAsync(CancellationToken cancellationToken) => base.PollAsync(cancellationToken).AsTask();
}
