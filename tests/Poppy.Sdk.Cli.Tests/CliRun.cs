namespace Poppy.Sdk.Cli.Tests;

/// <summary>Runs <see cref="PoppyCli"/> in-process with captured standard streams.</summary>
internal static class CliRun
{
    public static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static Task<CliResult> RunAsync(params string[] args) => RunWithStdinAsync("", args);

    public static async Task<CliResult> RunWithStdinAsync(string stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new StringReader(stdin);
        var code = await PoppyCli.RunAsync(args, stdout, stderr, input);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The output split into lines, without the trailing empty one.</summary>
    public static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}

internal sealed record CliResult(int Code, string Out, string Err);
