using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Poppy.Sdk.Internal;

/// <summary>What a vendor tells its <see cref="VendorConnection"/>: names, base address and the headers it uses.</summary>
internal sealed record VendorConnectionSettings
{
    /// <summary>The provider's registered name (the <c>Provider</c> of every exception).</summary>
    public required string Provider { get; init; }

    /// <summary>The vendor's name in messages (<c>Fastly</c>, <c>CloudFront</c>).</summary>
    public required string Vendor { get; init; }

    /// <summary>The API's base address; request paths are relative to it.</summary>
    public required Uri BaseAddress { get; init; }

    /// <summary>The <c>Accept</c> header sent with every request; null sends none.</summary>
    public string? Accept { get; init; }

    /// <summary>The response headers holding the vendor's request id, in order of preference.</summary>
    public IReadOnlyList<string> RequestIdHeaders { get; init; } = [];

    /// <summary>
    /// The wait the vendor's own rate-limit headers imply when there is no <c>Retry-After</c> (for example the time
    /// until <c>Fastly-RateLimit-Reset</c>); null when the vendor has none. Arguments: the headers and the current time.
    /// </summary>
    public Func<HttpResponseHeaders, DateTimeOffset, TimeSpan?>? RateLimitRetryAfter { get; init; }

    /// <summary>A response header counting the write requests left in the vendor's window, logged at debug level; null for none.</summary>
    public string? RateLimitRemainingHeader { get; init; }

    /// <summary>
    /// Removes the provider's credential values (and any signing details the vendor echoes) from every vendor text
    /// before it reaches an exception, a log or the catalog. Required, so no vendor can forget its credentials: build it
    /// from every configured value (keys, secrets, session tokens, client tokens, API tokens).
    /// </summary>
    public required SecretScrubber Scrubber { get; init; }
}

/// <summary>
/// The one place a vendor's requests are sent (the shape of Octokit's <c>Connection</c> and Stripe's <c>Service</c>
/// base): resource clients describe a call as a <see cref="VendorRequest"/>, and the connection sends it on the
/// provider's <see cref="HttpClient"/> (whose handlers authenticate and retry), logs it without headers or bodies,
/// tells the caller's cancellation from a timeout, maps network failures, captures the request id, turns error
/// answers into exceptions through the vendor's <see cref="IVendorErrorMapper"/>, and reads JSON through
/// source-generated <see cref="JsonTypeInfo{T}"/> (XML vendors read <see cref="VendorResponse.Body"/> themselves).
/// Every vendor text that can reach a message passes <see cref="VendorConnectionSettings.Scrubber"/> here, once: the
/// error body before the mapper reads it (so a mapper cannot quote a credential, nor cut one in half when it
/// truncates), the mapped message again (in case a mapper added text from elsewhere), malformed-body excerpts and
/// transport errors' text.
/// </summary>
internal sealed class VendorConnection
{
    /// <summary>The longest excerpt of a body quoted in an error message.</summary>
    public const int ExcerptLength = 200;

    private readonly HttpClient _http;
    private readonly IVendorErrorMapper _errors;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _baseAddress;

    public VendorConnection(HttpClient http, VendorConnectionSettings settings, IVendorErrorMapper errors, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        _http = http;
        Settings = settings;
        _errors = errors;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        var text = settings.BaseAddress.ToString();
        _baseAddress = text.EndsWith('/') ? settings.BaseAddress : new Uri(text + "/");
    }

    /// <summary>The vendor's settings.</summary>
    public VendorConnectionSettings Settings { get; }

    /// <summary>The provider's registered name.</summary>
    public string Provider => Settings.Provider;

    /// <summary>The clock (for vendor code that needs "now", such as signing or rate-limit resets).</summary>
    public TimeProvider Time => _time;

