using System.Diagnostics;

namespace Poppy.Sdk.Cli.Tests;

/// <summary>Runs the real <c>poppy</c> entry point once, to check Program wires the console streams.</summary>
public sealed class ProgramTests
{
    [Fact]
    public async Task Main_ValidAndMissingFile_WritesResultsToStdoutErrorsToStderrAndExitsTwo()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { "exec", Path.Combine(AppContext.BaseDirectory, "poppy.dll"), "validate", "-", "missing.json" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(await File.ReadAllTextAsync(CliRun.Data("valid.json")));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Equal(["<stdin>: OK"], CliRun.Lines(await stdout));
        Assert.Equal(["missing.json: error: file not found"], CliRun.Lines(await stderr));
    }
}
