using Microsoft.Extensions.Time.Testing;

namespace Poppy.Sdk.Abstractions.Tests;

public class CdnOperationTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public Task WaitForCompletionAsync_PendingTwiceThenSuccess_PollsOnDefaultIntervalAndReturnsValue() => OffTheTestContext(async () =>
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending(), OperationState<string>.Pending(), OperationState<string>.Success("deployed"));

        var wait = operation.WaitForCompletionAsync();

        Assert.Equal(1, operation.Polls);
        _time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Equal(1, operation.Polls);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(2, operation.Polls);
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(3, operation.Polls);
        Assert.Equal("deployed", await wait);
        Assert.True(operation.HasCompleted);
        Assert.True(operation.HasValue);
        Assert.Equal("deployed", operation.Value);
    });

    [Fact]
    public Task WaitForCompletionAsync_VendorRetryAfter_WaitsThatLongInstead() => OffTheTestContext(async () =>
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending("InProgress", TimeSpan.FromSeconds(30)), OperationState<string>.Success("ok"));

        var wait = operation.WaitForCompletionAsync();

        Assert.Equal(TimeSpan.FromSeconds(30), operation.SuggestedPollingDelay);
        Assert.Equal("InProgress", operation.StatusDescription);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        Assert.Equal(1, operation.Polls);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, operation.Polls);
        Assert.True(wait.IsCompleted);
        Assert.Equal("ok", await wait);
    });

    [Fact]
    public Task WaitForCompletionAsync_RetryAfterOverridesCallerInterval() => OffTheTestContext(async () =>
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending(retryAfter: TimeSpan.FromSeconds(10)), OperationState<string>.Success("ok"));

        var wait = operation.WaitForCompletionAsync(TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ok", await wait);
    });

    [Fact]
    public Task WaitForCompletionAsync_CallerInterval_UsedWithoutRetryAfter() => OffTheTestContext(async () =>
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending(), OperationState<string>.Success("ok"));

        var wait = operation.WaitForCompletionAsync(TimeSpan.FromSeconds(2));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ok", await wait);
    });

    [Fact]
    public Task WaitForCompletionAsync_OperationFails_RethrowsItsError() => OffTheTestContext(async () =>
    {
        var error = new CdnRequestFailedException("fastly", "Activation failed.", 500, CdnErrorCode.ServerError, isTransient: false);
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending(), OperationState<string>.Failure(error));

        var wait = operation.WaitForCompletionAsync();
        _time.Advance(TimeSpan.FromSeconds(5));

        var thrown = await Assert.ThrowsAsync<CdnRequestFailedException>(() => wait);
        Assert.Same(error, thrown);
        Assert.Same(error, operation.Error);
        Assert.True(operation.HasCompleted);
        Assert.False(operation.HasValue);
        Assert.Same(error, Assert.Throws<CdnRequestFailedException>(() => operation.Value));
    });

    [Fact]
    public async Task WaitForCompletionAsync_NonGenericBase_RethrowsError()
    {
        var error = new CdnRequestFailedException("akamai", "Deactivation failed.", 409, CdnErrorCode.Conflict, isTransient: false);
        CdnOperation operation = new ScriptedOperation(_time, OperationState<string>.Failure(error));

        await Assert.ThrowsAsync<CdnRequestFailedException>(() => operation.WaitForCompletionAsync());
    }

    [Fact]
    public Task WaitForCompletionAsync_CancelledWhileWaiting_ThrowsAndStopsPolling() => OffTheTestContext(async () =>
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending(), OperationState<string>.Pending(), OperationState<string>.Success("late"));
        using var cts = new CancellationTokenSource();

        var wait = operation.WaitForCompletionAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, operation.Polls);
        Assert.False(operation.HasCompleted);
    });

    [Fact]
    public async Task WaitForCompletionAsync_AlreadyCancelledToken_ThrowsWithoutPolling()
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Success("x"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => operation.WaitForCompletionAsync(new CancellationToken(canceled: true)));
        Assert.Equal(0, operation.Polls);
    }

    [Fact]
    public async Task UpdateStatusAsync_AfterCompletion_DoesNotPollAgain()
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Success("done"));

        Assert.True(await operation.UpdateStatusAsync());
        Assert.True(await operation.UpdateStatusAsync());

        Assert.Equal(1, operation.Polls);
    }

    [Fact]
    public async Task Value_BeforeCompletion_ThrowsInvalidOperationNamingTheId()
    {
        var operation = new ScriptedOperation(_time, OperationState<string>.Pending());

        Assert.False(await operation.UpdateStatusAsync());

        var thrown = Assert.Throws<InvalidOperationException>(() => operation.Value);
        Assert.Contains("op-1", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completed_Factory_IsDoneWithValue()
    {
        var operation = CdnOperations.Completed("create:1", 42);

        Assert.True(operation.HasCompleted);
        Assert.Equal("create:1", operation.Id);
        Assert.Equal(42, await operation.WaitForCompletionAsync());
        Assert.True(CdnOperations.Completed("delete:1", "gone").HasCompleted);
    }

    /// <summary>
    /// Runs a timing scenario on a thread without xunit's synchronization context. With that context
    /// present, a completed <c>Task.Delay</c> posts its <c>ConfigureAwait(false)</c> continuation to the
    /// thread pool instead of running it inside <see cref="FakeTimeProvider.Advance"/>; without it, each
    /// poll happens before <c>Advance</c> returns, so the assertions between advances are exact.
    /// </summary>
    private static Task OffTheTestContext(Func<Task> scenario) => Task.Run(scenario);

    /// <summary>An operation that reports a fixed sequence of states, one per poll.</summary>
    private sealed class ScriptedOperation(TimeProvider time, params OperationState<string>[] states) : CdnOperation<string>(time)
    {
        private readonly Queue<OperationState<string>> _states = new(states);

        public int Polls { get; private set; }

        public override string Id => "op-1";

        protected override ValueTask<OperationState<string>> PollAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Polls++;
            return ValueTask.FromResult(_states.Dequeue());
        }
    }
}
