using System.Text.Json;
using Microsoft.Data.Sqlite;
using Poppy.Sdk.Models;
using Poppy.Sdk.PostgreSql;
using Poppy.Sdk.Sqlite;
using Poppy.Sdk.TestSupport;

namespace Poppy.Sdk.Cli.Tests;

/// <summary>
/// <c>poppy catalog list</c>, <c>poppy operations list/wait</c> and <c>poppy db script</c> against real SQLite files
/// written by the SDK's own stores in a temporary folder, as another process would have left them.
/// </summary>
public sealed class StateCommandsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("poppy-cli-").FullName;

    private string File => Path.Combine(_folder, "poppy.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task CatalogList_ServicesSavedByAnEarlierProcess_ListsEachWithItsProviders()
    {
        await SaveServicesAsync();

        var result = await RunAsync("catalog", "list", "--catalog", File);

        Assert.Equal(0, result.Code);
        Assert.Empty(result.Err);
        Assert.Equal(
            [
                "svc-a  global  failed  fastly=deployed SU1Z0isxPaozGVKXdv0eY, cloudfront=failed E2QWRUHAPOMQZL",
                "svc-b  edge  create_in_progress  akamai=create_in_progress",
                "svc-c  global  create_in_progress  (no providers)",
                $"3 services in the SQLite file {File}.",
            ],
            CliRun.Lines(result.Out));
    }

    [Fact]
    public async Task CatalogList_Json_PrintsOneArrayWithProvidersAndVersions()
    {
        await SaveServicesAsync();

        var result = await RunAsync("catalog", "list", "--json", $"--catalog=Data Source={File}");

        Assert.Equal(0, result.Code);
        using var document = JsonDocument.Parse(result.Out);
        var services = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["svc-a", "svc-b", "svc-c"], services.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(("global", "failed", 1), (services[0].GetProperty("flavor").GetString(), services[0].GetProperty("status").GetString(), services[0].GetProperty("version").GetInt32()));
        var cloudfront = services[0].GetProperty("providers")[1];
        Assert.Equal(("cloudfront", "failed", "E2QWRUHAPOMQZL"), (cloudfront.GetProperty("name").GetString(), cloudfront.GetProperty("status").GetString(), cloudfront.GetProperty("vendor_id").GetString()));
        Assert.Equal(JsonValueKind.Null, services[1].GetProperty("providers")[0].GetProperty("vendor_id").ValueKind);
    }

    [Fact]
    public async Task CatalogList_NoCatalogOption_UsesPoppyCatalogVariable()
    {
        await SaveServicesAsync();
        var environment = new CliEnvironment { GetVariable = name => name == "POPPY_CATALOG" ? File : null, LocalApplicationData = () => throw new InvalidOperationException("not used") };

        var result = await RunAsync(environment, "catalog", "list");

        Assert.Equal(0, result.Code);
        Assert.Equal($"3 services in the SQLite file {File}.", CliRun.Lines(result.Out)[^1]);
    }

    [Fact]
    public async Task CatalogList_NothingConfigured_CreatesPoppyDbInTheLocalApplicationDataFolder()
    {
        var data = Path.Combine(_folder, "appdata");
        var environment = new CliEnvironment { GetVariable = _ => null, LocalApplicationData = () => data };

        var result = await RunAsync(environment, "catalog", "list");

        var expected = Path.Combine(data, "poppy", "poppy.db");
        Assert.Equal(0, result.Code);
        Assert.Equal($"0 services in the SQLite file {expected}.", result.Out.TrimEnd());
        Assert.True(System.IO.File.Exists(expected));
        Assert.Equal(SqliteServiceCatalog.LatestSchemaVersion, await new SqliteServiceCatalog($"Data Source={expected}").GetSchemaVersionAsync());
    }

    [Fact]
    public async Task CatalogList_NotADatabase_ExitsTwoSayingSo()
    {
        await System.IO.File.WriteAllTextAsync(File, "this is not a SQLite database, it is long enough to have a header page ..................................................");

        var result = await RunAsync("catalog", "list", "--catalog", File);

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"poppy catalog list: cannot read the catalog (SQLite file {File}):", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperationsList_FiltersByStateAndService_AndHonoursTheLimit()
    {
        await JournalSampleAsync();

        var all = await RunAsync("operations", "list", "--catalog", File);
        var failed = await RunAsync("operations", "list", "--catalog", File, "--state", "failed");
        var ofA = await RunAsync("operations", "list", "--catalog", File, "--service", "svc-a");
        var newest = await RunAsync("operations", "list", "--catalog", File, "--limit", "1");

        Assert.Equal(0, all.Code);
        Assert.Equal(
            [
                "poppy:purge:svc-a:p1  purge  running  owner=host-b:7:cd  started=2026-12-07T10:00:03Z  lease=2026-12-07T10:05:00Z  claims=1",
                "poppy:delete:svc-b  delete  failed  owner=host-a:1:ab  started=2026-12-07T10:00:02Z  completed=2026-12-07T10:01:00Z  claims=0  error=rate_limited: Too many requests (fastly)",
                "poppy:create:svc-a  create  succeeded  owner=host-a:1:ab  started=2026-12-07T10:00:01Z  completed=2026-12-07T10:00:30Z  claims=0",
            ],
            CliRun.Lines(all.Out));
        Assert.Equal(["poppy:delete:svc-b"], CliRun.Lines(failed.Out).Select(l => l.Split("  ")[0]));
        Assert.Equal(["poppy:purge:svc-a:p1", "poppy:create:svc-a"], CliRun.Lines(ofA.Out).Select(l => l.Split("  ")[0]));
        Assert.Equal(["poppy:purge:svc-a:p1"], CliRun.Lines(newest.Out).Select(l => l.Split("  ")[0]));
    }

    [Fact]
    public async Task OperationsList_Json_PrintsEveryField()
    {
        await JournalSampleAsync();

        var result = await RunAsync("operations", "list", "--json", "--state", "failed", "--catalog", File);

        Assert.Equal(0, result.Code);
        using var document = JsonDocument.Parse(result.Out);
        var entry = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal(("poppy:delete:svc-b", "r1", "svc-b", "delete", "failed", "host-a:1:ab"), (Text(entry, "id"), Text(entry, "run_id"), Text(entry, "service_id"), Text(entry, "kind"), Text(entry, "state"), Text(entry, "owner")));
        Assert.Equal(T0.AddSeconds(2), entry.GetProperty("started_at").GetDateTimeOffset());
        Assert.Equal(T0.AddMinutes(1), entry.GetProperty("completed_at").GetDateTimeOffset());
        Assert.Equal(0, entry.GetProperty("claims").GetInt32());
        var error = entry.GetProperty("error");
        Assert.Equal(("rate_limited", 429, true), (Text(error, "code"), error.GetProperty("http_status").GetInt32(), error.GetProperty("transient").GetBoolean()));
    }

    [Fact]
    public async Task OperationsWait_CompletedMeanwhileByAnotherHandle_PrintsProgressAndExitsZero()
    {
        var (time, _, waiting) = await StartWaitingAsync("svc-w", OperationKind.Create, "1m");
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        var other = new SqliteOperationJournal(new SqliteServiceCatalogOptions { ConnectionString = new SqliteConnectionStringBuilder { DataSource = File, Pooling = false }.ToString() });
        Assert.True(await other.RenewAsync("poppy:create:svc-w", "r1", "host-a", T0.AddSeconds(1), T0.AddMinutes(3)));
        time.Advance(TimeSpan.FromSeconds(2));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(2));
        Assert.True(await other.CompleteAsync("poppy:create:svc-w", "r1", OperationJournalState.Succeeded, null, T0.AddSeconds(3)));
        time.Advance(TimeSpan.FromSeconds(2));
        var result = await waiting;

        Assert.Equal(0, result.Code);
        Assert.Empty(result.Err);
        Assert.Equal(
            [
                "poppy:create:svc-w: running, owner host-a, lease until 2026-12-07T10:02:00Z, claims 0",
                "poppy:create:svc-w: running, owner host-a, lease until 2026-12-07T10:03:00Z, claims 0",
                "poppy:create:svc-w: succeeded at 2026-12-07T10:00:03Z (owner host-a).",
            ],
            CliRun.Lines(result.Out));
    }

    [Fact]
    public async Task OperationsWait_Failed_PrintsTheErrorAndExitsOne()
    {
        var journal = new SqliteOperationJournal($"Data Source={File}");
        await journal.StartAsync(Entry("svc-f", OperationKind.Update, "r1", owner: "host-a", lease: T0.AddMinutes(2)));
        await journal.CompleteAsync("poppy:update:svc-f", "r1", OperationJournalState.Failed, new ProviderError("invalid_spec", "Akamai refused the rule tree:\nbad behavior"), T0.AddSeconds(5));

        var result = await RunAsync("operations", "wait", "poppy:update:svc-f", "--catalog", File);

        Assert.Equal(1, result.Code);
        Assert.Equal("poppy:update:svc-f: failed at 2026-12-07T10:00:05Z (owner host-a): invalid_spec: Akamai refused the rule tree: bad behavior", result.Out.TrimEnd());
    }

    [Fact]
    public async Task OperationsWait_StillRunningAtTheTimeout_ExitsThree()
    {
        var (time, journal, waiting) = await StartWaitingAsync("svc-t", OperationKind.Delete, "5s");
        await time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(2));
        await time.AdvanceWhenWaitedOnAsync(TimeSpan.FromSeconds(2));
        // The last wait is only the 1 s left before the timeout.
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await waiting;

        Assert.Equal(3, result.Code);
        Assert.Equal(PoppyCli.TimedOut, result.Code);
        Assert.Single(CliRun.Lines(result.Out));
        Assert.Equal("poppy operations wait: timed out after 00:00:05; 'poppy:delete:svc-t' is still running.", result.Err.TrimEnd());
        Assert.Equal(OperationJournalState.Running, (await journal.GetAsync("poppy:delete:svc-t"))!.State);
    }

    [Fact]
    public async Task OperationsWait_UnknownId_ExitsTwo()
    {
        var result = await RunAsync("operations", "wait", "poppy:create:nope", "--catalog", File);

        Assert.Equal(2, result.Code);
        Assert.Empty(result.Out);
        Assert.Equal($"poppy operations wait: no operation 'poppy:create:nope' in the journal (SQLite file {File}).", result.Err.TrimEnd());
    }

    [Fact]
    public async Task DbScript_PostgreSql_PrintsTheMigrationScript()
    {
        var all = await RunAsync("db", "script", "--store", "postgresql");
        var fromOne = await RunAsync("db", "script", "--store=postgresql", "--from-version", "1");

        Assert.Equal((0, ""), (all.Code, all.Err));
        Assert.Equal(PostgreSqlServiceCatalog.GetMigrationScript(0).TrimEnd(), all.Out.TrimEnd());
        Assert.EndsWith("COMMIT;\n", all.Out, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE", all.Out, StringComparison.Ordinal);
        Assert.Equal(PostgreSqlServiceCatalog.GetMigrationScript(1).TrimEnd(), fromOne.Out.TrimEnd());
        Assert.NotEqual(all.Out, fromOne.Out);
    }

    [Fact]
    public async Task DbScript_Sqlite_ExitsTwoSayingSqliteMigratesItself()
    {
        var result = await RunAsync("db", "script", "--store", "sqlite");

        Assert.Equal(2, result.Code);
        Assert.Empty(result.Out);
        Assert.Contains("creates and upgrades its schema itself on first use", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("poppy catalog: no subcommand given (expected 'list', 'export' or 'import').", "catalog")]
    [InlineData("poppy catalog: unknown subcommand 'show'.", "catalog", "show")]
    [InlineData("poppy catalog: unknown option '--state'.", "catalog", "list", "--state", "running")]
    [InlineData("poppy catalog: option '--catalog' needs a value.", "catalog", "list", "--catalog")]
    [InlineData("poppy catalog: unknown option '--force'.", "catalog", "import", "x.json", "--force")]
    [InlineData("poppy catalog: import needs the FILE to read ('-' for standard input).", "catalog", "import")]
    [InlineData("poppy catalog: --on-conflict must be skip, overwrite or fail (got 'replace').", "catalog", "import", "x.json", "--on-conflict", "replace")]
    [InlineData("poppy catalog: option '--on-conflict' needs a value.", "catalog", "import", "x.json", "--on-conflict")]
    [InlineData("poppy catalog: option '--json' does not apply to 'export'.", "catalog", "export", "--json")]
    [InlineData("poppy catalog: option '--on-conflict' does not apply to 'list'.", "catalog", "list", "--on-conflict", "skip")]
    [InlineData("poppy catalog: option '--migrate' does not apply to 'export'.", "catalog", "export", "x.json", "--migrate")]
    [InlineData("poppy catalog: unexpected argument 'b.json'.", "catalog", "export", "a.json", "b.json")]
    [InlineData("poppy catalog: unexpected argument 'b.json'.", "catalog", "import", "a.json", "b.json")]
    [InlineData("poppy operations: no subcommand given (expected 'list' or 'wait').", "operations")]
    [InlineData("poppy operations: --state must be running, succeeded or failed (got 'done').", "operations", "list", "--state", "done")]
    [InlineData("poppy operations: --limit must be a whole number of at least 1 (got '0').", "operations", "list", "--limit", "0")]
    [InlineData("poppy operations: --limit must be a whole number of at least 1 (got 'ten').", "operations", "list", "--limit", "ten")]
    [InlineData("poppy operations: wait needs an operation id.", "operations", "wait")]
    [InlineData("poppy operations: --timeout must be a positive duration such as 90s or 10m (got '-1s').", "operations", "wait", "x", "--timeout", "-1s")]
    [InlineData("poppy operations: --interval must be a positive duration such as 500ms or 2s (got 'soon').", "operations", "wait", "x", "--interval", "soon")]
    [InlineData("poppy operations: option '--limit' is given twice.", "operations", "list", "--limit", "1", "--limit", "2")]
    [InlineData("poppy db: --store is required (postgresql).", "db", "script")]
    [InlineData("poppy db: unknown store 'mysql' (expected postgresql).", "db", "script", "--store", "mysql")]
    [InlineData("poppy db: --from-version must be a whole number from 0 to 2 (got '9').", "db", "script", "--store", "postgresql", "--from-version", "9")]
    public async Task BadUsage_ExitsTwoWithTheProblemFirstThenTheUsage(string firstLine, params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(2, result.Code);
        Assert.Empty(result.Out);
        var lines = CliRun.Lines(result.Err);
        Assert.Equal(firstLine.Replace("from 0 to 2", $"from 0 to {PostgreSqlServiceCatalog.LatestSchemaVersion}", StringComparison.Ordinal), lines[0]);
        Assert.StartsWith("Usage: poppy", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Usage: poppy catalog list", "catalog", "--help")]
    [InlineData("Usage: poppy catalog list", "catalog", "import", "-h")]
    [InlineData("Usage: poppy operations list", "operations", "wait", "-h")]
    [InlineData("Usage: poppy db script", "db", "--help")]
    public async Task Help_PrintsTheCommandsUsageAndExitsZero(string expected, params string[] args)
    {
        var result = await RunAsync(args);

        Assert.Equal(0, result.Code);
        Assert.StartsWith(expected, result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Err);
    }

    [Fact]
    public async Task OperationsList_UnreachablePostgreSqlCatalog_ExitsTwoWithoutShowingThePassword()
    {
        var result = await RunAsync("operations", "list", "--catalog", "postgresql://poppy:s3cr3t-pw@127.0.0.1:1/poppy");

        Assert.Equal(2, result.Code);
        Assert.Contains("cannot read the journal (PostgreSQL database 'poppy' on 127.0.0.1:1)", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-pw", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgresql://poppy:p%40ss@db.example:5433/catalog?sslmode=require", "db.example", 5433, "poppy", "p@ss", "catalog")]
    [InlineData("postgres://db.example/catalog", "db.example", 5432, null, null, "catalog")]
    [InlineData("Host=db.example;Port=6000;Username=u;Password=pw;Database=d", "db.example", 6000, "u", "pw", "d")]
    public void ToNpgsql_UriOrKeywords_BecomesNpgsqlKeywords(string value, string host, int port, string? user, string? password, string database)
    {
        Assert.True(State.StateStore.IsPostgreSql(value));
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(State.StateStore.ToNpgsql(value));

        Assert.Equal((host, port, user, password, database), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
    }

    [Theory]
    [InlineData("poppy.db")]
    [InlineData("Data Source=poppy.db")]
    [InlineData("/var/lib/poppy/state.db")]
    public void IsPostgreSql_SqliteLocations_False(string value) => Assert.False(State.StateStore.IsPostgreSql(value));

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("10m", 600_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("00:00:30", 30_000)]
    public void TryParseDuration_UnitsAndTimeSpans(string text, int milliseconds)
    {
        Assert.True(CommandLine.TryParseDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("-2s")]
    [InlineData("2x")]
    [InlineData("")]
    public void TryParseDuration_ZeroNegativeOrUnknown_False(string text) => Assert.False(CommandLine.TryParseDuration(text, out _));

    private Task<CliResult> RunAsync(params string[] args) => RunAsync(new CliEnvironment { GetVariable = _ => null, LocalApplicationData = () => _folder }, args);

    private static async Task<CliResult> RunAsync(CliEnvironment environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await PoppyCli.RunAsync(args, stdout, stderr, TextReader.Null, environment);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Journals a running operation owned by host-a, then starts <c>poppy operations wait</c> on it (every 2 s, on a fake clock).</summary>
    private async Task<(TimerAwareTimeProvider Time, SqliteOperationJournal Journal, Task<CliResult> Waiting)> StartWaitingAsync(string serviceId, OperationKind kind, string timeout)
    {
        var time = new TimerAwareTimeProvider(T0);
        var journal = new SqliteOperationJournal($"Data Source={File}");
        var entry = Entry(serviceId, kind, "r1", owner: "host-a", lease: T0.AddMinutes(2));
        await journal.StartAsync(entry);
        var waiting = RunAsync(new CliEnvironment { Time = time }, "operations", "wait", entry.OperationId, "--catalog", File, "--interval", "2s", "--timeout", timeout);
        return (time, journal, waiting);
    }

    private static string? Text(JsonElement element, string name) => element.GetProperty(name).GetString();

    private static OperationJournalEntry Entry(string serviceId, OperationKind kind, string run, string owner, DateTimeOffset lease, DateTimeOffset? startedAt = null) => new()
    {
        OperationId = kind == OperationKind.Purge ? $"poppy:purge:{serviceId}:{run}" : $"poppy:{OperationId.KindText(kind)}:{serviceId}",
        RunId = run,
        ServiceId = serviceId,
        Kind = kind,
        Owner = owner,
        StartedAt = startedAt ?? T0,
        UpdatedAt = startedAt ?? T0,
        LeaseExpiresAt = lease,
    };

    private async Task JournalSampleAsync()
    {
        var journal = new SqliteOperationJournal($"Data Source={File}");
        await journal.StartAsync(Entry("svc-a", OperationKind.Create, "r1", "host-a:1:ab", T0.AddMinutes(2), T0.AddSeconds(1)));
        await journal.CompleteAsync("poppy:create:svc-a", "r1", OperationJournalState.Succeeded, null, T0.AddSeconds(30));
        await journal.StartAsync(Entry("svc-b", OperationKind.Delete, "r1", "host-a:1:ab", T0.AddMinutes(2), T0.AddSeconds(2)));
        await journal.CompleteAsync("poppy:delete:svc-b", "r1", OperationJournalState.Failed, new ProviderError("rate_limited", "Too many requests (fastly)") { HttpStatus = 429, IsTransient = true }, T0.AddMinutes(1));
        await journal.StartAsync(Entry("svc-a", OperationKind.Purge, "p1", "host-a:1:ab", T0.AddSeconds(10), T0.AddSeconds(3)));
        await journal.ClaimExpiredAsync("host-b:7:cd", T0.AddMinutes(3), T0.AddMinutes(5), 10);
    }

    private async Task SaveServicesAsync()
    {
        // Written by one catalog handle, whose connections are then closed: the CLI reads the file afresh.
        var catalog = new SqliteServiceCatalog($"Data Source={File}");
        await catalog.SaveAsync(new CdnService
        {
            ServiceId = "svc-a",
            Spec = Spec("global"),
            Providers =
            [
                new ProviderServiceDetails { Provider = "fastly", ServiceId = "svc-a", VendorServiceId = "SU1Z0isxPaozGVKXdv0eY", Status = ProviderStatus.Deployed },
                new ProviderServiceDetails { Provider = "cloudfront", ServiceId = "svc-a", VendorServiceId = "E2QWRUHAPOMQZL", Status = ProviderStatus.Failed },
            ],
        });
        await catalog.SaveAsync(new CdnService
        {
            ServiceId = "svc-b",
            Spec = Spec("edge"),
            Providers = [new ProviderServiceDetails { Provider = "akamai", ServiceId = "svc-b", Status = ProviderStatus.CreateInProgress }],
        });
        await catalog.SaveAsync(new CdnService { ServiceId = "svc-c", Spec = Spec("global") });
        SqliteConnection.ClearAllPools();
    }

    private static ServiceSpec Spec(string flavor) => new()
    {
        Name = "my service",
        FlavorId = flavor,
        Domains = [new DomainSpec("www.example.com")],
        Origins = [new OriginSpec("origin.example.net")],
    };
}
