using System.Globalization;

namespace Poppy.Sdk.Fastly.Internal.Api;

/// <summary>Paths and bodies shared by the Fastly resource clients.</summary>
internal static class FastlyRequests
{
    /// <summary>The page size used for lists (Fastly's maximum).</summary>
    public const int PageSize = 100;

    public static string VersionPath(string serviceId, int version) =>
        string.Create(CultureInfo.InvariantCulture, $"service/{Seg(serviceId)}/version/{version}");

    /// <summary>One path segment, escaped.</summary>
    public static string Seg(string value) => Uri.EscapeDataString(value);

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A form body (Fastly's versioned objects are written as <c>application/x-www-form-urlencoded</c>, as go-fastly does).</summary>
    public static FormUrlEncodedContent Form(params IEnumerable<(string Key, string Value)> fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    public static void AddIf(List<(string, string)> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields.Add((name, value));
        }
    }

    /// <summary>Whether a paged list has another page: RFC 8288 <c>Link</c> headers when Fastly sends them, else a full page.</summary>
    public static bool HasNextPage(VendorResponse response, int count)
    {
        if (response.Headers.TryGetValues("Link", out var links))
        {
            return links.Any(l => l.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase));
        }

        return count >= PageSize;
    }
}
