using System.Net.Http.Headers;

namespace Poppy.Sdk.Internal;

/// <summary>
/// Turns one unsuccessful vendor answer into the SDK's exception. Each vendor implements it once
/// (<c>FastlyErrorMapper</c>, <c>CloudFrontErrorMapper</c>, …); <see cref="VendorConnection"/> calls it for every
/// non-success status it does not handle itself (a 404 asked for as null).
/// </summary>
internal interface IVendorErrorMapper
{
    /// <summary>The exception for an error answer: a <see cref="CdnRateLimitedException"/> when the vendor refused for rate
    /// or in-flight reasons (with <see cref="VendorError.RetryAfter"/>), otherwise a <see cref="CdnRequestFailedException"/>.</summary>
    /// <param name="error">What the vendor answered.</param>
    /// <returns>The exception to throw (never thrown by the mapper itself).</returns>
    CdnRequestFailedException Map(VendorError error);
}

/// <summary>One unsuccessful vendor answer, as the connection read it.</summary>
/// <param name="Provider">The provider's registered name.</param>
/// <param name="Operation">What was attempted, in words (<c>create backend 'poppy-origin-0'</c>).</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="ReasonPhrase">The status text (the reason phrase, or the status code's name).</param>
/// <param name="Body">The response body as text (may be empty).</param>
/// <param name="Headers">The response headers.</param>
/// <param name="RequestId">The vendor's request id, from the first configured header present.</param>
/// <param name="RetryAfter">How long the vendor asked to wait (<c>Retry-After</c>, else the vendor's rate-limit headers); null when it did not say.</param>
internal sealed record VendorError(
    string Provider,
    string Operation,
    int Status,
    string ReasonPhrase,
    string Body,
    HttpResponseHeaders Headers,
    string? RequestId,
    TimeSpan? RetryAfter);
