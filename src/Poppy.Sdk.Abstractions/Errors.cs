using System.Globalization;
using System.Text;

namespace Poppy.Sdk;

/// <summary>A normalised, vendor-neutral error code (an extensible enum: vendors may add values).</summary>
public readonly struct CdnErrorCode : IEquatable<CdnErrorCode>
{
    private readonly string? _value;

    /// <summary>Creates a code.</summary>
    /// <param name="value">The code's text, for example <c>rate_limited</c>.</param>
    public CdnErrorCode(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The request was malformed or the vendor rejected its content (400/422).</summary>
    public static CdnErrorCode InvalidRequest { get; } = new("invalid_request");

    /// <summary>Credentials missing or wrong (401).</summary>
    public static CdnErrorCode Unauthorized { get; } = new("unauthorized");

    /// <summary>Credentials lack permission (403).</summary>
    public static CdnErrorCode Forbidden { get; } = new("forbidden");

    /// <summary>The resource does not exist (404).</summary>
    public static CdnErrorCode NotFound { get; } = new("not_found");

    /// <summary>The resource is in a conflicting state or already exists (409).</summary>
    public static CdnErrorCode Conflict { get; } = new("conflict");

    /// <summary>An ETag or version precondition failed (412).</summary>
    public static CdnErrorCode PreconditionFailed { get; } = new("precondition_failed");

    /// <summary>An account quota or vendor limit was reached.</summary>
    public static CdnErrorCode QuotaExceeded { get; } = new("quota_exceeded");

    /// <summary>Too many requests (429 or a throttling code).</summary>
    public static CdnErrorCode RateLimited { get; } = new("rate_limited");

    /// <summary>The vendor failed (5xx).</summary>
    public static CdnErrorCode ServerError { get; } = new("server_error");

    /// <summary>The vendor is unavailable (503, connection refused).</summary>
    public static CdnErrorCode ServiceUnavailable { get; } = new("service_unavailable");

    /// <summary>No answer in time.</summary>
    public static CdnErrorCode Timeout { get; } = new("timeout");

    /// <summary>The connection failed or was reset.</summary>
    public static CdnErrorCode NetworkError { get; } = new("network_error");

    /// <summary>The vendor's answer could not be read.</summary>
    public static CdnErrorCode MalformedResponse { get; } = new("malformed_response");

    /// <summary>The caller cancelled.</summary>
    public static CdnErrorCode Cancelled { get; } = new("cancelled");

    /// <summary>Anything else.</summary>
    public static CdnErrorCode Unknown { get; } = new("unknown");

    /// <summary>Maps an HTTP status to the closest code.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The code.</returns>
    public static CdnErrorCode FromHttpStatus(int status) => status switch
    {
        400 or 422 => InvalidRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 or 410 => NotFound,
        409 => Conflict,
        412 => PreconditionFailed,
        429 => RateLimited,
        503 => ServiceUnavailable,
        504 or 408 => Timeout,
        >= 500 => ServerError,
        _ => Unknown,
    };

    /// <inheritdoc />
    public bool Equals(CdnErrorCode other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CdnErrorCode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public override string ToString() => _value ?? "unknown";

    /// <summary>Compares two codes.</summary>
    public static bool operator ==(CdnErrorCode left, CdnErrorCode right) => left.Equals(right);

    /// <summary>Compares two codes.</summary>
    public static bool operator !=(CdnErrorCode left, CdnErrorCode right) => !left.Equals(right);
}

/// <summary>The base of every exception Poppy.Sdk throws on purpose. Messages never contain secrets.</summary>
public abstract class CdnException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A message a person understands.</param>
    /// <param name="innerException">The cause.</param>
    protected CdnException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The Poppy service the failed call was about, when there is one: set by the composite client on every exception
    /// from a service operation, so a caller who let the SDK generate the id can still retry or delete the service.
    /// </summary>
    public string? ServiceId { get; set; }

    /// <summary>The id of the operation that failed, when one exists (resume it, or look it up), set by the composite client.</summary>
    public string? OperationId { get; set; }
}

/// <summary>A vendor API call failed.</summary>
public class CdnRequestFailedException : CdnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="message">What failed, in words.</param>
    /// <param name="status">The HTTP status, if a response arrived.</param>
    /// <param name="errorCode">The normalised code.</param>
    /// <param name="isTransient">Whether retrying later may succeed.</param>
    /// <param name="vendorErrorCode">The vendor's own code.</param>
    /// <param name="requestId">The vendor's request id.</param>
    /// <param name="innerException">The cause.</param>
    public CdnRequestFailedException(
        string provider,
        string message,
        int? status,
        CdnErrorCode errorCode,
        bool isTransient,
        string? vendorErrorCode = null,
        string? requestId = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
        Status = status;
        ErrorCode = errorCode;
        IsTransient = isTransient;
        VendorErrorCode = vendorErrorCode;
        RequestId = requestId;
    }

    /// <summary>The provider's registered name.</summary>
    public string Provider { get; }

    /// <summary>The HTTP status, or null when no response arrived.</summary>
    public int? Status { get; }

    /// <summary>The normalised error code.</summary>
    public CdnErrorCode ErrorCode { get; }

    /// <summary>The vendor's raw error code, if any.</summary>
    public string? VendorErrorCode { get; }

    /// <summary>The vendor's request id, if any.</summary>
    public string? RequestId { get; }

    /// <summary>Whether the same call may succeed later (5xx, 429, network errors).</summary>
    public bool IsTransient { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(GetType().FullName).Append(": ").Append(Message);
        sb.Append(CultureInfo.InvariantCulture, $" (provider={Provider}, status={Status?.ToString(CultureInfo.InvariantCulture) ?? "none"}, code={ErrorCode}");
        if (VendorErrorCode is not null)
        {
            sb.Append(", vendor_code=").Append(VendorErrorCode);
        }

        if (RequestId is not null)
        {
            sb.Append(", request_id=").Append(RequestId);
        }

        sb.Append(", transient=").Append(IsTransient ? "true" : "false").Append(')');
        if (InnerException is not null)
        {
            sb.AppendLine().Append(" ---> ").Append(InnerException.GetType().FullName).Append(": ").Append(SecretScrubber.WithoutSecrets.Scrub(InnerException.Message));
        }

        if (StackTrace is not null)
        {
            sb.AppendLine().Append(StackTrace);
        }

        return sb.ToString();
    }
}

