using System.Text.Json;
using static Poppy.Sdk.Cli.Tests.CliRun;

namespace Poppy.Sdk.Cli.Tests;

public sealed class ValidateCommandJsonTests
{
    [Fact]
    public async Task Validate_JsonWithEveryKindOfFile_PrintsOneArrayFieldByFieldAndExitsTwo()
    {
        var missing = Data("does-not-exist.json");

        var result = await RunAsync("validate", "--json", Data("valid.json"), Data("invalid.json"), Data("syntax.json"), missing);

        Assert.Equal(2, result.Code);
        Assert.Empty(result.Err);
        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.Equal(["file", "valid", "errors", "warnings"], i.EnumerateObject().Select(p => p.Name)));

        Assert.Equal(Data("valid.json"), items[0].GetProperty("file").GetString());
        Assert.True(items[0].GetProperty("valid").GetBoolean());
        Assert.Equal(0, items[0].GetProperty("errors").GetArrayLength());

        Assert.Equal(Data("invalid.json"), items[1].GetProperty("file").GetString());
        Assert.False(items[1].GetProperty("valid").GetBoolean());
        var errors = items[1].GetProperty("errors").EnumerateArray().ToList();
        Assert.All(errors, e => Assert.Equal(["path", "message"], e.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(
            ["/domains/0/domain", "/name", "/origins/0/port"],
            errors.Select(e => e.GetProperty("path").GetString()).Order(StringComparer.Ordinal));
        var port = errors.Single(e => e.GetProperty("path").GetString() == "/origins/0/port");
        Assert.Contains("81", port.GetProperty("message").GetString(), StringComparison.Ordinal);
        var domain = errors.Single(e => e.GetProperty("path").GetString() == "/domains/0/domain");
        Assert.Contains("'example.com'", domain.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(Data("syntax.json"), items[2].GetProperty("file").GetString());
        Assert.False(items[2].GetProperty("valid").GetBoolean());
        var parseError = Assert.Single(items[2].GetProperty("errors").EnumerateArray().ToList());
        Assert.Equal("", parseError.GetProperty("path").GetString());
        var parseMessage = parseError.GetProperty("message").GetString();
        Assert.StartsWith("could not be parsed as a Poppy service document: ", parseMessage, StringComparison.Ordinal);
        Assert.Contains("line 2", parseMessage, StringComparison.Ordinal);

        Assert.Equal(missing, items[3].GetProperty("file").GetString());
        Assert.False(items[3].GetProperty("valid").GetBoolean());
        var readError = Assert.Single(items[3].GetProperty("errors").EnumerateArray().ToList());
        Assert.Equal("", readError.GetProperty("path").GetString());
        Assert.Equal("could not be read: file not found", readError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Validate_JsonAllValid_ExitsZero()
    {
        var result = await RunAsync("validate", Data("valid.json"), "--json");

        Assert.Equal(0, result.Code);
        using var doc = JsonDocument.Parse(result.Out);
        var item = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.True(item.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Validate_JsonInvalid_ExitsOne()
    {
        var result = await RunAsync("validate", "--json", Data("valid.json"), Data("one-problem.json"));

        Assert.Equal(1, result.Code);
        using var doc = JsonDocument.Parse(result.Out);
        var items = doc.RootElement.EnumerateArray().ToList();
        Assert.True(items[0].GetProperty("valid").GetBoolean());
        Assert.False(items[1].GetProperty("valid").GetBoolean());
        var error = Assert.Single(items[1].GetProperty("errors").EnumerateArray().ToList());
        Assert.Equal("/origins/0/port", error.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Validate_JsonStdin_NamesTheFileStdin()
    {
        var result = await RunWithStdinAsync("null", "validate", "--json", "-");

        Assert.Equal(2, result.Code);
        using var doc = JsonDocument.Parse(result.Out);
        var item = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal("<stdin>", item.GetProperty("file").GetString());
        Assert.False(item.GetProperty("valid").GetBoolean());
        Assert.Contains("literal null", item.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_JsonPoppyOriginHostHeaderWithValue_ValidWithTheWarningListed()
    {
        var result = await RunAsync("validate", "--json", Data("origin-host-header-value.json"));

        Assert.Equal(0, result.Code);
        using var doc = JsonDocument.Parse(result.Out);
        var item = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.True(item.GetProperty("valid").GetBoolean());
        Assert.Equal(0, item.GetProperty("errors").GetArrayLength());
        var warning = Assert.Single(item.GetProperty("warnings").EnumerateArray().ToList());
        Assert.Equal("/origins/0/hostheadervalue", warning.GetProperty("path").GetString());
        Assert.Contains("'ignored.quickstart.example'", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_JsonFileNameWithQuotes_IsEscaped()
    {
        const string name = "a \"quoted\" \\ name.json";

        var result = await RunAsync("validate", "--json", "--", name);

        using var doc = JsonDocument.Parse(result.Out);
        Assert.Equal(name, doc.RootElement[0].GetProperty("file").GetString());
    }
}
