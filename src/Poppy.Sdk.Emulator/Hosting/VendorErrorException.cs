namespace Poppy.Sdk.Emulator;

/// <summary>
/// An error answer of an emulated vendor. Endpoints, access checks and faults throw or return one;
/// the shared pipeline writes it with the vendor's <see cref="IVendorErrorWriter"/>. Each vendor
/// derives its own, carrying what its error body needs (Fastly's message and detail, CloudFront's code).
/// </summary>
public abstract class VendorErrorException : Exception
{
    /// <summary>Creates an error.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="message">The message.</param>
    protected VendorErrorException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>A <c>Retry-After</c> to send with the answer, or none.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
