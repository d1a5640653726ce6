using Microsoft.Extensions.Hosting;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// A host lifetime that registers no signal handlers: in-process it would catch the test runner's
/// Ctrl+C/SIGTERM, and standalone the program handles them itself.
/// </summary>
internal sealed class PassiveHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
