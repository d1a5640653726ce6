using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;
using Poppy.Sdk.Sqlite;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.State.Tests;

/// <summary>Export, import and copy of a catalog (<see cref="CatalogTransfer"/>) and rebuilding into another store.</summary>
public sealed class CatalogTransferTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = TempFolder.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task ExportAsync_WritesTheDocumentShape()
    {
        var source = await InMemoryAsync(TestServices.Rich("svc-1"));

        var (json, report) = await ExportAsync(source);

        Assert.Equal((1, Now), (report.ServiceCount, report.ExportedAt));
        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(["format", "format_version", "exported_at", "services", "service_count"], root.Select(p => p.Key));
        Assert.Equal(("poppy-catalog", 1, 1), (root["format"]!.GetValue<string>(), root["format_version"]!.GetValue<int>(), root["service_count"]!.GetValue<int>()));
        Assert.Equal(Now, DateTimeOffset.Parse(root["exported_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var service = Assert.Single(root["services"]!.AsArray())!.AsObject();
        Assert.Equal(["service_id", "version", "spec", "providers", "pending_cleanup"], service.Select(p => p.Key));
        // The spec is the Poppy v1 service document exactly as PoppyJson writes it, and each provider record as the catalog stores it.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(PoppyJson.Serialize(TestServices.Rich("svc-1").Spec)), service["spec"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.Serialize(TestServices.Rich("svc-1").Providers[1], PoppyJsonContext.Default.ProviderServiceDetails)), service["providers"]![1]));
        Assert.Equal("akamai", service["pending_cleanup"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ExportAsync_ErrorEchoingSigningDetails_WritesNoSecret()
    {
        const string token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN";
        var rich = TestServices.Rich("svc-1");
        var leaky = rich with
        {
            Providers = [rich.Providers[0], rich.Providers[1] with { Error = new ProviderError("Unauthorized", $"Denied. <CanonicalRequest>GET\n/\nx-amz-security-token:{token}\n</CanonicalRequest>") }],
        };
        var source = await InMemoryAsync(leaky);

        var (json, _) = await ExportAsync(source);

        Assert.DoesNotContain(token, json, StringComparison.Ordinal);
        Assert.Contains("Denied.", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_20000Services_WritesProgressivelyWithBoundedBuffering()
    {
        const int count = 20_000;
        var source = new ObservedCatalog(await InMemoryAsync([.. Enumerable.Range(0, count).Select(i => TestServices.Rich($"svc-{i:D6}"))]));
        var destination = new CountingStream();
        var writtenBeforeEach = new long[count];
        source.Listed = i => writtenBeforeEach[i] = destination.Written;

        var report = await CatalogTransfer.ExportAsync(source, destination);

        // Every entry has the same size, so before entry i the export has produced about i entries; all but a bounded
        // tail must already be in the destination: the exporter never holds the catalog (20,000 entries, megabytes) in memory.
        Assert.Equal(count, report.ServiceCount);
        var perService = destination.Written / (double)count;
        Assert.True(destination.Written > 10_000_000, $"The document is {destination.Written} bytes.");
        for (var i = 0; i < count; i++)
        {
            Assert.True(writtenBeforeEach[i] >= (i * perService) - (256 * 1024), $"Before service {i} only {writtenBeforeEach[i]} bytes were written out of ~{i * perService:F0} produced.");
        }

        Assert.True(destination.Writes > 100, $"{destination.Writes} writes.");
        Assert.Equal(0, destination.SynchronousWrites);
    }

    [Fact]
    public async Task ImportAsync_20000Services_ReadsProgressivelyWithBoundedBuffering()
    {
        const int count = 20_000;
        var (json, _) = await ExportAsync(await InMemoryAsync([.. Enumerable.Range(0, count).Select(i => TestServices.Rich($"svc-{i:D6}"))]));
        var bytes = Encoding.UTF8.GetBytes(json);
        var source = new CountingStream(bytes);
        var target = new ObservedCatalog(new InMemoryServiceCatalog());
        var readBeforeEachSave = new List<long>(count);
        target.Saving = _ => readBeforeEachSave.Add(source.BytesRead);

        var report = await CatalogTransfer.ImportAsync(target, source);

        Assert.Equal((count, 0, 0), (report.Imported, report.Skipped, report.Overwritten));
        Assert.Empty(report.Problems);
        Assert.Equal(count, readBeforeEachSave.Count);
        // When service i is written the reader has read its entry and at most one buffer more: never the whole file.
        var perService = bytes.Length / (double)count;
        for (var i = 0; i < count; i++)
        {
            Assert.True(readBeforeEachSave[i] <= ((i + 1) * perService) + (256 * 1024), $"Before saving service {i}, {readBeforeEachSave[i]} of {bytes.Length} bytes were read.");
        }
    }

    [Fact]
    public async Task ImportAsync_WrongFormatMarker_FailsNamingTheField()
    {
        var ex = await ImportFailsAsync("""{ "format": "terraform-state", "format_version": 1, "services": [] }""");

        Assert.Equal("$.format", ex.Path);
        Assert.Contains("\"terraform-state\", expected \"poppy-catalog\"", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ServiceIndex);
    }

    [Fact]
    public async Task ImportAsync_PlainServiceDocument_SaysItIsNotACatalogExport()
    {
        var ex = await ImportFailsAsync(PoppyJson.Serialize(TestServices.Spec()));

        Assert.Equal("$.format", ex.Path);
        Assert.Contains("no \"format\" member", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_LaterFormatVersion_FailsNamingTheVersion()
    {
        var ex = await ImportFailsAsync("""{ "format": "poppy-catalog", "format_version": 2, "services": [] }""");

        Assert.Equal("$.format_version", ex.Path);
        Assert.Contains("$.format_version is 2: this SDK reads Poppy catalog exports of version 1 only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_ServicesBeforeTheFormatMarker_Fails()
    {
        var ex = await ImportFailsAsync("""{ "services": [], "format": "poppy-catalog", "format_version": 1 }""");

        Assert.Equal("$.services", ex.Path);
        Assert.Contains("comes before \"format\"", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The document is empty")]
    [InlineData("[]", "The document is a JSON array, not a Poppy catalog export")]
    [InlineData("""{ "format": "poppy-catalog", "format_version": 1 }""", "no \"services\" array")]
    [InlineData("""{ "format": "poppy-catalog", "format_version": 1, "services": [], "service_count": 3 }""", "$.service_count is 3 but the document holds 0 services")]
    [InlineData("""{ "format": "poppy-catalog", "format_version": 1, "services": [] } {}""", "continues after its closing brace")]
    [InlineData("""{ "format": "poppy-catalog", "format_version": 1, "services": [ } """, "not valid JSON")]
    public async Task ImportAsync_BrokenDocument_FailsWithAClearMessage(string json, string expected)
    {
        var ex = await ImportFailsAsync(json);

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_TruncatedDocument_FailsAtTheCutServiceAndReportsWhatWasWritten()
    {
        var (json, _) = await ExportAsync(await InMemoryAsync(TestServices.Rich("svc-1"), TestServices.Rich("svc-2"), TestServices.Rich("svc-3")));
        var cut = json[..(json.IndexOf("\"svc-2\"", StringComparison.Ordinal) + 40)];
        var target = new InMemoryServiceCatalog();

        var ex = await Assert.ThrowsAsync<CatalogTransferException>(() => CatalogTransfer.ImportAsync(target, Utf8(cut)));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(("$.services[1]", 1), (ex.Path, ex.ServiceIndex));
        Assert.Equal(1, ex.PartialReport!.Imported);
        Assert.Equal(1, target.Count);
    }

    [Fact]
    public async Task ImportAsync_InvalidSpecs_AreReportedAndNotWritten_TheOthersAre()
    {
        var (json, _) = await ExportAsync(await InMemoryAsync(TestServices.Rich("svc-1"), TestServices.Rich("svc-2"), TestServices.Rich("svc-3")));
        var doc = JsonNode.Parse(json)!;
        doc["services"]![1]!["spec"]!["origins"]![0]!["port"] = 99;          // fails validation
        doc["services"]![2]!["spec"]!["origins"]![0]!["port"] = "eighty";    // wrong JSON type
        var target = new InMemoryServiceCatalog();

        var report = await CatalogTransfer.ImportAsync(target, Utf8(doc.ToJsonString()));

        Assert.Equal(1, report.Imported);
        Assert.False(report.IsComplete);
        Assert.Equal(2, report.Problems.Count);
        var invalid = report.Problems[0];
        Assert.Equal((1, "svc-2", "$.services[1].spec.origins[0].port"), (invalid.ServiceIndex, invalid.ServiceId, invalid.Path));
        var mistyped = report.Problems[1];
        Assert.Equal((2, "svc-3", "$.services[2].spec.origins[0].port"), (mistyped.ServiceIndex, mistyped.ServiceId, mistyped.Path));
        Assert.NotNull(await target.GetAsync("svc-1"));
        Assert.Null(await target.GetAsync("svc-2"));
        Assert.Null(await target.GetAsync("svc-3"));
        Assert.Contains("$.services[1].spec.origins[0].port (service 'svc-2')", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_EntryWithoutIdOrWithAForeignProviderRecord_IsReported()
    {
        var (json, _) = await ExportAsync(await InMemoryAsync(TestServices.Rich("svc-1"), TestServices.Rich("svc-2")));
        var doc = JsonNode.Parse(json)!;
        doc["services"]![0]!.AsObject().Remove("service_id");
        doc["services"]![1]!["providers"]![0]!["service_id"] = "svc-9";
        var target = new InMemoryServiceCatalog();

        var report = await CatalogTransfer.ImportAsync(target, Utf8(doc.ToJsonString()));

        Assert.Equal(0, report.Imported);
        Assert.Equal(["$.services[0].service_id", "$.services[1].providers[0].service_id"], report.Problems.Select(p => p.Path));
        Assert.Equal(0, target.Count);
    }

    [Fact]
    public async Task ImportAsync_EntryLargerThanTheLimit_Fails()
    {
        var rich = TestServices.Rich("svc-1");
        var huge = rich with { Providers = [rich.Providers[0], rich.Providers[1] with { Error = new ProviderError("Unknown", new string('x', 100_000)) }] };
        var (json, _) = await ExportAsync(await InMemoryAsync(huge));

        var ex = await Assert.ThrowsAsync<CatalogTransferException>(() => CatalogTransfer.ImportAsync(
            new InMemoryServiceCatalog(), Utf8(json), new CatalogImportOptions { MaxEntryBytes = CatalogImportOptions.MinimumEntryBytes }));
        var read = await CatalogTransfer.ImportAsync(new InMemoryServiceCatalog(), Utf8(json));

        Assert.Contains("$.services[0] is larger than 65536 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, read.Imported);
    }

    [Fact]
    public async Task ImportAsync_UnknownMembersAndIndentation_AreAccepted()
    {
        using var indented = new MemoryStream();
        await CatalogTransfer.ExportAsync(await InMemoryAsync(TestServices.Rich("svc-1")), indented, new CatalogExportOptions { Indented = true }, CancellationToken.None);
        var doc = JsonNode.Parse(indented.ToArray())!;
        doc["written_by"] = new JsonObject { ["tool"] = "a later SDK", ["hosts"] = new JsonArray("a", "b") };
        doc["services"]![0]!["labels"] = new JsonArray("blue");
        var target = new InMemoryServiceCatalog();

        var report = await CatalogTransfer.ImportAsync(target, Utf8(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));

        Assert.Contains("\n  \"services\": [", Encoding.UTF8.GetString(indented.ToArray()), StringComparison.Ordinal);
        Assert.Equal((1, true), (report.Imported, report.IsComplete));
        Assert.Equal(2, (await target.GetAsync("svc-1"))!.Providers.Count);
    }

    [Fact]
    public async Task ImportAsync_BadOptions_AreRefused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CatalogTransfer.ImportAsync(new InMemoryServiceCatalog(), Utf8("{}"), new CatalogImportOptions { MaxEntryBytes = 1024 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CatalogTransfer.ImportAsync(new InMemoryServiceCatalog(), Utf8("{}"), new CatalogImportOptions { ConflictPolicy = (CatalogConflictPolicy)7 }));
    }

    [Fact]
    public async Task ImportAsync_Skip_KeepsTheTargetsEntry()
    {
        var (json, target) = await ConflictSetupAsync();

        var report = await CatalogTransfer.ImportAsync(target, Utf8(json));

        Assert.Equal((2, 1, 0), (report.Imported, report.Skipped, report.Overwritten));
        var kept = await target.GetAsync("svc-2");
        Assert.Equal(("target's own", 1L), (kept!.Spec.Name, kept.Version));
        Assert.Empty(kept.Providers);
    }

    [Fact]
    public async Task ImportAsync_Overwrite_ReplacesAtTheTargetsVersion()
    {
        var (json, target) = await ConflictSetupAsync();

        var report = await CatalogTransfer.ImportAsync(target, Utf8(json), new CatalogImportOptions { ConflictPolicy = CatalogConflictPolicy.Overwrite });

        Assert.Equal((2, 0, 1), (report.Imported, report.Skipped, report.Overwritten));
        var replaced = await target.GetAsync("svc-2");
        Assert.Equal((TestServices.Rich("svc-2").Spec.Name, 2L), (replaced!.Spec.Name, replaced.Version));
        Assert.Equal(["fastly", "cloudfront"], replaced.Providers.Select(p => p.Provider));
    }

    [Fact]
    public async Task ImportAsync_Fail_StopsAtTheExistingServiceWithAConflict()
    {
        var (json, target) = await ConflictSetupAsync();

        var ex = await Assert.ThrowsAsync<CatalogTransferException>(() => CatalogTransfer.ImportAsync(target, Utf8(json), new CatalogImportOptions { ConflictPolicy = CatalogConflictPolicy.Fail }));

        Assert.Equal(("svc-2", 1), (ex.ServiceId, ex.ServiceIndex));
        Assert.IsType<CatalogConflictException>(ex.InnerException);
        Assert.Contains("service 'svc-2' already exists in the target catalog", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.PartialReport!.Imported);
        Assert.Equal("target's own", (await target.GetAsync("svc-2"))!.Spec.Name);
    }

    [Fact]
    public async Task CopyAsync_AppliesTheSamePolicyStoreToStore()
    {
        var source = await InMemoryAsync(TestServices.Rich("svc-1"), TestServices.Rich("svc-2"), new CdnService { ServiceId = "svc-3", Spec = TestServices.Spec() with { Name = "x" } });
        var target = new SqliteServiceCatalog("Data Source=" + Path.Combine(_folder.Path, "copy.db"));
        await target.SaveAsync(new CdnService { ServiceId = "svc-2", Spec = TestServices.Spec("target's own") });

        var skip = await CatalogTransfer.CopyAsync(source, target);
        var overwrite = await CatalogTransfer.CopyAsync(source, target, new CatalogImportOptions { ConflictPolicy = CatalogConflictPolicy.Overwrite });

        Assert.Equal((1, 1, 0), (skip.Imported, skip.Skipped, skip.Overwritten));
        Assert.Equal((0, 0, 2), (overwrite.Imported, overwrite.Skipped, overwrite.Overwritten));
        var problem = Assert.Single(overwrite.Problems);
        Assert.Equal((2, "svc-3", "$.services[2].spec.name"), (problem.ServiceIndex, problem.ServiceId, problem.Path));
        Assert.Equal(TestServices.Rich("svc-2").Spec.Name, (await target.GetAsync("svc-2"))!.Spec.Name);
        await Assert.ThrowsAsync<ArgumentException>(() => CatalogTransfer.CopyAsync(source, source));
    }

    [Fact]
    public async Task RebuildCatalogAsync_IntoASqliteStore_RecordsTheVendorsServicesThereAndLeavesTheClientsCatalog()
    {
        var time = new FakeTimeProvider(Now);
        InMemoryCdnProvider Make(string name) => new(new InMemoryCdnProviderOptions { Name = name, TimeProvider = time, DeploymentDelay = TimeSpan.FromSeconds(30) });
        var a = Make("a");
        var b = Make("b");
        var options = new PoppyClientOptions().AddFlavor("mirror", FlavorMode.Mirror, "a", "b");
        using (var writer = new PoppyClient([a, b], options, timeProvider: time))
        {
            await CompleteAsync(await writer.CreateServiceAsync(TestServices.Spec() with { FlavorId = "mirror" }, "svc-1"), time);
            await CompleteAsync(await writer.CreateServiceAsync(TestServices.Spec(domain: "cdn.example.org") with { FlavorId = "mirror" }, "svc-2"), time);
        }

        var target = new SqliteServiceCatalog("Data Source=" + Path.Combine(_folder.Path, "rebuilt.db"));
        await target.SaveAsync(new CdnService { ServiceId = "svc-1", Spec = TestServices.Spec(), PendingCleanup = ["c"] });
        var own = new InMemoryServiceCatalog();
        using var fresh = new PoppyClient([a, b], options, own, time);

        var report = await fresh.RebuildCatalogAsync(target);

        Assert.Equal(2, report.ServiceCount);
        Assert.Empty(report.Failures);
        Assert.Equal(0, own.Count);
        var svc2 = await target.GetAsync("svc-2");
        Assert.Equal("cdn.example.org", svc2!.Spec.Domains[0].Domain);
        Assert.Equal(["a", "b"], svc2.Providers.Select(p => p.Provider));
        Assert.Equal(ProviderStatus.Deployed, svc2.Status);
        var merged = await target.GetAsync("svc-1");
        Assert.Equal(["a", "b"], merged!.Providers.Select(p => p.Provider));
        Assert.Equal(["c"], merged.PendingCleanup);
        Assert.Equal(2, merged.Version);
    }

    private static async Task CompleteAsync(CdnOperation<CdnService> operation, FakeTimeProvider time)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await operation.UpdateStatusAsync())
            {
                return;
            }

            time.Advance(operation.SuggestedPollingDelay ?? TimeSpan.FromSeconds(5));
        }

        throw new Xunit.Sdk.XunitException($"Operation {operation.Id} did not complete.");
    }

    private static async Task<(string Json, InMemoryServiceCatalog Target)> ConflictSetupAsync()
    {
        var (json, _) = await ExportAsync(await InMemoryAsync(TestServices.Rich("svc-1"), TestServices.Rich("svc-2"), TestServices.Rich("svc-3")));
        var target = new InMemoryServiceCatalog();
        await target.SaveAsync(new CdnService { ServiceId = "svc-2", Spec = TestServices.Spec("target's own") });
        return (json, target);
    }

    private static async Task<CatalogTransferException> ImportFailsAsync(string json) =>
        await Assert.ThrowsAsync<CatalogTransferException>(() => CatalogTransfer.ImportAsync(new InMemoryServiceCatalog(), Utf8(json)));

    internal static MemoryStream Utf8(string json) => new(Encoding.UTF8.GetBytes(json));

    internal static async Task<InMemoryServiceCatalog> InMemoryAsync(params CdnService[] services)
    {
        var catalog = new InMemoryServiceCatalog();
        foreach (var service in services)
        {
            await catalog.SaveAsync(service);
        }

        return catalog;
    }

    internal static async Task<(string Json, CatalogExportReport Report)> ExportAsync(IServiceCatalog source)
    {
        using var stream = new MemoryStream();
        var report = await CatalogTransfer.ExportAsync(source, stream, new CatalogExportOptions { TimeProvider = new FakeTimeProvider(Now) }, CancellationToken.None);
        return (Encoding.UTF8.GetString(stream.ToArray()), report);
    }

    /// <summary>A catalog that tells the test when each service is listed or saved, delegating everything to an inner store.</summary>
    private sealed class ObservedCatalog(IServiceCatalog inner) : IServiceCatalog
    {
        public Action<int>? Listed { get; set; }

        public Action<CdnService>? Saving { get; set; }

        public ValueTask<CdnService?> GetAsync(string serviceId, CancellationToken cancellationToken = default) => inner.GetAsync(serviceId, cancellationToken);

        public ValueTask<CdnService> SaveAsync(CdnService service, CancellationToken cancellationToken = default)
        {
            Saving?.Invoke(service);
            return inner.SaveAsync(service, cancellationToken);
        }

        public ValueTask<bool> DeleteAsync(string serviceId, long expectedVersion, CancellationToken cancellationToken = default) => inner.DeleteAsync(serviceId, expectedVersion, cancellationToken);

        public async IAsyncEnumerable<CdnService> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var i = 0;
            await foreach (var service in inner.ListAsync(cancellationToken))
            {
                Listed?.Invoke(i++);
                yield return service;
            }
        }
    }

    /// <summary>A stream that counts what passes: written (and dropped; asynchronous and synchronous writes apart), or read from a byte array.</summary>
    private sealed class CountingStream(byte[]? content = null) : Stream
    {
        private readonly MemoryStream? _content = content is null ? null : new MemoryStream(content);

        public long Written { get; private set; }

        public int Writes { get; private set; }

        public long BytesRead => _content?.Position ?? 0;

        public override bool CanRead => _content is not null;

        public override bool CanSeek => false;

        public override bool CanWrite => _content is null;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _content!.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public int SynchronousWrites { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Written += count;
            SynchronousWrites++;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            Writes++;
            return ValueTask.CompletedTask;
        }
    }
}
