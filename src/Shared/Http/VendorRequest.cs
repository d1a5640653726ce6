namespace Poppy.Sdk.Internal;

/// <summary>One call to a vendor API, described before it is sent.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query relative to the vendor's base address (no leading slash), already escaped.</param>
/// <param name="Operation">What the call does, in words, for messages and logs (<c>get service 'abc'</c>). Never a secret.</param>
internal sealed record VendorRequest(HttpMethod Method, string Path, string Operation)
{
    /// <summary>The body; null for none. Sent once: a request is not reused.</summary>
    public HttpContent? Content { get; init; }

    /// <summary>Extra request headers (for example <c>If-Match</c>, <c>Fastly-Soft-Purge</c>). Never credentials: auth is a handler.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Answers with this status are returned as null by the <c>…OrNull</c> methods (usually 404).</summary>
    public bool NotFoundAsNull { get; init; }
}

/// <summary>A successful vendor answer, its body already read.</summary>
/// <param name="Status">The HTTP status (2xx).</param>
/// <param name="Body">The body as text (JSON or XML; may be empty).</param>
/// <param name="Headers">The response headers (ETag, Link, rate-limit headers, …).</param>
/// <param name="RequestId">The vendor's request id, when it sent one.</param>
/// <param name="Operation">What the call did, in words.</param>
internal sealed record VendorResponse(int Status, string Body, System.Net.Http.Headers.HttpResponseHeaders Headers, string? RequestId, string Operation)
{
    /// <summary>The first value of a response header; null when absent.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value.</returns>
    public string? Header(string name) => Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The credential values the auth handler sent the request with (scrubbed from any text quoted from this answer).</summary>
    public IReadOnlyCollection<string> SentCredentials { get; init; } = [];
}
