using System.Diagnostics;
using System.Globalization;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.State.Tests;

/// <summary>
/// "Safe against two processes on one file" across real OS processes: worker processes
/// (tests/Poppy.Sdk.State.Worker) open the same SQLite file, are released together, and claim journal entries or
/// write the catalog at once. In-process handles (the contract tests) share one SQLite library; these do not.
/// </summary>
public sealed class SqliteCrossProcessTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = TempFolder.Create();

    private string File => Path.Combine(_folder.Path, "poppy.db");

    private SqliteServiceCatalogOptions Options => new() { ConnectionString = $"Data Source={File}" };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task ClaimExpiredAsync_ThreeProcessesAtOnce_ClaimEachEntryExactlyOnce()
    {
        const int entries = 120;
        var journal = new SqliteOperationJournal(Options);
        for (var i = 0; i < entries; i++)
        {
            var started = T0.AddMilliseconds(i);
            await journal.StartAsync(new OperationJournalEntry
            {
                OperationId = $"poppy:create:svc-{i:D3}",
                RunId = "r",
                ServiceId = $"svc-{i:D3}",
                Kind = OperationKind.Create,
                Owner = "stopped",
                StartedAt = started,
                UpdatedAt = started,
                LeaseExpiresAt = started.AddSeconds(10),
            });
        }

        var now = T0.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var outputs = await RunTogetherAsync([["claim", File, "process-0", now], ["claim", File, "process-1", now], ["claim", File, "process-2", now]]);

        var claimed = outputs.SelectMany((lines, p) => lines.Select(id => (Id: id, Owner: $"process-{p}"))).ToList();
        Assert.Equal(entries, claimed.Count);
        Assert.Equal(entries, claimed.Select(c => c.Id).Distinct().Count());
        foreach (var (id, owner) in claimed)
        {
            var entry = await journal.GetAsync(id);
            Assert.Equal((owner, 1), (entry!.Owner, entry.Claims));
        }
    }

    [Fact]
    public async Task SaveAsync_ThreeProcessesAppendingAtOnce_LoseNoUpdate()
    {
        const int each = 15;
        var catalog = new SqliteServiceCatalog(Options);
        await catalog.SaveAsync(TestServices.Service("counter"));

        var outputs = await RunTogetherAsync([["append", File, "w0", $"{each}"], ["append", File, "w1", $"{each}"], ["append", File, "w2", $"{each}"]]);

        var final = (await catalog.GetAsync("counter"))!;
        Assert.Equal(1 + (3 * each), final.Version);
        Assert.Equal(3 * each, final.PendingCleanup.Distinct().Count());
        for (var w = 0; w < 3; w++)
        {
            // Each writer's appends in its own order: re-read after a conflict, never reordered or lost.
            Assert.Equal(Enumerable.Range(0, each).Select(i => $"w{w}-{i}"), final.PendingCleanup.Where(p => p.StartsWith($"w{w}-", StringComparison.Ordinal)));
            Assert.StartsWith("conflicts ", Assert.Single(outputs[w]), StringComparison.Ordinal);
        }
    }

    /// <summary>Starts one worker process per argument list, waits until each has opened the file, releases them together, and returns each one's output lines.</summary>
    private static async Task<List<string>[]> RunTogetherAsync(IReadOnlyList<string[]> workers)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var processes = new List<Process>();
        try
        {
            foreach (var arguments in workers)
            {
                var start = new ProcessStartInfo(host)
                {
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                    WorkingDirectory = AppContext.BaseDirectory,
                };
                foreach (var argument in (string[])["exec", Path.Combine(AppContext.BaseDirectory, "poppy-state-worker.dll"), .. arguments])
                {
                    start.ArgumentList.Add(argument);
                }

                processes.Add(Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start."));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            foreach (var process in processes)
            {
                Assert.Equal("ready", await process.StandardOutput.ReadLineAsync(timeout.Token));
            }

            var stdout = processes.Select(p => p.StandardOutput.ReadToEndAsync(timeout.Token)).ToList();
            var stderr = processes.Select(p => p.StandardError.ReadToEndAsync(timeout.Token)).ToList();
            foreach (var process in processes)
            {
                await process.StandardInput.WriteLineAsync("go");
                process.StandardInput.Close();
            }

            var lines = new List<string>[processes.Count];
            for (var i = 0; i < processes.Count; i++)
            {
                await processes[i].WaitForExitAsync(timeout.Token);
                Assert.True(processes[i].ExitCode == 0, $"worker {i} exited with {processes[i].ExitCode}: {await stderr[i]}");
                lines[i] = [.. (await stdout[i]).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            }

            return lines;
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }
}
