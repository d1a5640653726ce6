using System.Text.Json;
using Poppy.Sdk.CloudFront.Internal;

namespace Poppy.Sdk.CloudFront.Tests;

public class FunctionTests
{
    private static RestrictionProgram Program(params string[] values) =>
        new([new RestrictionGroup("referrer", "whitelist", "/a/*", ViewerRequestFunction.PathRegex("/a/*"), values)]);

    private static string DataLine(string code) => code.Split('\n').Single(l => l.StartsWith(ViewerRequestFunction.DataPrefix, StringComparison.Ordinal));

    public static TheoryData<string> Hostile => new()
    {
        "evil\"}]};return request;//",
        "x';return {statusCode:200};'",
        "a\nb\r\nc\u2028d\u2029e",
        "</script><script>alert(1)</script>",
        "\\\"\\u0022",
        "ünïcödé-ß.example",
        "${process.exit()}`",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void HostileValue_StaysInsideTheDataLiteral(string value)
    {
        var benign = ViewerRequestFunction.Code(Program("ok.example"));
        var code = ViewerRequestFunction.Code(Program(value));

        // Everything but the data line is byte-for-byte the fixed template.
        Assert.Equal(benign.Replace(DataLine(benign), "", StringComparison.Ordinal), code.Replace(DataLine(code), "", StringComparison.Ordinal));
        var data = DataLine(code);
        Assert.EndsWith(";", data, StringComparison.Ordinal);
        Assert.All(data, c => Assert.True(c is >= ' ' and < (char)127, $"character U+{(int)c:X4} in the data line"));
        Assert.DoesNotContain("'", data, StringComparison.Ordinal);
        Assert.DoesNotContain("<", data, StringComparison.Ordinal);
        Assert.DoesNotContain("`", data, StringComparison.Ordinal);

        // The literal is one JSON value that decodes to exactly the value given.
        var json = data[ViewerRequestFunction.DataPrefix.Length..^1];
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(value, doc.RootElement.GetProperty("groups")[0].GetProperty("values")[0].GetString());
        Assert.Equal(Program(value), ViewerRequestFunction.Read(code));
    }

    [Fact]
    public void Read_EditedCode_IsNotOurs()
    {
        var code = ViewerRequestFunction.Code(Program("ok.example"));
        Assert.Null(ViewerRequestFunction.Read(code.Replace("statusCode: 403", "statusCode: 200", StringComparison.Ordinal)));
        Assert.Null(ViewerRequestFunction.Read("function handler(e) { return e.request; }"));
    }

    [Theory]
    [InlineData("/images/*", "^/images/.*$")]
    [InlineData("/a.b/*.jpg", "^/a\\u002eb/.*\\u002ejpg$")]
    [InlineData("/x(y)|z+", "^/x\\u0028y\\u0029\\u007cz\\u002b$")]
    public void PathRegex_EscapesEverythingButLiterals(string pattern, string expected) => Assert.Equal(expected, ViewerRequestFunction.PathRegex(pattern));

    [Fact]
    public void Code_UsesRuntime2AndFitsTheLimit()
    {
        var code = ViewerRequestFunction.Code(Program("ok.example"));
        Assert.Contains("function handler(event)", code, StringComparison.Ordinal);
        Assert.True(ViewerRequestFunction.Size(code) < ViewerRequestFunction.MaxCodeBytes);
        Assert.Equal("cloudfront-js-2.0", ViewerRequestFunction.Runtime);
    }
}
