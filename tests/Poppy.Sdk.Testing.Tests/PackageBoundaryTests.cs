using System.Reflection;

namespace Poppy.Sdk.Testing.Tests;

/// <summary>
/// Poppy.Sdk.Testing goes into applications that only want the in-memory provider: it must not bring
/// a test framework with it. The xunit-based conformance kit lives in Poppy.Sdk.Testing.Conformance.
/// </summary>
public sealed class PackageBoundaryTests
{
    private static readonly string[] TestFrameworks = ["xunit", "nunit", "mstest", "Microsoft.VisualStudio.TestPlatform", "Microsoft.TestPlatform"];

    [Fact]
    public void PoppySdkTesting_AndWhatItReferences_ReferenceNoTestFramework()
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var offending = new List<string>();
        var pending = new Queue<(AssemblyName Name, string Path)>();
        pending.Enqueue((typeof(InMemoryCdnProvider).Assembly.GetName(), typeof(InMemoryCdnProvider).Assembly.GetName().Name!));
        while (pending.TryDequeue(out var next))
        {
            if (!seen.Add(next.Name.Name!))
            {
                continue;
            }

            if (TestFrameworks.Any(f => next.Name.Name!.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
            {
                offending.Add(next.Path);
                continue;
            }

            // Only our own assemblies are walked: the framework and Microsoft.Extensions never reference a test framework.
            if (!next.Name.Name!.StartsWith("Poppy.", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var reference in Assembly.Load(next.Name).GetReferencedAssemblies())
            {
                pending.Enqueue((reference, $"{next.Path} → {reference.Name}"));
            }
        }

        Assert.Contains("Poppy.Sdk.Abstractions", seen);   // the walk went past the first assembly
        Assert.Empty(offending);
    }

    [Fact]
    public void ConformanceKit_LivesInItsOwnPackage_UnderTheSameNamespace()
    {
        var kit = typeof(CdnProviderConformanceTests);

        Assert.Equal("Poppy.Sdk.Testing.Conformance", kit.Assembly.GetName().Name);
        Assert.Equal("Poppy.Sdk.Testing", kit.Namespace);
        Assert.Contains(kit.Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("xunit", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(InMemoryCdnProvider).Assembly.GetExportedTypes(), t => t.Name.Contains("Conformance", StringComparison.Ordinal));
    }
}
