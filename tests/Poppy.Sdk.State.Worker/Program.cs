// A worker process for the SQLite cross-process tests (tests/Poppy.Sdk.State.Tests/SqliteCrossProcessTests.cs).
// It opens the file, prints "ready", waits for one line on standard input (so every worker starts at once), then:
//   claim FILE OWNER UNIX_MS   claims expired journal entries, 7 at a time, until none is left; prints each id
//   append FILE WRITER COUNT   COUNT times: reads the service "counter", appends "WRITER-i" to it and saves it with
//                              the version read, re-reading on a version conflict; prints the conflicts it met
using System.Globalization;
using Poppy.Sdk;
using Poppy.Sdk.Sqlite;

if (args.Length != 4 || args[0] is not ("claim" or "append"))
{
    await Console.Error.WriteLineAsync("usage: poppy-state-worker claim FILE OWNER UNIX_MS | append FILE WRITER COUNT").ConfigureAwait(false);
    return 2;
}

var options = new SqliteServiceCatalogOptions { ConnectionString = $"Data Source={args[1]}" };
if (args[0] == "claim")
{
    await ClaimAsync(new SqliteOperationJournal(options), args[2], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[3], CultureInfo.InvariantCulture))).ConfigureAwait(false);
}
else
{
    await AppendAsync(new SqliteServiceCatalog(options), args[2], int.Parse(args[3], CultureInfo.InvariantCulture)).ConfigureAwait(false);
}

return 0;

static async Task ClaimAsync(SqliteOperationJournal journal, string owner, DateTimeOffset now)
{
    await StartSignalAsync().ConfigureAwait(false);
    while (true)
    {
        var batch = await journal.ClaimExpiredAsync(owner, now, now.AddMinutes(5), 7).ConfigureAwait(false);
        if (batch.Count == 0)
        {
            return;
        }

        foreach (var entry in batch)
        {
            Console.WriteLine(entry.OperationId);
        }
    }
}

static async Task AppendAsync(SqliteServiceCatalog catalog, string writer, int count)
{
    var conflicts = 0;
    await StartSignalAsync().ConfigureAwait(false);
    for (var i = 0; i < count; i++)
    {
        while (true)
        {
            var current = await catalog.GetAsync("counter").ConfigureAwait(false) ?? throw new InvalidOperationException("no service 'counter'");
            try
            {
                await catalog.SaveAsync(current with { PendingCleanup = [.. current.PendingCleanup, string.Create(CultureInfo.InvariantCulture, $"{writer}-{i}")] }).ConfigureAwait(false);
                break;
            }
            catch (CatalogConflictException)
            {
                conflicts++;
            }
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"conflicts {conflicts}"));
}

static async Task StartSignalAsync()
{
    Console.WriteLine("ready");
    await Console.Out.FlushAsync().ConfigureAwait(false);
    _ = await Console.In.ReadLineAsync().ConfigureAwait(false);
}
