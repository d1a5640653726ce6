using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Sqlite;

namespace Poppy.Sdk.Cli.Tests;

/// <summary><c>poppy catalog export</c> and <c>poppy catalog import</c> between real SQLite files in a temporary folder.</summary>
public sealed class CatalogTransferCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("poppy-cli-transfer-").FullName;

    private string Source => Path.Combine(_folder, "source.db");

    private string Target => Path.Combine(_folder, "target.db");

    private string Export => Path.Combine(_folder, "catalog.json");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ExportThenImport_IntoANewFile_RoundTripsEveryServiceWithItsProviderDetails()
    {
        await SaveServicesAsync(Source);

        var exported = await RunAsync("catalog", "export", Export, "--catalog", Source);
        var imported = await RunAsync("catalog", "import", Export, "--catalog", Target);

        Assert.Equal((0, ""), (exported.Code, exported.Err));
        Assert.Equal($"3 services exported to {Export}.", exported.Out.TrimEnd());
        Assert.Equal((0, ""), (imported.Code, imported.Err));
        Assert.Equal($"Into the SQLite file {Target}: 3 imported, 0 skipped, 0 overwritten, no problems.", imported.Out.TrimEnd());
        var before = await ReadAllAsync(Source);
        var after = await ReadAllAsync(Target);
        Assert.Equal(["svc-a", "svc-b", "svc-c"], after.Select(s => s.ServiceId));
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(Json(before[i]), Json(after[i]));
        }

        var fastly = after[0].Providers[0];
        Assert.Equal(("SU1Z0isxPaozGVKXdv0eY", "www.example.com.global.prod.fastly.net"), (fastly.VendorServiceId, fastly.AccessUrls[0].ProviderUrl));
        Assert.Equal(("rate_limited", 429), (after[0].Providers[1].Error!.Code, after[0].Providers[1].Error!.HttpStatus));
        Assert.Equal(["akamai"], after[1].PendingCleanup);
    }

    [Fact]
    public async Task Export_CatalogUnreadableMidway_LeavesTheExistingFileAsItWasAndNoTemporaryFile()
    {
        // The damaged service is on the second page the store reads (500 a page), after the export has written the
        // first page's 64 KiB blocks: the failure comes midway through the document.
        var catalog = new SqliteServiceCatalog($"Data Source={Source}");
        for (var i = 0; i < 700; i++)
        {
            await catalog.SaveAsync(new CdnService { ServiceId = $"svc-{i:D3}", Spec = Spec("global") with { Name = $"service number {i} with a longer name" } });
        }

        await using (var connection = new SqliteConnection($"Data Source={Source}"))
        {
            await connection.OpenAsync();
            await using var damage = connection.CreateCommand();
            damage.CommandText = "UPDATE poppy_services SET spec = '{ not json' WHERE service_id = 'svc-699'";
            Assert.Equal(1, await damage.ExecuteNonQueryAsync());
        }

        SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(Export, "the previous export");

        var result = await RunAsync("catalog", "export", Export, "--catalog", Source);

        Assert.Equal(2, result.Code);
        Assert.Empty(result.Out);
        Assert.StartsWith($"poppy catalog export: cannot export the SQLite file {Source} to {Export}: ", result.Err, StringComparison.Ordinal);
        Assert.EndsWith($"{Export} is left as it was.", result.Err.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal("the previous export", await File.ReadAllTextAsync(Export));
        Assert.Equal(["catalog.json", "source.db"], Directory.GetFiles(_folder).Select(Path.GetFileName).Where(n => !n!.StartsWith("source.db-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_ToANewFileOfAnUnreadableCatalog_CreatesNoFile()
    {
        await File.WriteAllTextAsync(Source, "this is not a SQLite database, it is long enough to have a header page ..................................................");

        var result = await RunAsync("catalog", "export", Export, "--catalog", Source);

        Assert.Equal(2, result.Code);
        Assert.EndsWith($"{Export} was not created.", result.Err.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(["source.db"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Export_ExistingFile_IsReplacedOnSuccess()
    {
        await SaveServicesAsync(Source);
        await File.WriteAllTextAsync(Export, "the previous export");

        var result = await RunAsync("catalog", "export", Export, "--catalog", Source);

        Assert.Equal(0, result.Code);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Export));
        Assert.Equal(3, document.RootElement.GetProperty("service_count").GetInt32());
    }

    [Fact]
    public async Task Import_TruncatedDocument_ExitsTwoNamingThePathAndReportsWhatWasWrittenBefore()
    {
        await SaveServicesAsync(Source);
        Assert.Equal(0, (await RunAsync("catalog", "export", Export, "--catalog", Source)).Code);
        var text = await File.ReadAllTextAsync(Export);
        await File.WriteAllTextAsync(Export, text[..(text.IndexOf("\"svc-c\"", StringComparison.Ordinal) + 10)]);

        var result = await RunAsync("catalog", "import", Export, "--catalog", Target);

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"poppy catalog import: {Export}: ", result.Err, StringComparison.Ordinal);
        Assert.Contains("$.services[2]", result.Err, StringComparison.Ordinal);
        Assert.Contains("truncated", result.Err, StringComparison.Ordinal);
        Assert.Equal($"Into the SQLite file {Target}, before the stop: 2 imported, 0 skipped, 0 overwritten, no problems.", result.Out.TrimEnd());
        Assert.Equal(["svc-a", "svc-b"], (await ReadAllAsync(Target)).Select(s => s.ServiceId));
    }

    [Fact]
    public async Task Import_TruncatedDocument_Json_ReportsTheStop()
    {
        await SaveServicesAsync(Source);
        Assert.Equal(0, (await RunAsync("catalog", "export", Export, "--catalog", Source)).Code);
        var text = await File.ReadAllTextAsync(Export);
        await File.WriteAllTextAsync(Export, text[..(text.IndexOf("\"svc-b\"", StringComparison.Ordinal) + 10)]);

        var result = await RunAsync("catalog", "import", Export, "--json", "--catalog", Target);

        Assert.Equal(2, result.Code);
        using var report = JsonDocument.Parse(result.Out);
        var root = report.RootElement;
        Assert.Equal((1, false), (root.GetProperty("imported").GetInt32(), root.GetProperty("complete").GetBoolean()));
        var stopped = root.GetProperty("stopped");
        Assert.Equal(("$.services[1]", 1, false), (stopped.GetProperty("path").GetString(), stopped.GetProperty("service_index").GetInt32(), stopped.GetProperty("conflict").GetBoolean()));
    }

    [Theory]
    [InlineData("skip", 0, "1 imported, 2 skipped, 0 overwritten, no problems.", "other", true)]
    [InlineData("overwrite", 0, "1 imported, 0 skipped, 2 overwritten, no problems.", "edge", true)]
    [InlineData("fail", 1, "before the stop: 0 imported, 0 skipped, 0 overwritten, no problems.", "other", false)]
    public async Task Import_ServicesTheTargetHolds_FollowTheConflictPolicy(string policy, int code, string report, string flavorOfB, bool svcCWritten)
    {
        await SaveServicesAsync(Source);
        Assert.Equal(0, (await RunAsync("catalog", "export", Export, "--catalog", Source)).Code);
        var target = new SqliteServiceCatalog($"Data Source={Target}");
        await target.SaveAsync(new CdnService { ServiceId = "svc-a", Spec = Spec("other") });
        await target.SaveAsync(new CdnService { ServiceId = "svc-b", Spec = Spec("other") });
        SqliteConnection.ClearAllPools();

        var result = await RunAsync("catalog", "import", Export, "--on-conflict", policy, "--catalog", Target);

        Assert.Equal(code, result.Code);
        Assert.EndsWith(report, result.Out.TrimEnd(), StringComparison.Ordinal);
        var after = await ReadAllAsync(Target);
        Assert.Equal(flavorOfB, after.Single(s => s.ServiceId == "svc-b").Spec.FlavorId);
        Assert.Equal(svcCWritten, after.Any(s => s.ServiceId == "svc-c"));
        if (policy == "fail")
        {
            Assert.Contains("$.services[0]", result.Err, StringComparison.Ordinal);
            Assert.Contains("'svc-a' already exists", result.Err, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(result.Err);
        }
    }

    [Fact]
    public async Task Import_InvalidEntry_ExitsOneListingItWithItsPath_AndImportsTheOthers()
    {
        await SaveServicesAsync(Source);
        Assert.Equal(0, (await RunAsync("catalog", "export", Export, "--catalog", Source)).Code);
        var text = await File.ReadAllTextAsync(Export);
        var b = text.IndexOf("\"svc-b\"", StringComparison.Ordinal);
        var port = text.IndexOf("\"port\":80", b, StringComparison.Ordinal);
        Assert.True(port > 0, text);
        await File.WriteAllTextAsync(Export, text[..port] + "\"port\":81" + text[(port + 9)..]);

        var result = await RunAsync("catalog", "import", Export, "--catalog", Target);
        var json = await RunAsync("catalog", "import", Export, "--json", "--catalog", Path.Combine(_folder, "other.db"));

        Assert.Equal(1, result.Code);
        var lines = CliRun.Lines(result.Out);
        Assert.Equal($"Into the SQLite file {Target}: 2 imported, 0 skipped, 0 overwritten, 1 problem:", lines[0]);
        Assert.StartsWith("  $.services[1].spec.origins[0].port (service 'svc-b'): ", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Equal(["svc-a", "svc-c"], (await ReadAllAsync(Target)).Select(s => s.ServiceId));
        Assert.Equal(1, json.Code);
        using var report = JsonDocument.Parse(json.Out);
        var problem = Assert.Single(report.RootElement.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal(("svc-b", "$.services[1].spec.origins[0].port", 1), (problem.GetProperty("service_id").GetString(), problem.GetProperty("path").GetString(), problem.GetProperty("service_index").GetInt32()));
        Assert.False(report.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("stopped").ValueKind);
    }

    [Fact]
    public async Task ExportToStdout_ThenImportFromStdin_RoundTrips()
    {
        await SaveServicesAsync(Source);

        var dash = await RunAsync("catalog", "export", "-", "--catalog", Source);
        var noFile = await RunAsync("catalog", "export", "--catalog", Source);
        var imported = await RunWithStdinAsync(dash.Out, "catalog", "import", "-", "--catalog", Target);

        Assert.Equal((0, "3 services exported to standard output."), (dash.Code, dash.Err.TrimEnd()));
        Assert.Equal((0, "3 services exported to standard output."), (noFile.Code, noFile.Err.TrimEnd()));
        Assert.EndsWith("}" + Environment.NewLine, dash.Out, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(dash.Out))
        {
            Assert.Equal("poppy-catalog", document.RootElement.GetProperty("format").GetString());
            Assert.Equal(3, document.RootElement.GetProperty("services").GetArrayLength());
        }

        Assert.Equal((0, ""), (imported.Code, imported.Err));
        Assert.Equal($"Into the SQLite file {Target}: 3 imported, 0 skipped, 0 overwritten, no problems.", imported.Out.TrimEnd());
        Assert.Equal(["svc-a", "svc-b", "svc-c"], (await ReadAllAsync(Target)).Select(s => s.ServiceId));
    }

    [Fact]
    public async Task ImportFromStdin_NotAnExport_ExitsTwoAndWritesNothing()
    {
        var result = await RunWithStdinAsync("[1, 2]", "catalog", "import", "-", "--catalog", Target);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("poppy catalog import: <stdin>: ", result.Err, StringComparison.Ordinal);
        Assert.Contains("not a Poppy catalog export", result.Err, StringComparison.Ordinal);
        Assert.Equal($"Into the SQLite file {Target}, before the stop: 0 imported, 0 skipped, 0 overwritten, no problems.", result.Out.TrimEnd());
    }

    [Fact]
    public async Task Import_MissingFile_ExitsTwoWithoutCreatingTheCatalog()
    {
        var result = await RunAsync("catalog", "import", Path.Combine(_folder, "nope.json"), "--catalog", Target);

        Assert.Equal(2, result.Code);
        Assert.Equal($"poppy catalog import: cannot read {Path.Combine(_folder, "nope.json")}: file not found", result.Err.TrimEnd());
        Assert.False(File.Exists(Target));
    }

    [Fact]
    public async Task ExportAndImport_UnreachablePostgreSqlCatalog_ExitTwoWithoutShowingThePassword()
    {
        await SaveServicesAsync(Source);
        Assert.Equal(0, (await RunAsync("catalog", "export", Export, "--catalog", Source)).Code);
        const string Unreachable = "postgresql://poppy:s3cr3t-pw@127.0.0.1:1/poppy";
        var other = Path.Combine(_folder, "other.json");

        var import = await RunAsync("catalog", "import", Export, "--catalog", Unreachable);
        var migrate = await RunAsync("catalog", "import", Export, "--migrate", "--catalog", Unreachable);
        var export = await RunAsync("catalog", "export", other, "--catalog", Unreachable);

        Assert.Equal((2, ""), (import.Code, import.Out));
        Assert.StartsWith("poppy catalog import: cannot read the catalog (PostgreSQL database 'poppy' on 127.0.0.1:1): ", import.Err, StringComparison.Ordinal);
        Assert.Equal((2, ""), (migrate.Code, migrate.Out));
        Assert.StartsWith("poppy catalog import: cannot write to the catalog (PostgreSQL database 'poppy' on 127.0.0.1:1): ", migrate.Err, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was imported.", migrate.Err.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal((2, ""), (export.Code, export.Out));
        Assert.StartsWith("poppy catalog export: cannot export the PostgreSQL database 'poppy' on 127.0.0.1:1 to ", export.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(other));
        Assert.All(new[] { import.Err, migrate.Err, export.Err }, err => Assert.DoesNotContain("s3cr3t-pw", err, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TextWriterStream_MultiByteCharacterSplitAcrossWrites_IsWrittenWhole()
    {
        using var writer = new StringWriter();
        await using var stream = new TextWriterStream(writer);
        var bytes = Encoding.UTF8.GetBytes("é€😀");

        for (var i = 0; i < bytes.Length; i++)
        {
            await stream.WriteAsync(bytes.AsMemory(i, 1));
        }

        Assert.Equal("é€😀", writer.ToString());
    }

    [Fact]
    public async Task TextReaderStream_ReadsTheTextAsUtf8InSmallReads()
    {
        var text = string.Concat(Enumerable.Repeat("é€😀 ", 3000));
        await using var stream = new TextReaderStream(new StringReader(text));
        using var copy = new MemoryStream();
        var buffer = new byte[7];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(text, Encoding.UTF8.GetString(copy.ToArray()));
    }

    private static Task<CliResult> RunAsync(params string[] args) => RunWithStdinAsync("", args);

    private static async Task<CliResult> RunWithStdinAsync(string stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment { GetVariable = _ => null, LocalApplicationData = () => throw new InvalidOperationException("not used") };
        var code = await PoppyCli.RunAsync(args, stdout, stderr, new StringReader(stdin), environment);
        SqliteConnection.ClearAllPools();
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private static async Task<List<CdnService>> ReadAllAsync(string file)
    {
        var catalog = new SqliteServiceCatalog($"Data Source={file}");
        var services = new List<CdnService>();
        await foreach (var service in catalog.ListAsync())
        {
            services.Add(service);
        }

        SqliteConnection.ClearAllPools();
        return services;
    }

    private static string Json(CdnService service) =>
        JsonSerializer.Serialize(service.Spec, PoppyJsonContext.Default.ServiceSpec)
        + string.Concat(service.Providers.Select(p => JsonSerializer.Serialize(p, PoppyJsonContext.Default.ProviderServiceDetails)))
        + string.Join(",", service.PendingCleanup);

    internal static async Task SaveServicesAsync(string file)
    {
        var catalog = new SqliteServiceCatalog($"Data Source={file}");
        await catalog.SaveAsync(new CdnService
        {
            ServiceId = "svc-a",
            Spec = Spec("global"),
            Providers =
            [
                new ProviderServiceDetails
                {
                    Provider = "fastly",
                    ServiceId = "svc-a",
                    VendorServiceId = "SU1Z0isxPaozGVKXdv0eY",
                    Status = ProviderStatus.Deployed,
                    AccessUrls = [new AccessUrl("www.example.com", "www.example.com.global.prod.fastly.net")],
                    CertificateStatuses = new Dictionary<string, CertificateStatus> { ["www.example.com"] = CertificateStatus.CreateInProgress },
                },
                new ProviderServiceDetails
                {
                    Provider = "cloudfront",
                    ServiceId = "svc-a",
                    VendorServiceId = "E2QWRUHAPOMQZL",
                    Status = ProviderStatus.Failed,
                    Error = new ProviderError("rate_limited", "Too many requests") { HttpStatus = 429, IsTransient = true },
                },
            ],
        });
        await catalog.SaveAsync(new CdnService
        {
            ServiceId = "svc-b",
            Spec = Spec("edge"),
            Providers = [new ProviderServiceDetails { Provider = "fastly", ServiceId = "svc-b", VendorServiceId = "F00", Status = ProviderStatus.CreateInProgress, OperationId = "poppy:create:svc-b" }],
            PendingCleanup = ["akamai"],
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
