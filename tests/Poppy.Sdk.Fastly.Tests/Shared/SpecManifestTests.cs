using System.IO.Compression;
using System.Text;
using Poppy.Sdk.Internal;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.Fastly.Tests.Shared;

public class SpecManifestTests
{
    [Fact]
    public void Encode_RoundTripsTheSpecAndIsSmallerThanItsJson()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich());

        var encoded = SpecManifest.Encode(spec);

        Assert.Equal(spec, SpecManifest.Decode(encoded));
        Assert.True(encoded.Length < PoppyJson.Serialize(spec).Length, $"{encoded.Length} characters");
        Assert.All(encoded, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Decode_NotAManifest_IsNull(string? encoded)
    {
        Assert.Null(SpecManifest.Decode(encoded));
    }

    [Fact]
    public void Split_ChunksInOrder_JoinReadsThemBackAmongOtherTags()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Rich());

        var chunks = SpecManifest.Split(spec, 16, 50);
        var tags = new List<KeyValuePair<string, string>> { KeyValuePair.Create("team", "web") };
        tags.AddRange(chunks.Reverse());

        Assert.True(chunks.Count > 1);
        Assert.Equal("poppy:manifest:00", chunks[0].Key);
        Assert.All(chunks, c => Assert.True(c.Value.Length <= 16));
        Assert.Equal(SpecManifest.Encode(spec), string.Concat(chunks.Select(c => c.Value)));
        Assert.Equal(spec, SpecManifest.Join(tags));
    }

    [Fact]
    public void Split_TooManyChunks_IsEmpty()
    {
        Assert.Empty(SpecManifest.Split(TestSpecs.Normalize(TestSpecs.Rich()), 4, 3));
        Assert.Null(SpecManifest.Join([KeyValuePair.Create("team", "web")]));
    }

    [Fact]
    public void Join_TagsWrittenByTheFirstCloudFrontFormat_StillRead()
    {
        // CloudFront's first tags: the indented Poppy JSON, deflated, base64, 256-character chunks.
        var spec = TestSpecs.Normalize(TestSpecs.Rich());
        using var buffer = new MemoryStream();
        using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(Encoding.UTF8.GetBytes(PoppyJson.Serialize(spec)));
        }

        var encoded = Convert.ToBase64String(buffer.ToArray());
        var tags = encoded.Chunk(256).Select((c, i) => KeyValuePair.Create($"poppy:manifest:{i:00}", new string(c)));

        Assert.Equal(spec, SpecManifest.Join(tags));
    }

    [Fact]
    public void FromComment_BothFormats_AreRead()
    {
        var spec = TestSpecs.Normalize(TestSpecs.Minimal());

        Assert.Equal(spec, SpecManifest.FromComment(SpecManifest.ToComment(spec)));
        Assert.Equal(spec, SpecManifest.FromComment("poppy:manifest:v1 " + PoppyJson.Serialize(spec)));
        Assert.Null(SpecManifest.FromComment(null));
    }
}
