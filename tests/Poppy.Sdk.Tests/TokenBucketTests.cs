using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Internal;

namespace Poppy.Sdk.Tests;

public sealed class TokenBucketTests
{
    [Fact]
    public async Task AcquireAsync_BurstThenOnePerPeriod_OnFakeClock()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(tokenLimit: 2, tokensPerPeriod: 1, TimeSpan.FromSeconds(1), time);

        Assert.True((await bucket.AcquireAsync()).IsAcquired);
        Assert.True((await bucket.AcquireAsync()).IsAcquired);
        var third = bucket.AcquireAsync();
        var fourth = bucket.AcquireAsync();
        Assert.False(third.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await third).IsAcquired);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await fourth).IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWaiter_DoesNotTakeATokenAndNextWaiterGetsIt()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimeProviderTokenBucket(1, 1, TimeSpan.FromSeconds(1), time);
        using var cts = new CancellationTokenSource();
        Assert.True((await bucket.AcquireAsync()).IsAcquired);
        var cancelled = bucket.AcquireAsync(1, cts.Token);
        var next = bucket.AcquireAsync();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True((await next).IsAcquired);
    }

    [Fact]
    public async Task AttemptAcquire_NoTokens_Refused_AndDisposeReleasesWaiters()
    {
        var time = new FakeTimeProvider();
        var bucket = new TimeProviderTokenBucket(1, 1, TimeSpan.FromSeconds(1), time);
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);
        var waiting = bucket.AcquireAsync();

        bucket.Dispose();

        Assert.True(waiting.IsCompleted);
        Assert.False((await waiting).IsAcquired);
    }
}
