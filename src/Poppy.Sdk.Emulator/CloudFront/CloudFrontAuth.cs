using Microsoft.AspNetCore.Http;

namespace Poppy.Sdk.Emulator.CloudFront;

/// <summary>
/// CloudFront's access check: AWS Signature Version 4 over the request as received
/// (<see cref="SigV4Verifier"/>). The body is read to verify <c>x-amz-content-sha256</c> and the
/// signature, then put back for the operation.
/// </summary>
internal sealed class CloudFrontAuth(CloudFrontState state)
{
    /// <summary>Checks a request.</summary>
    /// <param name="context">The request.</param>
    /// <returns>Null when it may go on; otherwise CloudFront's 403.</returns>
    public async ValueTask<VendorErrorException?> CheckAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        context.Request.Body = new MemoryStream(body, writable: false);
        try
        {
            SigV4Verifier.Verify(context.Request, body, state.Options, state.Time.GetUtcNow());
            return null;
        }
        catch (CloudFrontError e)
        {
            return e;
        }
    }
}
