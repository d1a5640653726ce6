using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Poppy.Sdk.CloudFront.Internal.Api;
using RichardSzalay.MockHttp;

namespace Poppy.Sdk.CloudFront.Tests;

/// <summary>
/// The functions client against the shapes of botocore's CloudFront model: UpdateFunction answers with its ETag in a
/// header named <c>ETtag</c> (<c>UpdateFunctionResult</c>), every other operation in <c>ETag</c>.
/// </summary>
public sealed class FunctionsClientTests
{
    private const string Name = "poppy-svc-1";

    private static readonly string Summary =
        $"<?xml version=\"1.0\"?><FunctionSummary xmlns=\"{CloudFrontMock.Ns}\"><Name>{Name}</Name><Status>UNPUBLISHED</Status>"
        + "<FunctionConfig><Comment>c</Comment><Runtime>cloudfront-js-2.0</Runtime></FunctionConfig>"
        + $"<FunctionMetadata><FunctionARN>{CloudFrontMock.FunctionArn(Name)}</FunctionARN><Stage>DEVELOPMENT</Stage></FunctionMetadata></FunctionSummary>";

    [Theory]
    [InlineData("ETtag", "E2NEW", null, null, "E2NEW")]
    [InlineData(null, null, "ETag", "E2OLD", "E2OLD")]
    [InlineData("ETtag", "E2NEW", "ETag", "E2OLD", "E2NEW")]
    public async Task UpdateAsync_AnswerHeaders_ReadsETtagFallingBackToETag(string? header1, string? value1, string? header2, string? value2, string expected)
    {
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Put, "function/" + Name).WithHeaders("If-Match", "E1").Respond(_ =>
        {
            var response = CloudFrontMock.Xml(Summary);
            if (header1 is not null)
            {
                response.Headers.TryAddWithoutValidation(header1, value1);
            }

            if (header2 is not null)
            {
                response.Headers.TryAddWithoutValidation(header2, value2);
            }

            return response;
        });
        var api = Api(mock);

        var updated = await api.Functions.UpdateAsync(Name, "E1", "c", "function handler(event) { return event.request; }", CancellationToken.None);

        Assert.Equal(expected, updated.ETag);
        Assert.Equal(Name, updated.Value.Name);
        mock.Verify();
    }

    [Fact]
    public async Task DescribeAsync_AnswerWithETtagOnly_HasNoETag()
    {
        // ETtag belongs to UpdateFunction alone; elsewhere the model's header is ETag.
        var mock = new CloudFrontMock();
        mock.Expect(HttpMethod.Get, "function/" + Name + "/describe?Stage=DEVELOPMENT").Respond(_ =>
        {
            var response = CloudFrontMock.Xml(Summary, HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("ETtag", "E2NEW");
            return response;
        });

        var described = await Api(mock).Functions.DescribeAsync(Name, "DEVELOPMENT", CancellationToken.None);

        Assert.Null(described!.ETag);
        mock.Verify();
    }

    private static CloudFrontApi Api(CloudFrontMock mock) =>
        new(CloudFrontCdnProvider.CreateHttpClient(mock.Options, mock.Time, mock.Http), mock.Options, mock.Time, NullLogger.Instance);
}
