using Poppy.Sdk.Operations;

namespace Poppy.Sdk.Tests;

public sealed class KeyedGateTests
{
    [Fact]
    public async Task EnterAsync_SameKey_OneHolderAtATimeAndNothingLeftAfterwards()
    {
        var gates = new KeyedGate();
        var first = await gates.EnterAsync("a", CancellationToken.None);
        var second = gates.EnterAsync("a", CancellationToken.None).AsTask();
        var other = await gates.EnterAsync("b", CancellationToken.None);

        Assert.False(second.IsCompleted);
        Assert.Equal(2, gates.Count);
        first.Dispose();
        (await second).Dispose();
        other.Dispose();

        Assert.Equal(0, gates.Count);
    }

    [Fact]
    public async Task EnterAsync_WaiterCancelled_LeavesNoGateBehind()
    {
        var gates = new KeyedGate();
        var held = await gates.EnterAsync("a", CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiting = gates.EnterAsync("a", cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, gates.Count);
    }
}
