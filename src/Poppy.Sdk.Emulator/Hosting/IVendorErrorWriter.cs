using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator;

/// <summary>
/// How one vendor's errors look on the wire (Fastly's JSON <c>{"msg","detail"}</c>, CloudFront's XML
/// <c>ErrorResponse</c>): the one part of faults, access failures and unknown operations the shared
/// pipeline cannot know.
/// </summary>
public interface IVendorErrorWriter
{
    /// <summary>Writes the headers every answer of the vendor carries, errors included (a request id, the date), before anything else.</summary>
    /// <param name="context">The request.</param>
    void WriteCommonHeaders(HttpContext context);

    /// <summary>The vendor's answer to an injected fault with an HTTP status (<see cref="VendorFaults.FailNext"/>, <see cref="VendorFaults.VendorDown"/>, <see cref="VendorFaults.ErrorRate"/>).</summary>
    /// <param name="status">The status injected.</param>
    /// <returns>The error to write.</returns>
    VendorErrorException Fault(int status);

    /// <summary>The vendor's answer to an injected rate limit (<see cref="VendorFaults.RateLimitNext"/>).</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> asked for, if any; a vendor that sends none ignores it.</param>
    /// <returns>The error to write; its <see cref="VendorErrorException.RetryAfter"/> is sent as <c>Retry-After</c>.</returns>
    VendorErrorException Throttled(TimeSpan? retryAfter);

    /// <summary>The vendor's answer to a request under its prefixes that no operation serves.</summary>
    /// <param name="request">The request.</param>
    /// <param name="pathServedWithOtherMethod">Whether an operation serves the path with another method (a 405 for vendors that answer one).</param>
    /// <returns>The error to write.</returns>
    VendorErrorException UnknownOperation(HttpRequest request, bool pathServedWithOtherMethod);

    /// <summary>Writes an error as the vendor does: status, vendor-specific headers and body.</summary>
    /// <param name="context">The request; its response has not started.</param>
    /// <param name="error">The error.</param>
    /// <returns>A task.</returns>
    Task WriteAsync(HttpContext context, VendorErrorException error);
}
