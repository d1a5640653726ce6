// Checks the packages `dotnet pack` produced (run by .ci/run after packing):
//   dotnet run eng/check-packages.cs -- artifacts/packages src
// Every project under src/ must have produced a package; every package must have a real description
// (not the SDK's "Package Description"), a README that says more than its heading, and no vendor tag
// for a vendor whose provider package is not shipped alongside. Exit code 1 lists every problem.
using System.IO.Compression;
using System.Xml.Linq;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run eng/check-packages.cs -- <packages folder> <src folder>");
    return 2;
}

(string Tag, string Package)[] vendors = [("fastly", "Poppy.Sdk.Fastly"), ("cloudfront", "Poppy.Sdk.CloudFront"), ("akamai", "Poppy.Sdk.Akamai"), ("cloudflare", "Poppy.Sdk.Cloudflare")];
var problems = new List<string>();
var packages = Directory.GetFiles(args[0], "*.nupkg").Order(StringComparer.Ordinal).ToArray();
var ids = new List<string>();
foreach (var package in packages)
{
    using var zip = ZipFile.OpenRead(package);
    var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/', StringComparison.Ordinal));
    XDocument nuspec;
    using (var stream = nuspecEntry.Open())
    {
        nuspec = XDocument.Load(stream);
    }

    string? Meta(string name) => nuspec.Root!.Elements().First(e => e.Name.LocalName == "metadata").Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
    var id = Meta("id") ?? Path.GetFileName(package);
    ids.Add(id);
    var description = Meta("description")?.Trim() ?? "";
    if (description.Length == 0 || description == "Package Description")
    {
        problems.Add($"{id}: no real <Description> (it says \"{description}\").");
    }

    var readme = Meta("readme");
    var readmeEntry = readme is null ? null : zip.GetEntry(readme.Replace('\\', '/'));
    if (readmeEntry is null)
    {
        problems.Add($"{id}: no package README (<PackageReadmeFile>).");
    }
    else
    {
        using var reader = new StreamReader(readmeEntry.Open());
        var text = reader.ReadToEnd();
        var prose = text.Split('\n').Count(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'));
        if (prose < 3)
        {
            problems.Add($"{id}: the README ({readme}) is little more than a heading.");
        }
    }

    var tags = (Meta("tags") ?? "").Split([' ', ';', ','], StringSplitOptions.RemoveEmptyEntries);
    if (tags.Length == 0)
    {
        problems.Add($"{id}: no <PackageTags>.");
    }

    foreach (var (tag, vendorPackage) in vendors.Where(v => tags.Contains(v.Tag, StringComparer.OrdinalIgnoreCase)))
    {
        if (!packages.Any(p => Path.GetFileName(p).StartsWith(vendorPackage + ".", StringComparison.OrdinalIgnoreCase) && char.IsDigit(Path.GetFileName(p)[vendorPackage.Length + 1])))
        {
            problems.Add($"{id}: tagged '{tag}', but no {vendorPackage} package is shipped.");
        }
    }
}

foreach (var project in Directory.GetFiles(args[1], "*.csproj", SearchOption.AllDirectories))
{
    var name = Path.GetFileNameWithoutExtension(project);
    if (!ids.Contains(name, StringComparer.OrdinalIgnoreCase))
    {
        problems.Add($"{name}: no package was produced (every project under {args[1]} ships).");
    }
}

foreach (var problem in problems)
{
    Console.Error.WriteLine(problem);
}

Console.WriteLine($"{packages.Length} packages checked, {problems.Count} problems");
return problems.Count == 0 ? 0 : 1;
