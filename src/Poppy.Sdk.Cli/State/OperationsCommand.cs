using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Poppy.Sdk.Cli.State;

/// <summary><c>poppy operations list|wait</c>: the operation journal, read and watched.</summary>
internal static class OperationsCommand
{
    private const string Usage = """
        Usage: poppy operations list [--state running|succeeded|failed] [--service ID] [--limit N] [--json] [--catalog VALUE]
               poppy operations wait ID [--timeout 10m] [--interval 2s] [--catalog VALUE]

        list  Lists journaled operations, newest start first: id, kind, state, owner instance,
              start, lease end (running) or completion, claims (takeovers by another instance),
              and the error of a failed one.
                --state S      Only operations in this state.
                --service ID   Only this service's operations.
                --limit N      At most N operations (default 100).
                --json         Print one JSON array: [{"id", "run_id", "service_id", "kind", "state",
                               "owner", "started_at", "updated_at", "lease_expires_at",
                               "completed_at", "claims", "error": {"code", "message", ...} | null}].

        wait  Watches one operation until it leaves 'running' (its owner, or another instance's
              recovery, drives it; poppy only reads the journal), printing its state, owner and
              lease whenever they change.
                --timeout T    Give up after T (default 10m). Units: ms, s, m, h, d.
                --interval T   Read the journal every T (default 2s).

          --catalog VALUE  A SQLite file or connection string ('Data Source=...'), or a PostgreSQL
                           connection string. Default: $POPPY_CATALOG, else poppy/poppy.db in the
                           user's local application data folder.
          -h, --help       Show this help.

        Exit codes: list: 0 listed, 2 usage error or unreadable journal.
                    wait: 0 succeeded, 1 failed, 2 usage error or unknown id, 3 timed out.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var line = CommandLine.Parse(args, ["--json"], ["--catalog", "--state", "--service", "--limit", "--timeout", "--interval"], out var error);
        if (line is null)
        {
            return await UsageErrorAsync(stderr, error!).ConfigureAwait(false);
        }

        if (line.Help)
        {
            await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
            return PoppyCli.Ok;
        }

        return line.Arguments.FirstOrDefault() switch
        {
            null => await UsageErrorAsync(stderr, "no subcommand given (expected 'list' or 'wait').").ConfigureAwait(false),
            "list" => await ListAsync(line, stdout, stderr, environment, cancellationToken).ConfigureAwait(false),
            "wait" => await WaitAsync(line, stdout, stderr, environment, cancellationToken).ConfigureAwait(false),
            var other => await UsageErrorAsync(stderr, $"unknown subcommand '{other}'.").ConfigureAwait(false),
        };
    }

    private static async Task<int> ListAsync(CommandLine line, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (line.Arguments.Count > 1)
        {
            return await UsageErrorAsync(stderr, $"unexpected argument '{line.Arguments[1]}'.").ConfigureAwait(false);
        }

        if (line.Value("--timeout") is not null || line.Value("--interval") is not null)
        {
            return await UsageErrorAsync(stderr, "--timeout and --interval belong to 'wait'.").ConfigureAwait(false);
        }

        var query = new OperationJournalQuery();
        if (line.Value("--state") is { } stateText)
        {
            if (StateFormat.ParseState(stateText) is not { } state)
            {
                return await UsageErrorAsync(stderr, $"--state must be running, succeeded or failed (got '{stateText}').").ConfigureAwait(false);
            }

            query = query with { State = state };
        }

        if (line.Value("--service") is { } service)
        {
            query = query with { ServiceId = service };
        }

        if (line.Value("--limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
            {
                return await UsageErrorAsync(stderr, $"--limit must be a whole number of at least 1 (got '{limitText}').").ConfigureAwait(false);
            }

            query = query with { Limit = limit };
        }

        var (store, exit) = await OpenJournalAsync(line, "list", stderr, environment).ConfigureAwait(false);
        if (store?.Journal is not { } journal)
        {
            return exit;
        }

        await using var owned = store;

        var json = line.Has("--json");
        var entries = new List<OperationJournalEntry>();
        try
        {
            await foreach (var entry in journal.ListAsync(query, cancellationToken).ConfigureAwait(false))
            {
                if (json)
                {
                    entries.Add(entry);
                }
                else
                {
                    await stdout.WriteLineAsync(Describe(entry)).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
        {
            await stderr.WriteLineAsync($"poppy operations list: cannot read the journal ({store.Description}): {ex.Message}").ConfigureAwait(false);
            return PoppyCli.UsageOrInputError;
        }

        if (json)
        {
            await stdout.WriteLineAsync(ToJson(entries)).ConfigureAwait(false);
        }

        return PoppyCli.Ok;
    }

    private static async Task<int> WaitAsync(CommandLine line, TextWriter stdout, TextWriter stderr, CliEnvironment environment, CancellationToken cancellationToken)
    {
        if (line.Arguments.Count != 2)
        {
            return await UsageErrorAsync(stderr, line.Arguments.Count < 2 ? "wait needs an operation id." : $"unexpected argument '{line.Arguments[2]}'.").ConfigureAwait(false);
        }

        if (line.Has("--json") || line.Value("--state") is not null || line.Value("--service") is not null || line.Value("--limit") is not null)
        {
            return await UsageErrorAsync(stderr, "--json, --state, --service and --limit belong to 'list'.").ConfigureAwait(false);
        }

        var timeout = TimeSpan.FromMinutes(10);
        var interval = TimeSpan.FromSeconds(2);
        if (line.Value("--timeout") is { } timeoutText && !CommandLine.TryParseDuration(timeoutText, out timeout))
        {
            return await UsageErrorAsync(stderr, $"--timeout must be a positive duration such as 90s or 10m (got '{timeoutText}').").ConfigureAwait(false);
        }

        if (line.Value("--interval") is { } intervalText && !CommandLine.TryParseDuration(intervalText, out interval))
        {
            return await UsageErrorAsync(stderr, $"--interval must be a positive duration such as 500ms or 2s (got '{intervalText}').").ConfigureAwait(false);
        }

        var operationId = line.Arguments[1];
        var (store, exit) = await OpenJournalAsync(line, "wait", stderr, environment).ConfigureAwait(false);
        if (store?.Journal is not { } journal)
        {
            return exit;
        }

        await using var owned = store;

        var time = environment.Time;
        var started = time.GetTimestamp();
        (OperationJournalState, string, DateTimeOffset, string)? shown = null;
        while (true)
        {
            OperationJournalEntry? entry;
            try
            {
                entry = await journal.GetAsync(operationId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StateErrors.IsStoreFailure(ex))
            {
                await stderr.WriteLineAsync($"poppy operations wait: cannot read the journal ({store.Description}): {ex.Message}").ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            }

            if (entry is null)
            {
                await stderr.WriteLineAsync(shown is null
                    ? $"poppy operations wait: no operation '{operationId}' in the journal ({store.Description})."
                    : $"poppy operations wait: operation '{operationId}' left the journal (pruned) before it was seen completed.").ConfigureAwait(false);
                return PoppyCli.UsageOrInputError;
            }

            switch (entry.State)
            {
                case OperationJournalState.Succeeded:
                    await stdout.WriteLineAsync($"{entry.OperationId}: succeeded at {StateFormat.Time(entry.CompletedAt ?? entry.UpdatedAt)} (owner {entry.Owner}).").ConfigureAwait(false);
                    return PoppyCli.Ok;
                case OperationJournalState.Failed:
                    await stdout.WriteLineAsync($"{entry.OperationId}: failed at {StateFormat.Time(entry.CompletedAt ?? entry.UpdatedAt)} (owner {entry.Owner}): {(entry.Error is { } e ? StateFormat.Error(e) : "no error recorded")}").ConfigureAwait(false);
                    return PoppyCli.Invalid;
            }

            var progress = (entry.State, entry.Owner, entry.LeaseExpiresAt, entry.RunId);
            if (shown != progress)
            {
                shown = progress;
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{entry.OperationId}: running, owner {entry.Owner}, lease until {StateFormat.Time(entry.LeaseExpiresAt)}, claims {entry.Claims}")).ConfigureAwait(false);
            }

            var elapsed = time.GetElapsedTime(started);
            if (elapsed >= timeout)
            {
                await stderr.WriteLineAsync($"poppy operations wait: timed out after {timeout}; '{operationId}' is still running.").ConfigureAwait(false);
                return PoppyCli.TimedOut;
            }

            var wait = timeout - elapsed < interval ? timeout - elapsed : interval;
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Opens the store <c>--catalog</c> names; null (with the exit code, the problem reported) when it has no journal.</summary>
    private static async Task<(StateStore? Store, int Exit)> OpenJournalAsync(CommandLine line, string subcommand, TextWriter stderr, CliEnvironment environment)
    {
        var store = StateStore.Open(line.Value("--catalog"), environment, out var error);
        if (store is null)
        {
            return (null, await UsageErrorAsync(stderr, error!).ConfigureAwait(false));
        }

        if (store.Journal is null)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            await stderr.WriteLineAsync($"poppy operations {subcommand}: {store.JournalUnavailable}").ConfigureAwait(false);
            return (null, PoppyCli.UsageOrInputError);
        }

        return (store, PoppyCli.Ok);
    }

    /// <summary>One line per entry: id, kind, state, owner, start, lease or completion, claims, error.</summary>
    internal static string Describe(OperationJournalEntry entry)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{entry.OperationId}  {OperationId.KindText(entry.Kind)}  {StateFormat.State(entry.State)}  owner={entry.Owner}  started={StateFormat.Time(entry.StartedAt)}  ");
        text.Append(entry.State == OperationJournalState.Running
            ? "lease=" + StateFormat.Time(entry.LeaseExpiresAt)
            : "completed=" + (entry.CompletedAt is { } completed ? StateFormat.Time(completed) : "?"));
        text.Append(CultureInfo.InvariantCulture, $"  claims={entry.Claims}");
        if (entry.Error is { } error)
        {
            text.Append("  error=").Append(StateFormat.Error(error));
        }

        return text.ToString();
    }

    private static string ToJson(List<OperationJournalEntry> entries) => StateFormat.Json(writer =>
    {
        writer.WriteStartArray();
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("id", entry.OperationId);
            writer.WriteString("run_id", entry.RunId);
            writer.WriteString("service_id", entry.ServiceId);
            writer.WriteString("kind", OperationId.KindText(entry.Kind));
            writer.WriteString("state", StateFormat.State(entry.State));
            writer.WriteString("owner", entry.Owner);
            writer.WriteString("started_at", StateFormat.JsonTime(entry.StartedAt));
            writer.WriteString("updated_at", StateFormat.JsonTime(entry.UpdatedAt));
            writer.WriteString("lease_expires_at", StateFormat.JsonTime(entry.LeaseExpiresAt));
            writer.WriteString("completed_at", entry.CompletedAt is { } completed ? StateFormat.JsonTime(completed) : null);
            writer.WriteNumber("claims", entry.Claims);
            StateFormat.WriteError(writer, "error", entry.Error);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private static Task<int> UsageErrorAsync(TextWriter stderr, string message) => CommandLine.UsageErrorAsync(stderr, "poppy operations", message, Usage);
}
