namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Which failed HTTP attempts the named client's resilience handler may repeat. GET and DELETE are idempotent; a PUT carries
/// <c>If-Match</c> (a repeat after success is a 412, which the writer resolves by re-reading). POSTs create things (a
/// property, a CP code, a version, an activation) and are not repeated blindly: the provider finds what a lost answer made
/// by its name or stamp. A purge answered 429 is left alone, so the composite's purge operation sees the refusal and paces.
/// 500/502/503/504 and a connection failure are repeated for the idempotent methods; a 429 without a resource limit is
/// repeated for them too (after <c>Retry-After</c>, which the standard handler honours).
/// </summary>
internal static class AkamaiRetryPolicy
{
    public static bool ShouldRetry(HttpRequestMessage? request, HttpResponseMessage? response, Exception? exception)
    {
        var method = request?.Method;
        var idempotent = method == HttpMethod.Get || method == HttpMethod.Delete || method == HttpMethod.Put || method == HttpMethod.Head;
        if (!idempotent)
        {
            return false;
        }

        if (response is null)
        {
            return exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException;
        }

        var status = (int)response.StatusCode;

        // A 500 on DELETE is PAPI refusing to delete a property with an active version: repeating cannot help.
        return status is 502 or 503 or 504 || (status == 500 && method != HttpMethod.Delete) || (status == 429 && response.Headers.RetryAfter is not null);
    }
}
