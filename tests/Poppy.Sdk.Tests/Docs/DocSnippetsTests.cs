using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Poppy.Sdk.Emulator;

namespace Poppy.Sdk.Tests.Docs;

/// <summary>
/// The C# in README.md, docs/ and the package READMEs (src/*/README.md) is compiled code: every <c>```csharp</c> block sits under a
/// <c>&lt;!-- snippet: NAME (WHERE) --&gt;</c> line and shows exactly the <c>#region NAME</c> of WHERE — the
/// docs/snippets project (in the solution, built with warnings as errors) or a source file of the repository.
/// </summary>
public sealed partial class DocSnippetsTests
{
    private const string SnippetsFolder = "docs/snippets";

    internal static string Root { get; } = FindRoot();

    public static TheoryData<string> Documents()
    {
        var data = new TheoryData<string>();
        var packageReadmes = Directory.EnumerateDirectories(Path.Combine(Root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md")).Concat(packageReadmes).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
            if (File.ReadAllText(file).Contains("```csharp", StringComparison.Ordinal))
            {
                data.Add(relative);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void CSharpBlocks_InTheDocument_AreTheCompiledSnippets(string document)
    {
        var snippets = Regions(Directory.EnumerateFiles(Path.Combine(Root, SnippetsFolder), "*.cs", SearchOption.AllDirectories));
        var lines = File.ReadAllText(Path.Combine(Root, document)).ReplaceLineEndings("\n").Split('\n');
        var checkedBlocks = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var marker = i > 0 ? SnippetMarker().Match(lines[i - 1].Trim()) : Match.Empty;
            Assert.True(marker.Success, $"{document}:{i + 1}: a C# block without a '<!-- snippet: NAME (WHERE) -->' line above it; put the code in {SnippetsFolder} or mark a region of the source it shows.");
            var name = marker.Groups["name"].Value;
            var where = marker.Groups["where"].Success ? marker.Groups["where"].Value : SnippetsFolder;
            var regions = where == SnippetsFolder ? snippets : Regions([Path.Combine(Root, where)]);
            Assert.True(regions.TryGetValue(name, out var code), $"{document}:{i + 1}: no '#region {name}' in {where}.");
            var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            var fence = lines[i].Length - lines[i].TrimStart(' ').Length;   // a block inside a list item is indented
            var shown = string.Join('\n', lines[(i + 1)..end].Select(l => l.Length >= fence && l[..fence].Trim().Length == 0 ? l[fence..] : l.TrimStart(' ')));
            Assert.True(code == shown, $"{document}:{i + 1}: the block differs from '#region {name}' in {where}.\n--- compiled ---\n{code}\n--- shown ---\n{shown}");
            checkedBlocks++;
        }

        Assert.True(checkedBlocks > 0);
    }

    [Fact]
    public void Documents_IncludeEveryPackageReadmeWithCSharp()
    {
        var documents = ((IEnumerable<object[]>)Documents()).Select(row => (string)row[0]).ToList();

        Assert.Contains("src/Poppy.Sdk.Fastly/README.md", documents);   // the one whose MyAuditHandler example was not compiled
        Assert.Contains("src/Poppy.Sdk.Testing/README.md", documents);
        Assert.Contains("src/Poppy.Sdk.Emulator/README.md", documents);
    }

    [Fact]
    public async Task GettingStarted_EmulatorConfigurationAsDocumented_StartsAndReachesBothVendors()
    {
        await using var emulator = await CdnEmulator.StartAsync();
        var json = DocumentedJson("docs/getting-started.md", "\"BaseAddress\"")
            .Replace("http://127.0.0.1:5080/", emulator.BaseAddress.ToString(), StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddPoppy(configuration)
            .AddFastly(configuration.GetSection("Fastly"))
            .AddCloudFront(configuration.GetSection("CloudFront"));
        await using var sp = services.BuildServiceProvider();

        sp.GetRequiredService<IStartupValidator>().Validate();
        var client = sp.GetRequiredService<PoppyClient>();

        // An authenticated read on each vendor: the address and the credentials are right.
        Assert.Null(await client.GetProviderServiceAsync("svc-docs", "fastly"));
        Assert.Null(await client.GetProviderServiceAsync("svc-docs", "cloudfront"));
        Assert.True(emulator.Fastly.Calls.Count() > 0);
        Assert.True(emulator.CloudFront.Calls.Count() > 0);
        Assert.DoesNotContain(emulator.Fastly.Calls.Calls, c => c.Status is 401 or 403);
        Assert.DoesNotContain(emulator.CloudFront.Calls.Calls, c => c.Status is 401 or 403);
    }

    /// <summary>The first <c>```json</c> block of a document that contains <paramref name="containing"/>.</summary>
    private static string DocumentedJson(string document, string containing)
    {
        var text = File.ReadAllText(Path.Combine(Root, document)).ReplaceLineEndings("\n");
        foreach (Match block in JsonBlock().Matches(text))
        {
            if (block.Groups["json"].Value.Contains(containing, StringComparison.Ordinal))
            {
                return block.Groups["json"].Value;
            }
        }

        throw new Xunit.Sdk.XunitException($"{document} has no JSON block containing {containing}.");
    }

    private static Dictionary<string, string> Regions(IEnumerable<string> files)
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var start = RegionStart().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                var end = Array.FindIndex(lines, i + 1, l => l.Trim().StartsWith("#endregion", StringComparison.Ordinal));
                regions.Add(start.Groups["name"].Value, Dedent(lines[(i + 1)..end]));
                i = end;
            }
        }

        return regions;
    }

    private static string Dedent(string[] lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Trim().Length == 0 ? "" : l[indent..])).Trim('\n');
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Poppy.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Poppy.Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^<!-- snippet: (?<name>[\w-]+)( \((?<where>[\w./-]+)\))? -->$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\s*#region (?<name>[\w-]+)(\s.*)?$")]
    private static partial Regex RegionStart();

    [GeneratedRegex("```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
