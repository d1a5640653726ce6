using Poppy.Sdk.Testing.Servers;

namespace Poppy.Sdk.State.Tests;

/// <summary>One throwaway PostgreSQL server for the test run; each test creates its own database on it.</summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PostgreSqlServer? _server;

    internal PostgreSqlServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server did not start.");

    public async Task InitializeAsync() => _server = await PostgreSqlServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlGroup : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
