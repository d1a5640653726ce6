using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Redis.Tests;

/// <summary>One throwaway Redis for the tests of a class that do not stop it.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
