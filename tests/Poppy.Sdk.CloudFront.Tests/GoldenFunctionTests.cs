using Poppy.Sdk.CloudFront.Internal;

namespace Poppy.Sdk.CloudFront.Tests;

/// <summary>
/// Keeps <c>Golden/viewer-request.js</c> equal to what the generator writes for a fixed program, so the
/// JavaScript behaviour check (<c>tests/official-clients/cloudfront-js/function-check.mjs</c>, run by
/// <c>.ci/run</c> under Node) always exercises the code the provider deploys.
/// </summary>
public class GoldenFunctionTests
{
    /// <summary>Referrer whitelist on /images/*, IPv4 whitelist on /api/*, IPv6 and IPv4 blacklist everywhere.</summary>
    internal static RestrictionProgram Program { get; } = new(
    [
        new RestrictionGroup("referrer", "whitelist", "/images/*", ViewerRequestFunction.PathRegex("/images/*"), ["partner.example.org", "www.example.com"]),
        new RestrictionGroup("client_ip", "whitelist", "/api/*", ViewerRequestFunction.PathRegex("/api/*"), ["198.51.100.0/24", "203.0.113.7/32"]),
        new RestrictionGroup("client_ip", "blacklist", "/*", null, ["2001:db8::/32", "192.0.2.0/25"]),
    ]);

    [Fact]
    public void Golden_IsWhatTheGeneratorWrites()
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "Poppy.Sdk.CloudFront.Tests", "Golden", "viewer-request.js");
        var expected = ViewerRequestFunction.Code(Program);
        if (Environment.GetEnvironmentVariable("POPPY_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, expected);
        }

        Assert.Equal(expected, File.ReadAllText(path));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Poppy.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Poppy.Sdk.sln not found above the test binaries.");
    }
}
