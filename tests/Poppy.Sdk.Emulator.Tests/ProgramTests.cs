using System.Diagnostics;

namespace Poppy.Sdk.Emulator.Tests;

/// <summary>Runs the real standalone entry point (what <c>poppy-emulator</c> and .ci/run start) for the commands that end by themselves.</summary>
public sealed class ProgramTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "Poppy.Sdk.Emulator.dll") }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Main_Version_PrintsItAndExitsZeroCleanly()
    {
        var (code, stdout, stderr) = await RunAsync("--version");

        Assert.Equal(0, code);
        Assert.StartsWith("poppy-emulator ", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Main_BadPort_ExitsTwoWithTheReasonOnStderr()
    {
        var (code, stdout, stderr) = await RunAsync("--port", "abc");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.StartsWith("poppy-emulator: --port: 'abc' is not a port number", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }
}
