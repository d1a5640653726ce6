using Poppy.Sdk.CloudFront.Internal.Xml;

namespace Poppy.Sdk.CloudFront.Internal;

/// <summary>
/// Which failed HTTP attempts the named client's resilience handler may repeat: throttling codes and
/// 500/502/503/504 for every request whose repetition cannot duplicate work. GETs and DELETEs are
/// idempotent; a PUT with If-Match is too (a repeat after success fails with 412 and is re-read); creates
/// carry a caller reference, so a repeated create is answered "already exists" and resolved by look-up.
/// </summary>
internal static class CloudFrontRetryPolicy
{
    public static async ValueTask<bool> ShouldRetryAsync(HttpResponseMessage? response, Exception? exception)
    {
        if (response is null)
        {
            return exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException;
        }

        var status = (int)response.StatusCode;
        if (status is 500 or 502 or 503 or 504)
        {
            return true;
        }

        // Throttling arrives as HTTP 400 with the code in the body; peek at the buffered body.
        if (status == 400 && response.Content is { } content)
        {
            try
            {
                await content.LoadIntoBufferAsync().ConfigureAwait(false);
                var body = await content.ReadAsStringAsync().ConfigureAwait(false);
                return CloudFrontXml.ReadError(body)?.Code is { } code && (CloudFrontErrorMapper.ThrottlingCodes.Contains(code) || CloudFrontErrorMapper.TransientCodes.Contains(code));
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or ObjectDisposedException)
            {
                return false;
            }
        }

        return false;
    }
}
