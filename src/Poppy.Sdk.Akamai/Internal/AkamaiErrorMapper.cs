using System.Globalization;
using System.Text.Json;

namespace Poppy.Sdk.Akamai.Internal;

/// <summary>
/// Maps Akamai's error bodies — PAPI's RFC 7807 <c>application/problem+json</c> and Fast Purge's
/// <c>{httpStatus, title, detail, supportId}</c> — to the SDK's exceptions (the Akamai <see cref="IVendorErrorMapper"/>).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>429 without <c>limitKey</c>: rate limited, transient (<c>Retry-After</c>, else <see cref="DefaultRateLimitWait"/>, the
/// wait Akamai's purge documentation suggests). 429 with <c>limitKey</c>: a resource limit (hosts per property, client IPs
/// per match, …), a non-transient <see cref="CdnErrorCode.QuotaExceeded"/> naming the limit.</item>
/// <item>400 "Invalid timestamp" (<c>pep-authn/request-error</c>): the machine's clock is off by more than Akamai allows; not
/// transient, and the message says to fix the clock. 401 (<c>pep-authn/deny</c>): the signature or credentials.</item>
/// <item>409 "resource busy" (another edit or activation in progress) is transient; other 409s are conflicts.</item>
/// <item>412 is a stale <c>If-Match</c>; the writer re-reads and retries once.</item>
/// <item>422 on an activation that is already active is turned into success by the caller (see <see cref="IsAlreadyActive"/>).</item>
/// <item>500, 502, 503, 504 are transient — except a 500 answering the delete of a property that still has an active
/// version, which will fail the same way until it is deactivated (the delete operation deactivates first).</item>
/// </list>
/// Messages carry Akamai's title and detail (scrubbed by the connection before the mapper reads them), never a header.
/// </remarks>
internal sealed class AkamaiErrorMapper : IVendorErrorMapper
{
    /// <summary>The wait of a rate limit answered without <c>Retry-After</c>: Akamai's purge documentation suggests about 5 s.</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(5);

    private AkamaiErrorMapper()
    {
    }

    /// <summary>The mapper (it has no state).</summary>
    public static AkamaiErrorMapper Instance { get; } = new();

    /// <inheritdoc />
    public CdnRequestFailedException Map(VendorError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Status;
        var problem = Read(error.Body);
        var vendorCode = Code(problem);
        var requestId = problem?.SupportId ?? error.RequestId ?? problem?.Instance;
        var text = string.Join(": ", new[] { problem?.Title, problem?.Detail }.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => VendorConnection.Excerpt(t, 300)));
        var message = string.Create(CultureInfo.InvariantCulture, $"Akamai {error.Operation} failed with HTTP {status}") + (text.Length > 0 ? ": " + text : ".");
        var provider = error.Provider;

        if (status == 429)
        {
            if (problem?.LimitKey is { Length: > 0 } limitKey)
            {
                return new CdnRequestFailedException(provider, message + string.Create(CultureInfo.InvariantCulture, $" Akamai resource limit '{limitKey}' (limit {problem.Limit?.ToString(CultureInfo.InvariantCulture) ?? "?"}, remaining {problem.Remaining?.ToString(CultureInfo.InvariantCulture) ?? "?"}) is reached; raise it with Akamai or use fewer resources. Retrying does not help."), status, CdnErrorCode.QuotaExceeded, isTransient: false, limitKey, requestId);
            }

            return new CdnRateLimitedException(provider, message, error.RetryAfter ?? DefaultRateLimitWait, status, vendorCode ?? "rate_limited", requestId);
        }

        if (IsInvalidTimestamp(status, problem))
        {
            return new CdnRequestFailedException(provider, message + " Akamai refuses EdgeGrid signatures more than about 30 seconds away from its clock: fix this machine's clock (enable NTP) and retry.", status, CdnErrorCode.Unauthorized, isTransient: false, vendorCode ?? "invalid_timestamp", requestId);
        }

        if (status is 401 or 403)
        {
            message += " Check the EdgeGrid credentials (client token, client secret, access token, host) and the API client's permissions, and that the HttpClient signs requests (AddAkamai() or AkamaiCdnProvider.CreateHttpClient).";
        }

        var busy = status == 409 && IsBusy(problem);
        var transient = status is 500 or 502 or 503 or 504 or 408 || busy;
        if (status == 500 && error.Operation.StartsWith("delete property", StringComparison.Ordinal))
        {
            // PAPI answers 500 to deleting a property with an active version: the same every time until it is deactivated.
            transient = false;
            message += " A property with a version active on staging or production cannot be deleted; deactivate it first.";
        }

        var code = status switch
        {
            413 => CdnErrorCode.InvalidRequest,
            _ => CdnErrorCode.FromHttpStatus(status),
        };
        return new CdnRequestFailedException(provider, message, status, code, transient, vendorCode, requestId);
    }

    /// <summary>Whether an exception is PAPI's 422 for an activation of a version already active on that network (success for Poppy).</summary>
    public static bool IsAlreadyActive(CdnRequestFailedException error) =>
        error.Status == 422 && (error.Message.Contains("already active", StringComparison.OrdinalIgnoreCase) || error.VendorErrorCode?.Contains("already", StringComparison.OrdinalIgnoreCase) == true || error.Message.Contains("Activation Unprocessable", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether an exception is PAPI's 422 refusing an activation because another one (of another version) is still pending
    /// on that network: the caller waits for it to finish and submits again on a later poll.
    /// </summary>
    public static bool IsAnotherActivationPending(CdnRequestFailedException error) =>
        error.Status == 422 && (error.Message.Contains("still pending", StringComparison.OrdinalIgnoreCase) || error.VendorErrorCode?.Contains("pending", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Whether an exception is a 409 "resource busy" (another edit or activation in progress).</summary>
    public static bool IsBusy(CdnRequestFailedException error) => error.Status == 409 && error.IsTransient;

    private static bool IsBusy(ProblemDetails? problem) =>
        problem is not null && (Contains(problem.Type, "busy") || Contains(problem.Title, "busy") || Contains(problem.Detail, "in progress"));

    private static bool IsInvalidTimestamp(int status, ProblemDetails? problem) =>
        status == 400 && problem is not null && (Contains(problem.Title, "Invalid timestamp") || Contains(problem.Detail, "Invalid timestamp") || (Contains(problem.Type, "pep-authn/request-error") && Contains(problem.Detail, "timestamp")));

    private static bool Contains(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The last segment of the problem's <c>type</c> URI (<c>…/papi/v1/errors/resource-busy</c> → <c>resource-busy</c>), else the title.</summary>
    private static string? Code(ProblemDetails? problem)
    {
        if (problem?.Type is { Length: > 0 } type)
        {
            var trimmed = type.TrimEnd('/');
            var slash = trimmed.LastIndexOf('/');
            return slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
        }

        return problem?.Title is { Length: > 0 } title ? VendorConnection.Excerpt(title, 100) : null;
    }

    private static ProblemDetails? Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, AkamaiJsonContext.Default.ProblemDetails);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
