using System.Text.Json;

namespace Poppy.Sdk.Cli.Tests;

public sealed class ValidateCommandTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static async Task<(int Code, string Out, string Err)> RunWithStdinAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PoppyCli.RunAsync(args, new StringReader(stdin), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => RunWithStdinAsync("", args);

    [Fact]
    public async Task Validate_ValidFile_PrintsOkAndExitsZero()
    {
        var (code, stdout, stderr) = await RunAsync("validate", Data("valid.json"));

        Assert.Equal(0, code);
        Assert.Equal($"{Data("valid.json")}: OK", stdout.Trim());
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Validate_InvalidFile_PrintsEachProblemWithPathAndExitsOne()
    {
        var (code, stdout, _) = await RunAsync("validate", Data("invalid.json"));

        Assert.Equal(1, code);
        Assert.Contains("problems", stdout, StringComparison.Ordinal);
        Assert.Contains("  /name: ", stdout, StringComparison.Ordinal);
        Assert.Contains("  /domains/0/domain: ", stdout, StringComparison.Ordinal);
        Assert.Contains("  /origins/0/port: ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidAndInvalid_ExitsOneAndReportsBoth()
    {
        var (code, stdout, _) = await RunAsync("validate", Data("valid.json"), Data("invalid.json"));

        Assert.Equal(1, code);
        Assert.Contains($"{Data("valid.json")}: OK", stdout, StringComparison.Ordinal);
        Assert.Contains($"{Data("invalid.json")}: ", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("syntax.json", "line")]
    [InlineData("wrongtype.json", "$.origins[0].port")]
    [InlineData("null.json", "null")]
    public async Task Validate_UnparsableFile_ReportsClearlyAndExitsTwo(string file, string expected)
    {
        var (code, stdout, stderr) = await RunAsync("validate", Data(file), Data("valid.json"));

        Assert.Equal(2, code);
        Assert.Contains($"{Data(file)}: error: is not a valid Poppy service document", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Contains($"{Data("valid.json")}: OK", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwo()
    {
        var (code, _, stderr) = await RunAsync("validate", Data("does-not-exist.json"));

        Assert.Equal(2, code);
        Assert.Contains("does-not-exist.json: error: file not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Directory_ExitsTwo()
    {
        var (code, _, stderr) = await RunAsync("validate", Path.Combine(AppContext.BaseDirectory, "TestData"));

        Assert.Equal(2, code);
        Assert.Contains("is a directory", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("validate")]
    [InlineData("frobnicate")]
    [InlineData("validate", "--strict", "x.json")]
    public async Task Run_UsageErrors_ExitTwoWithUsageOnStderr(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains("Usage: poppy", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("validate", "--help")]
    public async Task Run_Help_ExitsZeroWithUsageOnStdout(params string[] args)
    {
        var (code, stdout, _) = await RunAsync(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage: poppy", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Json_PrintsOneArrayFieldByField()
    {
        var (code, stdout, _) = await RunAsync("validate", "--json", Data("valid.json"), Data("invalid.json"), Data("syntax.json"));

        Assert.Equal(2, code);
        using var doc = JsonDocument.Parse(stdout);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(Data("valid.json"), items[0].GetProperty("file").GetString());
        Assert.True(items[0].GetProperty("valid").GetBoolean());
        Assert.Equal(0, items[0].GetProperty("errors").GetArrayLength());
        Assert.False(items[1].GetProperty("valid").GetBoolean());
        var paths = items[1].GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("/origins/0/port", paths);
        Assert.All(items[1].GetProperty("errors").EnumerateArray(), e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        Assert.False(items[2].GetProperty("valid").GetBoolean());
        var parseError = Assert.Single(items[2].GetProperty("errors").EnumerateArray().ToList());
        Assert.Equal("", parseError.GetProperty("path").GetString());
        Assert.StartsWith("is not a valid Poppy service document", parseError.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Stdin_ReadsDocument()
    {
        var text = await File.ReadAllTextAsync(Data("valid.json"));

        var (code, stdout, _) = await RunWithStdinAsync(text, "validate", "-");

        Assert.Equal(0, code);
        Assert.Equal("<stdin>: OK", stdout.Trim());
    }
}
