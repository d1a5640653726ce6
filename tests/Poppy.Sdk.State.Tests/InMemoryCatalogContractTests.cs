namespace Poppy.Sdk.State.Tests;

/// <summary>The contract on the in-memory default (a second handle is the same instance: it is one process's catalog).</summary>
public sealed class InMemoryCatalogContractTests : CatalogContractTests
{
    protected override Task<Func<IServiceCatalog>> CreateStoreAsync(int listPageSize)
    {
        var catalog = new InMemoryServiceCatalog();
        return Task.FromResult<Func<IServiceCatalog>>(() => catalog);
    }
}
