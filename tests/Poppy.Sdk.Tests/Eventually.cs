namespace Poppy.Sdk.Tests;

/// <summary>
/// Waits for background continuations (thread-pool work released by the fake clock) to catch up.
/// It yields; it does not sleep for a duration the test depends on.
/// </summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int maxYields = 200_000)
    {
        for (var i = 0; i < maxYields; i++)
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
