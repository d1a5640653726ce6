using Xunit.Abstractions;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>
/// Mixed operations (create, update, purge, delete; several in flight) through <c>AddPoppy()</c> over the emulated
/// vendors and in-memory CDNs, under faults injected with a fixed seed; then a reconciliation. Each guarantee is its
/// own test over the one run, so one failing check does not hide the others. Size: <c>POPPY_SOAK_OPERATIONS</c>.
/// </summary>
public sealed class SoakTests(SoakRun run, ITestOutputHelper output) : IClassFixture<SoakRun>
{
    [Fact]
    public void Soak_Run_CompletesAndReportsItsFigures()
    {
        output.WriteLine(SoakReport.Summary(run));
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Ledger.OperationCounts.Where(c => !c.Key.StartsWith('(')).Sum(c => c.Value) == run.Settings.Operations, SoakReport.Summary(run));
        Assert.False(run.Ledger.FaultCounts.IsEmpty, "No fault was injected.");
        Assert.True(run.Ledger.FaultCounts.GetValueOrDefault("credentials rotated (window)") >= 2, "Each vendor's credentials are rotated at least once, so the leak check sees auth errors.");
    }

    [Fact]
    public void Soak_NoServiceTheCallerWasToldExists_IsLost()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Lost.Count == 0, SoakReport.Offenders(run, "lost services (the caller was told they exist)", run.Lost));
    }

    [Fact]
    public void Soak_NoServiceIsDuplicatedOnAProvider()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Duplicated.Count == 0, SoakReport.Offenders(run, "duplicated vendor resources", run.Duplicated));
    }

    [Fact]
    public void Soak_NoVendorResourceIsOrphaned()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Orphaned.Count == 0, SoakReport.Offenders(run, "orphaned vendor resources", run.Orphaned));
    }

    [Fact]
    public void Soak_EveryOperationCompletesOnceFaultsClear()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Stuck.Count == 0, SoakReport.Offenders(run, "stuck operations", run.Stuck));
    }

    [Fact]
    public void Soak_EveryException_IsInTheSdksVocabulary()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Ledger.Untyped.IsEmpty, SoakReport.Untyped(run));
    }

    [Fact]
    public void Soak_EveryRetryableError_IsMarkedTransient()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Ledger.Mislabelled.IsEmpty, SoakReport.Mislabelled(run));
    }

    [Fact]
    public void Soak_NoSecret_InAnyLogExceptionResultOrCatalogEntry()
    {
        Assert.True(run.HarnessError is null, SoakReport.Summary(run));
        Assert.True(run.Leaks.Count == 0, SoakReport.Leaks(run));
    }
}
