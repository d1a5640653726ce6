namespace Poppy.Sdk.Cli.Tests;

public sealed class PoppyCliTests
{
    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("--frob")]
    [InlineData("--version", "extra")]
    [InlineData("validate")]
    [InlineData("validate", "--json")]
    [InlineData("validate", "--strict", "x.json")]
    [InlineData("validate", "-", "-")]
    public async Task RunAsync_UsageError_ExitsTwoWithUsageOnStderrOnly(params string[] args)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(PoppyCli.UsageOrInputError, result.Code);
        Assert.Equal(2, result.Code);
        Assert.Empty(result.Out);
        Assert.Contains("Usage: poppy", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate", "poppy: unknown command 'frobnicate'.")]
    [InlineData("--frob", "poppy: unknown option '--frob'.")]
    [InlineData("validate", "poppy validate: no file given.")]
    [InlineData("validate --strict x.json", "poppy validate: unknown option '--strict'.")]
    [InlineData("validate - -", "poppy validate: '-' (standard input) may be given only once.")]
    public async Task RunAsync_UsageError_SaysWhatIsWrongFirst(string args, string firstLine)
    {
        var result = await CliRun.RunAsync(args.Split(' '));

        Assert.Equal(firstLine, CliRun.Lines(result.Err)[0]);
    }

    [Theory]
    [InlineData("--help", "Usage: poppy <command>")]
    [InlineData("-h", "Usage: poppy <command>")]
    [InlineData("help", "Usage: poppy <command>")]
    [InlineData("validate --help", "Usage: poppy validate")]
    [InlineData("validate x.json -h", "Usage: poppy validate")]
    public async Task RunAsync_Help_PrintsUsageToStdoutAndExitsZero(string args, string expected)
    {
        var result = await CliRun.RunAsync(args.Split(' '));

        Assert.Equal(0, result.Code);
        Assert.StartsWith(expected, result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Err);
    }

    [Fact]
    public async Task RunAsync_NullWriter_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => PoppyCli.RunAsync(["--help"], null!, TextWriter.Null, TextReader.Null));
    }

    [Fact]
    public async Task RunAsync_Version_PrintsThePackageVersionAndExitsZero()
    {
        var result = await CliRun.RunAsync("--version");

        Assert.Equal(PoppyCli.Ok, result.Code);
        Assert.Empty(result.Err);
        var line = Assert.Single(CliRun.Lines(result.Out));
        Assert.Matches(@"^poppy \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$", line);
        Assert.Equal("poppy " + PoppyCli.Version, line);
    }

    [Fact]
    public async Task RunAsync_Help_ListsVersion()
    {
        var result = await CliRun.RunAsync("--help");

        Assert.Contains("--version", result.Out, StringComparison.Ordinal);
    }
}
