namespace Poppy.Sdk.Internal;

/// <summary>
/// How a Poppy service id is stamped on the vendor resource that holds it, and recognised again: the text
/// <c>poppy:service_id=&lt;id&gt;</c> (Fastly's service comment, CloudFront's <c>Comment</c>), the id alone where the
/// field is the id (CloudFront's <c>CallerReference</c>, the <c>poppy:service-id</c> tag). The stamp is what makes a
/// retried create find what it made and lets a lost catalog be rebuilt from the vendors.
/// </summary>
internal static class ServiceStamp
{
    /// <summary>The prefix of a stamp.</summary>
    public const string Prefix = "poppy:service_id=";

    /// <summary>The tag (or metadata) key whose value is the service id alone.</summary>
    public const string TagKey = "poppy:service-id";

    /// <summary>The longest service id a stamp carries whole.</summary>
    public const int MaxServiceIdLength = 256;

    /// <summary>Why a service id cannot be stamped; null when it can (1–256 characters, no white space or control characters).</summary>
    /// <param name="serviceId">The Poppy service id.</param>
    /// <returns>The problem, in words.</returns>
    public static string? Problem(string? serviceId)
    {
        if (string.IsNullOrEmpty(serviceId))
        {
            return "The service id is empty.";
        }

        if (serviceId.Length > MaxServiceIdLength)
        {
            return $"The service id has {serviceId.Length} characters; at most {MaxServiceIdLength} can be stamped on a vendor resource.";
        }

        return serviceId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? "The service id contains white space or control characters, which would end the stamp early."
            : null;
    }

    /// <summary>The stamp of a service id: <c>poppy:service_id=&lt;id&gt;</c>, cut to <paramref name="maxLength"/> when the field is short.</summary>
    /// <param name="serviceId">The Poppy service id (see <see cref="Problem"/>).</param>
    /// <param name="maxLength">The field's length limit (CloudFront's comment holds 128).</param>
    /// <returns>The stamp.</returns>
    /// <exception cref="ArgumentException">The id cannot be stamped.</exception>
    public static string Format(string serviceId, int maxLength = int.MaxValue)
    {
        if (Problem(serviceId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(serviceId));
        }

        var stamp = Prefix + serviceId;
        return stamp.Length <= maxLength ? stamp : stamp[..maxLength];
    }

    /// <summary>The service id a text starts with a stamp of (up to the first white space); null when it is not a stamp.</summary>
    /// <param name="text">A comment or similar field.</param>
    /// <returns>The service id (cut when the field was cut), or null.</returns>
    public static string? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = text.AsSpan(Prefix.Length);
        var end = id.IndexOfAny(" \t\r\n");
        id = end < 0 ? id : id[..end];
        return id.IsEmpty ? null : id.ToString();
    }

    /// <summary>Whether <paramref name="text"/> is the stamp of <paramref name="serviceId"/> (as <see cref="Format"/> would write it into a field of <paramref name="maxLength"/>).</summary>
    /// <param name="text">The field's value.</param>
    /// <param name="serviceId">The service id.</param>
    /// <param name="maxLength">The field's length limit.</param>
    /// <returns>Whether it matches.</returns>
    public static bool Matches(string? text, string serviceId, int maxLength = int.MaxValue) =>
        Problem(serviceId) is null && Parse(text) is { } stamped &&
        string.Equals(stamped, Format(serviceId, maxLength)[Prefix.Length..], StringComparison.Ordinal);
}