    /// <summary>
    /// Vendor text without credentials or signing details, for the rare message built from a successful answer's body
    /// (a validation result); error answers, excerpts and transport errors are scrubbed by the connection itself.
    /// </summary>
    /// <param name="text">The vendor's text.</param>
    /// <returns>The scrubbed text.</returns>
    /// <param name="response">The answer the text comes from (its sent credentials are scrubbed too).</param>
    public string Scrub(VendorResponse response, string? text)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Settings.Scrubber.Scrub(text, response.SentCredentials);
    }

    /// <summary>Sends a request; throws the mapped exception for any unsuccessful answer.</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    public async Task<VendorResponse> SendAsync(VendorRequest request, CancellationToken cancellationToken) =>
        await SendCoreAsync(request with { NotFoundAsNull = false }, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("unreachable: 404 is only null when asked for");

    /// <summary>Sends a request; a 404 answer is null, any other failure throws.</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, or null for 404.</returns>
    public Task<VendorResponse?> SendOrNullAsync(VendorRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync(request with { NotFoundAsNull = true }, cancellationToken);

    /// <summary>Sends a request and reads its JSON answer.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="type">The source-generated type info.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer.</returns>
    public async Task<T> SendAsync<T>(VendorRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ReadJson(response, type);
    }

    /// <summary>Sends a request and reads its JSON answer; null for a 404.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="type">The source-generated type info.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The answer, or null.</returns>
    public async Task<T?> GetOrNullAsync<T>(VendorRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        var response = await SendOrNullAsync(request, cancellationToken).ConfigureAwait(false);
        return response is null ? null : ReadJson(response, type);
    }

    /// <summary>Reads a JSON body; a body that is not the expected JSON is a <see cref="CdnErrorCode.MalformedResponse"/>.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="response">The answer.</param>
    /// <param name="type">The source-generated type info.</param>
    /// <returns>The value.</returns>
    public T ReadJson<T>(VendorResponse response, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            return JsonSerializer.Deserialize(response.Body, type) ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException e)
        {
            throw Malformed(response, "JSON", e);
        }
    }

    /// <summary>
    /// The exception for a successful answer whose body cannot be read (not the expected JSON or XML, or missing a
    /// required field): non-transient, with a short excerpt of the body (control characters removed).
    /// </summary>
    /// <param name="response">The answer.</param>
    /// <param name="expected">What was expected, in words (<c>JSON</c>, <c>a Distribution element</c>, <c>a service id</c>).</param>
    /// <param name="cause">The parser's error, if any.</param>
    /// <returns>The exception (logged here; the caller throws it).</returns>
    public CdnRequestFailedException Malformed(VendorResponse response, string expected, Exception? cause = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var excerpt = Excerpt(Scrub(response, response.Body), ExcerptLength);

        // A parser's message may quote the body (System.Text.Json does for an invalid literal), and ToString() prints it:
        // keep the cause only when its text holds no credential.
        if (cause is not null && Scrub(response, cause.Message) is var scrubbed && !string.Equals(scrubbed, cause.Message, StringComparison.Ordinal))
        {
            cause = new FormatException(scrubbed);
        }

        var error = new CdnRequestFailedException(
            Provider,
            string.Create(CultureInfo.InvariantCulture, $"{Settings.Vendor} {response.Operation} returned HTTP {response.Status} with a body that is not {expected}")
                + (excerpt.Length == 0 ? " (empty body)." : $": \"{excerpt}\"."),
            response.Status,
            CdnErrorCode.MalformedResponse,
            isTransient: false,
            requestId: response.RequestId,
            innerException: cause);
        VendorConnectionLog.MalformedResponse(_logger, Provider, response.Operation, response.Status, response.RequestId);
        return error;
    }

    /// <summary>
    /// How long <c>Retry-After</c> asks to wait (seconds or an HTTP date, never negative); null when absent.
    /// </summary>
    /// <param name="headers">The response headers.</param>
    /// <param name="now">The current time (for a date).</param>
    /// <returns>The wait.</returns>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, control characters as spaces, with '…' when cut.</summary>
    /// <param name="text">The text (a vendor body or message).</param>
    /// <param name="max">The longest result, before the ellipsis.</param>
    /// <returns>The excerpt.</returns>
    public static string Excerpt(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var trimmed = text.Trim();
        var sb = new StringBuilder(Math.Min(trimmed.Length, max + 1));
        foreach (var c in trimmed)
        {
            if (sb.Length >= max)
            {
                sb.Append('…');
                break;
            }

            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString();
    }

    private async Task<VendorResponse?> SendCoreAsync(VendorRequest call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        using var request = new HttpRequestMessage(call.Method, new Uri(_baseAddress, call.Path)) { Content = call.Content };
        var sent = new SentCredentials();
        request.Options.Set(SentCredentials.Key, sent);
        if (Settings.Accept is { } accept)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        foreach (var (name, value) in call.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var method = call.Method.Method;
        var path = request.RequestUri!.AbsolutePath;
        var started = _time.GetTimestamp();
        HttpResponseMessage response;
        string body;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            try
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutRejectedException or TimeoutException)
        {
            // Not the caller's token: the client's timeout (HttpClient.Timeout or the resilience handler's) fired.
            throw Failure(method, path, started, CdnErrorCode.Timeout, $"{Settings.Vendor} {call.Operation} timed out.", e);
        }
        catch (HttpRequestException e)
        {
            var text = Settings.Scrubber.Scrub(e.Message, sent.Values);

            // The cause is kept for diagnostics unless its own text held a credential (ToString() prints it).
            var cause = string.Equals(text, e.Message, StringComparison.Ordinal) ? e : new HttpRequestException(e.HttpRequestError, text, null, e.StatusCode);
            throw Failure(method, path, started, CdnErrorCode.NetworkError, $"{Settings.Vendor} {call.Operation} failed: the connection failed ({text}).", cause);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var requestId = RequestId(response.Headers);
            var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            if (Settings.RateLimitRemainingHeader is { } remainingHeader && call.Method != HttpMethod.Get
                && response.Headers.TryGetValues(remainingHeader, out var remaining)
                && int.TryParse(remaining.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var left))
            {
                VendorConnectionLog.RateLimitRemaining(_logger, Provider, left);
            }

            if (response.IsSuccessStatusCode)
            {
                VendorConnectionLog.RequestCompleted(_logger, Provider, method, path, status, elapsed, requestId);
                return new VendorResponse(status, body, response.Headers, requestId, call.Operation) { SentCredentials = [.. sent.Values] };
            }

            if (call.NotFoundAsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                VendorConnectionLog.RequestCompleted(_logger, Provider, method, path, status, elapsed, requestId);
                return null;
            }

            var now = _time.GetUtcNow();
            var retryAfter = RetryAfter(response.Headers, now) ?? Settings.RateLimitRetryAfter?.Invoke(response.Headers, now);
            var reason = response.ReasonPhrase is { Length: > 0 } phrase ? phrase : response.StatusCode.ToString();
            var error = Scrubbed(_errors.Map(new VendorError(Provider, call.Operation, status, reason, Settings.Scrubber.Scrub(body, sent.Values), response.Headers, requestId, retryAfter)), sent);
            VendorConnectionLog.RequestFailed(_logger, Provider, method, path, status, error.ErrorCode.ToString(), elapsed, requestId);
            throw error;
        }
    }

    /// <summary>The mapped exception, rebuilt with a scrubbed message if the mapper put a credential in it from elsewhere than the (already scrubbed) body.</summary>
    private CdnRequestFailedException Scrubbed(CdnRequestFailedException error, SentCredentials sent)
    {
        var message = Settings.Scrubber.Scrub(error.Message, sent.Values);
        if (string.Equals(message, error.Message, StringComparison.Ordinal))
        {
            return error;
        }

        return error is CdnRateLimitedException limited
            ? new CdnRateLimitedException(limited.Provider, message, limited.RetryAfter, limited.Status, limited.VendorErrorCode, limited.RequestId, limited.InnerException)
            : new CdnRequestFailedException(error.Provider, message, error.Status, error.ErrorCode, error.IsTransient, error.VendorErrorCode, error.RequestId, error.InnerException);
    }

    private CdnRequestFailedException Failure(string method, string path, long started, CdnErrorCode code, string message, Exception cause)
    {
        VendorConnectionLog.RequestFailed(_logger, Provider, method, path, null, code.ToString(), _time.GetElapsedTime(started).TotalMilliseconds, null);
        return new CdnRequestFailedException(Provider, message, null, code, isTransient: true, innerException: cause);
    }

    private string? RequestId(HttpResponseHeaders headers)
    {
        foreach (var name in Settings.RequestIdHeaders)
        {
            if (headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } id)
            {
                return id;
            }
        }

        return null;
    }
}
