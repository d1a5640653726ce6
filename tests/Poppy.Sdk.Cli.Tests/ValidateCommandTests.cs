using static Poppy.Sdk.Cli.Tests.CliRun;

namespace Poppy.Sdk.Cli.Tests;

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Validate_ValidFile_PrintsOkAndExitsZero()
    {
        var result = await RunAsync("validate", Data("valid.json"));

        Assert.Equal(0, result.Code);
        Assert.Equal([$"{Data("valid.json")}: OK"], Lines(result.Out));
        Assert.Empty(result.Err);
    }

    [Fact]
    public async Task Validate_PoppyOriginHostHeaderWithValue_PrintsOkWithTheWarningAndExitsZero()
    {
        var result = await RunAsync("validate", Data("origin-host-header-value.json"));

        Assert.Equal(0, result.Code);
        var lines = Lines(result.Out);
        Assert.Equal($"{Data("origin-host-header-value.json")}: OK (1 warning)", lines[0]);
        Assert.StartsWith("  warning: /origins/0/hostheadervalue: Ignored", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Empty(result.Err);
    }

    [Fact]
    public async Task Validate_InvalidFile_PrintsEveryProblemWithItsPathAndExitsOne()
    {
        var result = await RunAsync("validate", Data("invalid.json"));

        Assert.Equal(1, result.Code);
        var lines = Lines(result.Out);
        Assert.Equal($"{Data("invalid.json")}: 3 problems", lines[0]);
        Assert.Equal(3, lines.Length - 1);
        Assert.StartsWith("  /name: ", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  /domains/0/domain: ", StringComparison.Ordinal) && l.Contains("'example.com'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  /origins/0/port: ", StringComparison.Ordinal) && l.Contains("81", StringComparison.Ordinal));
        Assert.Empty(result.Err);
    }

    [Theory]
    [InlineData("one-problem.json", "/origins/0/port")]
    [InlineData("no-domains.json", "/domains")]
    public async Task Validate_OneProblem_SaysProblemInTheSingular(string file, string path)
    {
        var result = await RunAsync("validate", Data(file));

        Assert.Equal(1, result.Code);
        var lines = Lines(result.Out);
        Assert.Equal(2, lines.Length);
        Assert.Equal($"{Data(file)}: 1 problem", lines[0]);
        Assert.StartsWith($"  {path}: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ValidAndInvalid_ReportsBothInOrderAndExitsOne()
    {
        var result = await RunAsync("validate", Data("valid.json"), Data("invalid.json"));

        Assert.Equal(1, result.Code);
        var lines = Lines(result.Out);
        Assert.Equal($"{Data("valid.json")}: OK", lines[0]);
        Assert.Equal($"{Data("invalid.json")}: 3 problems", lines[1]);
        Assert.Empty(result.Err);
    }

    [Theory]
    [InlineData("syntax.json", "line 2")]
    [InlineData("syntax.json", "path $.domains[0]")]
    [InlineData("wrongtype.json", "the value at $.origins[0].port has the wrong type")]
    [InlineData("wrongtype.json", "(line 2, position ")]
    [InlineData("bad-enum.json", "the value at $.domains[0].protocol")]
    [InlineData("null.json", "literal null")]
    [InlineData("array.json", "the document is not a JSON object (line 1, position ")]
    [InlineData("empty.json", "the document is empty")]
    public async Task Validate_UnparsableFile_ReportsFileAndLocationOnStderrAndExitsTwo(string file, string expected)
    {
        var result = await RunAsync("validate", Data(file), Data("valid.json"));

        Assert.Equal(2, result.Code);
        var error = Assert.Single(Lines(result.Err));
        Assert.StartsWith($"{Data(file)}: error: could not be parsed as a Poppy service document: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Poppy.Sdk.Models", error, StringComparison.Ordinal);
        // The other file is still validated.
        Assert.Equal([$"{Data("valid.json")}: OK"], Lines(result.Out));
    }

    [Fact]
    public async Task Validate_UnparsableAndInvalid_ExitsTwo()
    {
        var result = await RunAsync("validate", Data("invalid.json"), Data("syntax.json"));

        Assert.Equal(2, result.Code);
        Assert.StartsWith($"{Data("invalid.json")}: 3 problems", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingFile_SaysFileNotFoundAndExitsTwo()
    {
        var missing = Data("does-not-exist.json");

        var result = await RunAsync("validate", missing);

        Assert.Equal(2, result.Code);
        Assert.Equal([$"{missing}: error: file not found"], Lines(result.Err));
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Validate_FileInMissingFolder_SaysFileNotFoundAndExitsTwo()
    {
        var missing = Path.Combine(AppContext.BaseDirectory, "no-such-folder", "service.json");

        var result = await RunAsync("validate", missing);

        Assert.Equal(2, result.Code);
        Assert.Equal([$"{missing}: error: file not found"], Lines(result.Err));
    }

    [Fact]
    public async Task Validate_Directory_SaysItIsADirectoryAndExitsTwo()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestData");

        var result = await RunAsync("validate", folder);

        Assert.Equal(2, result.Code);
        Assert.Equal([$"{folder}: error: it is a directory, not a file"], Lines(result.Err));
    }

    [Fact]
    public async Task Validate_EmptyFileName_ReportsItAndExitsTwo()
    {
        var result = await RunAsync("validate", "");

        Assert.Equal(2, result.Code);
        Assert.Equal([": error: the file name is empty"], Lines(result.Err));
    }

    [Fact]
    public async Task Validate_FileNameWithNulCharacter_ReportsItAndExitsTwo()
    {
        var result = await RunAsync("validate", "bad\0name.json");

        Assert.Equal(2, result.Code);
        Assert.StartsWith("bad\0name.json: error: ", Assert.Single(Lines(result.Err)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidLiteralFollowedByPathText_KeepsTheQuoteAndReportsTheRealPath()
    {
        var result = await RunWithStdinAsync("{\"name\": nope Path: $.fake }", "validate", "-");

        Assert.Equal(2, result.Code);
        var error = Assert.Single(Lines(result.Err));
        Assert.Contains("'nope Path: $.fake }' is an invalid JSON literal", error, StringComparison.Ordinal);
        Assert.EndsWith("path $.name)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_StdinValid_PrintsOkForStdin()
    {
        var text = await File.ReadAllTextAsync(Data("valid.json"));

        var result = await RunWithStdinAsync(text, "validate", "-");

        Assert.Equal(0, result.Code);
        Assert.Equal(["<stdin>: OK"], Lines(result.Out));
    }

    [Fact]
    public async Task Validate_StdinInvalidAlongsideFile_ReportsBoth()
    {
        var text = await File.ReadAllTextAsync(Data("one-problem.json"));

        var result = await RunWithStdinAsync(text, "validate", Data("valid.json"), "-");

        Assert.Equal(1, result.Code);
        var lines = Lines(result.Out);
        Assert.Equal($"{Data("valid.json")}: OK", lines[0]);
        Assert.Equal("<stdin>: 1 problem", lines[1]);
        Assert.StartsWith("  /origins/0/port: ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_StdinNotJson_ExitsTwo()
    {
        var result = await RunWithStdinAsync("this is not json", "validate", "-");

        Assert.Equal(2, result.Code);
        Assert.StartsWith("<stdin>: error: could not be parsed as a Poppy service document: ", result.Err, StringComparison.Ordinal);
        Assert.Contains("'this is not json' is an invalid JSON literal", result.Err, StringComparison.Ordinal);
        Assert.Contains("(line 1, position ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_InvalidLiteralBeforeALongRest_ReportsOneShortLine()
    {
        // System.Text.Json quotes the invalid literal together with everything after it.
        var document = "{\"name\": nope\n\n" + new string('x', 5000) + "\n}";

        var result = await RunWithStdinAsync(document, "validate", "-");

        Assert.Equal(2, result.Code);
        var error = Assert.Single(Lines(result.Err));
        Assert.InRange(error.Length, 1, 400);
        Assert.Contains("'nope xxxxxxxx", error, StringComparison.Ordinal);
        Assert.Contains("...' is an invalid JSON literal", error, StringComparison.Ordinal);
        Assert.EndsWith("(line 1, position 11, path $.name)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_DoubleDash_TreatsFollowingArgumentsAsFiles()
    {
        var result = await RunAsync("validate", "--", "--json");

        Assert.Equal(2, result.Code);
        Assert.Equal(["--json: error: file not found"], Lines(result.Err));
    }
}
