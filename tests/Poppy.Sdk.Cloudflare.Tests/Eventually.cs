namespace Poppy.Sdk.Cloudflare.Tests;

/// <summary>
/// Waits for background continuations (thread-pool work released by the fake clock) to catch up. It
/// yields; the real-time bound only turns a hang into a failure and is never reached by a passing test.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return;
            }

            await Task.Yield();
        }

        Assert.True(condition(), "The condition did not become true.");
    }
}
