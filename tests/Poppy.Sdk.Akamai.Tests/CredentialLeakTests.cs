using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.Akamai.Tests;

/// <summary>
/// No credential in any output: an Akamai answer that echoes the Authorization header it refused (and the secret, as a
/// misbehaving proxy might) reaches no exception message, <c>ToString()</c>, <see cref="ProviderError"/> or log record.
/// </summary>
public sealed class CredentialLeakTests
{
    [Theory]
    [InlineData(401)]
    [InlineData(400)]
    [InlineData(500)]
    public async Task Operations_AnswerEchoingTheCredentials_NoSecretInAnyOutput(int status)
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(request =>
        {
            var auth = request.Headers.Authorization!.ToString();
            var body = $$"""{"type":"https://problems.luna.akamaiapis.net/pep-authn/deny","title":"Not authorized","detail":"Signature mismatch for {{auth.Replace("\"", "", StringComparison.Ordinal)}} secret {{AkamaiMock.Secret}}","instance":"x","status":{{status}}}""";
            return new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body, Encoding.UTF8, "application/problem+json") };
        });

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => m.Provider.CreateServiceAsync(AkamaiMock.ServiceId, TestSpecs.Simple()));

        Assert.Contains("Signature mismatch", error.Message, StringComparison.Ordinal);
        var texts = new List<string> { error.Message, error.ToString(), ProviderError.FromException(error).Message };
        texts.AddRange(m.Logger.Collector.GetSnapshot().Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(s => s.Value) ?? [])));
        foreach (var text in texts)
        {
            Assert.DoesNotContain(AkamaiMock.Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(AkamaiMock.AccessToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(m.ClientToken, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MalformedSuccessBody_QuotingTheSecret_ExcerptScrubbed()
    {
        var m = new AkamaiMock();
        m.Expect(HttpMethod.Post, "papi/v1/search/find-by-value").Respond(_ => AkamaiMock.Json("not json " + AkamaiMock.Secret));

        var error = await Assert.ThrowsAsync<CdnRequestFailedException>(() => m.Provider.CreateServiceAsync(AkamaiMock.ServiceId, TestSpecs.Simple()));

        Assert.Equal(CdnErrorCode.MalformedResponse, error.ErrorCode);
        Assert.DoesNotContain(AkamaiMock.Secret, error.ToString(), StringComparison.Ordinal);
    }
}
