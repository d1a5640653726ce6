using System.Text.Json.Serialization;

namespace Poppy.Sdk.Models;

/// <summary>A named request-path pattern, as used by origin and caching rules (<c>{"name", "request_url"}</c>).</summary>
public sealed record PathRule
{
    /// <summary>Creates an empty rule (for serializers and object initializers).</summary>
    public PathRule()
    {
    }

    /// <summary>Creates a rule.</summary>
    /// <param name="name">The rule's name, 1–256 characters.</param>
    /// <param name="requestUrl">The path pattern, 1–1024 characters, for example <c>/images/*</c>.</param>
    [JsonConstructor]
    public PathRule(string name, string requestUrl)
    {
        Name = name;
        RequestUrl = requestUrl;
    }

    /// <summary>The rule's name, 1–256 characters.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>The request path pattern, 1–1024 characters; <c>*</c> is a wildcard.</summary>
    [JsonPropertyName("request_url")]
    public string RequestUrl { get; init; } = "";
}