/// <summary>
/// The Poppy service id is not in the composite client's catalog: nothing was sent to any vendor. A
/// <see cref="CdnRequestFailedException"/> (provider <see cref="CatalogProvider"/>, status 404,
/// <see cref="CdnErrorCode.NotFound"/>, not transient) so existing catches keep working; catch this type to tell
/// an unknown id from a vendor's failure. See docs/adr/0007-service-not-found.md.
/// </summary>
public class CdnServiceNotFoundException : CdnRequestFailedException
{
    /// <summary>The <see cref="CdnRequestFailedException.Provider"/> of this exception: the catalog, not a vendor.</summary>
    public const string CatalogProvider = "catalog";

    /// <summary>Creates the exception.</summary>
    /// <param name="serviceId">The Poppy service id that is not in the catalog.</param>
    public CdnServiceNotFoundException(string serviceId)
        : base(CatalogProvider, $"Service '{serviceId}' is not in the catalog: no service with this id was created through this client (or it was deleted). Nothing was sent to any vendor.", 404, CdnErrorCode.NotFound, isTransient: false)
    {
        ServiceId = serviceId;
    }
}

/// <summary>The vendor rate-limited the call (429 or a throttling code).</summary>
public class CdnRateLimitedException : CdnRequestFailedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="message">What failed.</param>
    /// <param name="retryAfter">How long the vendor asked to wait, if it said.</param>
    /// <param name="status">The HTTP status (usually 429).</param>
    /// <param name="vendorErrorCode">The vendor's own code.</param>
    /// <param name="requestId">The vendor's request id.</param>
    /// <param name="innerException">The cause.</param>
    public CdnRateLimitedException(
        string provider,
        string message,
        TimeSpan? retryAfter,
        int? status = 429,
        string? vendorErrorCode = null,
        string? requestId = null,
        Exception? innerException = null)
        : base(provider, message, status, CdnErrorCode.RateLimited, isTransient: true, vendorErrorCode, requestId, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long to wait before trying again, when the vendor said.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// A spec is invalid, or needs a feature a provider cannot honour. Nothing was sent to any vendor.
/// <see cref="Problems"/> lists every problem, each with its path.
/// </summary>
public class CdnValidationException : CdnException
{
    /// <summary>The subject of problems found in a service spec (the default).</summary>
    public const string ServiceSpecSubject = "service spec";

    /// <summary>The subject of problems found in a purge request.</summary>
    public const string PurgeRequestSubject = "purge request";

    /// <summary>Creates the exception for problems found in a service spec.</summary>
    /// <param name="problems">Every problem found (at least one).</param>
    public CdnValidationException(IReadOnlyList<ValidationProblem> problems)
        : this(problems, ServiceSpecSubject)
    {
    }

    /// <summary>Creates the exception for problems found in what <paramref name="subject"/> names.</summary>
    /// <param name="problems">Every problem found (at least one).</param>
    /// <param name="subject">What was validated, in words (<see cref="ServiceSpecSubject"/>, <see cref="PurgeRequestSubject"/>); the message reads "The {subject} has N problems".</param>
    public CdnValidationException(IReadOnlyList<ValidationProblem> problems, string subject)
        : base(BuildMessage(problems, subject))
    {
        Problems = problems;
        Subject = subject;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>What was validated, in words (for example <c>service spec</c> or <c>purge request</c>).</summary>
    public string Subject { get; }

    private static string BuildMessage(IReadOnlyList<ValidationProblem> problems, string subject)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"The {subject} has {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:");
        foreach (var p in problems)
        {
            sb.AppendLine().Append("  ").Append(p.ToString());
        }

        return sb.ToString();
    }
}

/// <summary>One attempt the composite client made on one provider.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="Exception">Why it failed.</param>
public sealed record ProviderAttempt(string Provider, Exception Exception);

/// <summary>Every provider the composite client tried failed.</summary>
public class CdnAllProvidersFailedException : CdnException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What was attempted (for example <c>create</c>).</param>
    /// <param name="attempts">Each attempt, in order.</param>
    public CdnAllProvidersFailedException(string operation, IReadOnlyList<ProviderAttempt> attempts)
        : base(BuildMessage(operation, attempts), attempts.Count > 0 ? attempts[^1].Exception : null)
    {
        Operation = operation;
        Attempts = attempts;
    }

    /// <summary>What was attempted.</summary>
    public string Operation { get; }

    /// <summary>Each attempt, in order.</summary>
    public IReadOnlyList<ProviderAttempt> Attempts { get; }

    private static string BuildMessage(string operation, IReadOnlyList<ProviderAttempt> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"'{operation}' failed on every provider tried ({attempts.Count}):");
        foreach (var a in attempts)
        {
            sb.AppendLine().Append("  ").Append(a.Provider).Append(": ").Append(SecretScrubber.WithoutSecrets.Scrub(a.Exception.Message));
        }

        return sb.ToString();
    }
}
