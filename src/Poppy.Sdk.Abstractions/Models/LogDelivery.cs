using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>Log delivery settings (<c>{"enabled": false}</c>).</summary>
public sealed record LogDelivery
{
    /// <summary>Log delivery turned off (the default).</summary>
    public static LogDelivery Disabled { get; } = new();

    /// <summary>Whether the CDN delivers access logs.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }
}
