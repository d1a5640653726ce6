namespace Poppy.Sdk.Akamai.Tests.Signing;

/// <summary>.edgerc loading, with Akamai's official fixtures.</summary>
public sealed class EdgeRcTests
{
    private static string Sample => EdgeGridVectorTests.VectorPath("sample_edgerc");

    [Fact]
    public void FromEdgeRc_DefaultSection_ReadsEveryValue()
    {
        var c = EdgeGridCredentials.FromEdgeRc(Sample);
        Assert.Equal("xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net", c.Host);
        Assert.Equal("xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx", c.ClientToken);
        Assert.Equal("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=", c.ClientSecret);
        Assert.Equal("xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx", c.AccessToken);
        Assert.Equal(131_072, c.MaxBody);
        Assert.Empty(c.HeadersToSign);
    }

    [Fact]
    public void FromEdgeRc_HeadersSection_ReadsHeadersToSign() =>
        Assert.Equal(["X-MyThing1", "X-MyThing2"], EdgeGridCredentials.FromEdgeRc(Sample, "headers").HeadersToSign);

    [Fact]
    public void FromEdgeRc_DashedKeys_ReadAsUnderscores()
    {
        var c = EdgeGridCredentials.FromEdgeRc(Sample, "dashes");
        Assert.Equal("xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx", c.ClientToken);
        Assert.Equal(131_072, c.MaxBody);
    }

    [Fact]
    public void FromEdgeRc_QuotedHostWithScheme_IsTheBareHost() =>
        Assert.Equal("xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net", EdgeGridCredentials.FromEdgeRc(Sample, "broken").Host);

    [Fact]
    public void FromEdgeRc_FileThatDoesNotParse_ThrowsWithoutQuotingSecrets()
    {
        var e = Assert.Throws<FormatException>(() => EdgeGridCredentials.FromEdgeRc(EdgeGridVectorTests.VectorPath("edgerc_that_doesnt_parse")));
        Assert.Contains("host", e.Message, StringComparison.Ordinal);
        Assert.Contains("client_secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseEdgeRc_BadMaxBody_Throws()
    {
        var text = "[default]\nhost = h.example\nclient_token = ct\nclient_secret = cs-secret-value\naccess_token = at\nmax_body = xx131072\n";
        var e = Assert.Throws<FormatException>(() => EdgeGridCredentials.ParseEdgeRc(text));
        Assert.Contains("max_body", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEdgeRc_MissingSection_Throws() =>
        Assert.Contains("[nope]", Assert.Throws<FormatException>(() => EdgeGridCredentials.FromEdgeRc(Sample, "nope")).Message, StringComparison.Ordinal);

    [Fact]
    public void FromEdgeRc_MissingFile_Throws() =>
        Assert.Throws<FileNotFoundException>(() => EdgeGridCredentials.FromEdgeRc(Path.Combine(AppContext.BaseDirectory, "no-such.edgerc")));

    [Fact]
    public void Options_EdgeRcPath_SuppliesCredentialsAndBaseAddress()
    {
        var options = AkamaiMock.ValidOptions();
        options.ClientToken = options.ClientSecret = options.AccessToken = "";
        options.Host = null;
        options.EdgeRcPath = Sample;
        options.EdgeRcSection = "headers";
        Assert.Empty(options.Validate());
        Assert.Equal("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx=", options.Credentials().ClientSecret);
        Assert.Equal(["X-MyThing1", "X-MyThing2"], options.Credentials().HeadersToSign);
        Assert.Equal(new Uri("https://xxxx-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx.luna.akamaiapis.net/"), options.EffectiveBaseAddress());
    }

    [Fact]
    public void Options_EdgeRcThatDoesNotParse_IsAValidationProblem()
    {
        var options = AkamaiMock.ValidOptions();
        options.EdgeRcPath = EdgeGridVectorTests.VectorPath("edgerc_that_doesnt_parse");
        Assert.Contains(options.Validate(), p => p.Contains("EdgeRcPath", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_ToString_HidesSecretAndTokens()
    {
        var c = EdgeGridCredentials.ParseEdgeRc("[default]\nhost = akab-host.luna.akamaiapis.net\nclient_token = akab-ct-secret-1\nclient_secret = cs-secret-value-2\naccess_token = akab-at-secret-3\n");
        var text = c.ToString();
        Assert.DoesNotContain("akab-ct-secret-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cs-secret-value-2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("akab-at-secret-3", text, StringComparison.Ordinal);
        Assert.Contains("(set, hidden)", text, StringComparison.Ordinal);
    }
}
