namespace Poppy.Sdk.Testing;

/// <summary>A create, update or delete on the in-memory provider; polls the provider's clock.</summary>
internal sealed class InMemoryOperation : CdnOperation<ProviderServiceDetails>
{
    private readonly InMemoryCdnProvider _provider;
    private readonly string _kind;
    private readonly string _serviceId;
    private readonly int _version;

    public InMemoryOperation(InMemoryCdnProvider provider, string kind, string serviceId, int version)
        : base(null)
    {
        _provider = provider;
        _kind = kind;
        _serviceId = serviceId;
        _version = version;
        Id = $"{provider.Name}:{kind}:{serviceId}:{version}";
    }

    public override string Id { get; }

    public override TimeSpan DefaultPollingInterval => TimeSpan.FromSeconds(1);

    protected override ValueTask<OperationState> PollAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_provider.Poll(_kind, _serviceId, _version));
    }
}
