using System.Collections.Concurrent;

namespace Poppy.Sdk.Internal;

/// <summary>
/// The credential values an auth handler actually applied to a request. <see cref="VendorConnection"/> puts one in
/// every request's options before sending; the handler (inside the resilience handler, which copies option values to
/// each attempt, so all attempts share this one instance) records what it sent; the connection scrubs those values
/// from the answer's text with the configured ones. Credentials rotated after the provider was built (an options
/// reload, a credentials provider) are therefore scrubbed too.
/// </summary>
internal sealed class SentCredentials
{
    /// <summary>The request option holding the instance.</summary>
    public static readonly HttpRequestOptionsKey<SentCredentials> Key = new("Poppy.Sdk.SentCredentials");

    private readonly ConcurrentQueue<string> _values = new();

    /// <summary>The values recorded so far.</summary>
    public IReadOnlyCollection<string> Values => _values;

    /// <summary>Records values applied to <paramref name="request"/>, when its connection asked for them.</summary>
    /// <param name="request">The request being sent.</param>
    /// <param name="values">The credential values applied (nulls are skipped).</param>
    public static void Record(HttpRequestMessage request, params string?[] values)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Options.TryGetValue(Key, out var sent))
        {
            foreach (var value in values)
            {
                if (!string.IsNullOrEmpty(value) && !sent._values.Contains(value))
                {
                    sent._values.Enqueue(value);
                }
            }
        }
    }
}
