using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Poppy.Sdk.Fastly.Internal;

// The Fastly API's JSON responses, with only the fields Poppy reads. The types are those of Fastly's own models (the
// official `fastly` client's *Response models): conditions, cache settings, headers, request settings and response
// objects carry `priority`, `ttl`, `status` and `version` as strings ("10"); ACL entries `negated` as 0/1; backends
// `port`, domains and settings `version` as numbers. Each such field reads either form (FlexibleIntConverter,
// FlexibleBoolConverter), so a corrected API or an older one reads the same.

internal sealed class FastlyServiceDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("comment")] public string? Comment { get; set; }

    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("versions")] public List<FastlyVersionDto>? Versions { get; set; }
}

internal sealed class FastlyVersionDto
{
    [JsonPropertyName("number")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? Number { get; set; }

    [JsonPropertyName("active")]
    [JsonConverter(typeof(FlexibleBoolConverter))]
    public bool? Active { get; set; }

    [JsonPropertyName("locked")]
    [JsonConverter(typeof(FlexibleBoolConverter))]
    public bool? Locked { get; set; }

    [JsonPropertyName("comment")] public string? Comment { get; set; }
}

internal sealed class FastlyDomainDto
{
    [JsonPropertyName("name")] public string? Name { get; set; }
}

internal sealed class FastlyBackendDto
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("address")] public string? Address { get; set; }

    [JsonPropertyName("hostname")] public string? Hostname { get; set; }

    [JsonPropertyName("ipv4")] public string? Ipv4 { get; set; }

    [JsonPropertyName("ipv6")] public string? Ipv6 { get; set; }

    [JsonPropertyName("port")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? Port { get; set; }

    [JsonPropertyName("use_ssl")]
    [JsonConverter(typeof(FlexibleBoolConverter))]
    public bool? UseSsl { get; set; }

    [JsonPropertyName("ssl_cert_hostname")] public string? SslCertHostname { get; set; }

    [JsonPropertyName("ssl_sni_hostname")] public string? SslSniHostname { get; set; }

    [JsonPropertyName("override_host")] public string? OverrideHost { get; set; }

    [JsonPropertyName("request_condition")] public string? RequestCondition { get; set; }
}

internal sealed class FastlyConditionDto
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("type")] public string? Type { get; set; }

    [JsonPropertyName("statement")] public string? Statement { get; set; }

    [JsonPropertyName("priority")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? Priority { get; set; }
}

internal sealed class FastlyCacheSettingDto
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("ttl")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? Ttl { get; set; }

    [JsonPropertyName("action")] public string? Action { get; set; }

    [JsonPropertyName("cache_condition")] public string? CacheCondition { get; set; }
}

internal sealed class FastlyResponseObjectDto
{
    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("status")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? Status { get; set; }

    [JsonPropertyName("response")] public string? Response { get; set; }

    [JsonPropertyName("content")] public string? Content { get; set; }

    [JsonPropertyName("content_type")] public string? ContentType { get; set; }

    [JsonPropertyName("request_condition")] public string? RequestCondition { get; set; }
}

internal sealed class FastlySettingsDto
{
    [JsonPropertyName("general.default_ttl")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? DefaultTtl { get; set; }
}

internal sealed class FastlyAclDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }
}

internal sealed class FastlyAclEntryDto
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("ip")] public string? Ip { get; set; }

    [JsonPropertyName("subnet")]
    [JsonConverter(typeof(FlexibleIntConverter))]
    public int? Subnet { get; set; }

    [JsonPropertyName("negated")]
    [JsonConverter(typeof(FlexibleBoolConverter))]
    public bool? Negated { get; set; }
}

/// <summary>The body of <c>PATCH /service/{id}/acl/{acl_id}/entries</c>.</summary>
internal sealed class FastlyAclBatchDto
{
    [JsonPropertyName("entries")] public List<FastlyAclBatchEntryDto> Entries { get; set; } = [];
}

internal sealed class FastlyAclBatchEntryDto
{
    [JsonPropertyName("op")] public string Op { get; set; } = "create";

    [JsonPropertyName("ip")] public string? Ip { get; set; }

    [JsonPropertyName("subnet")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Subnet { get; set; }

    [JsonPropertyName("negated")] public int Negated { get; set; }
}

/// <summary><c>{"status": "ok"}</c> answers (validate, activate's sibling calls, purge-all), and Fastly's error body.</summary>
internal sealed class FastlyStatusDto
{
    [JsonPropertyName("status")] public string? Status { get; set; }

    [JsonPropertyName("msg")] public string? Msg { get; set; }

    [JsonPropertyName("detail")] public string? Detail { get; set; }

    [JsonPropertyName("title")] public string? Title { get; set; }

    /// <summary>JSON:API error objects, or (validate) a list of messages.</summary>
    [JsonPropertyName("errors")] public JsonElement? Errors { get; set; }
}

internal sealed class FastlyPurgeDto
{
    [JsonPropertyName("status")] public string? Status { get; set; }

    [JsonPropertyName("id")] public string? Id { get; set; }
}

internal sealed class FastlyBulkPurgeRequestDto
{
    [JsonPropertyName("surrogate_keys")] public List<string> SurrogateKeys { get; set; } = [];
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(FastlyServiceDto))]
[JsonSerializable(typeof(List<FastlyServiceDto>))]
[JsonSerializable(typeof(FastlyVersionDto))]
[JsonSerializable(typeof(List<FastlyDomainDto>))]
[JsonSerializable(typeof(List<FastlyBackendDto>))]
[JsonSerializable(typeof(List<FastlyConditionDto>))]
[JsonSerializable(typeof(List<FastlyCacheSettingDto>))]
[JsonSerializable(typeof(List<FastlyResponseObjectDto>))]
[JsonSerializable(typeof(FastlySettingsDto))]
[JsonSerializable(typeof(FastlyAclDto))]
[JsonSerializable(typeof(List<FastlyAclDto>))]
[JsonSerializable(typeof(List<FastlyAclEntryDto>))]
[JsonSerializable(typeof(FastlyAclBatchDto))]
[JsonSerializable(typeof(FastlyStatusDto))]
[JsonSerializable(typeof(FastlyPurgeDto))]
[JsonSerializable(typeof(FastlyBulkPurgeRequestDto))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class FastlyJsonContext : JsonSerializerContext;

/// <summary>Reads an integer written as a number or a numeric string; writes a number.</summary>
internal sealed class FlexibleIntConverter : JsonConverter<int?>
{
    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => reader.GetInt32(),
        JsonTokenType.String when reader.GetString() is { } s => s.Length == 0 ? null
            : int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
            : throw new JsonException($"'{s}' is not an integer."),
        _ => throw new JsonException($"Expected an integer, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Reads a boolean written as <c>true</c>/<c>false</c>, <c>1</c>/<c>0</c> or their string forms; writes a boolean.</summary>
internal sealed class FlexibleBoolConverter : JsonConverter<bool?>
{
    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number => reader.GetInt32() != 0,
        JsonTokenType.String => reader.GetString() switch
        {
            "1" or "true" or "True" => true,
            "0" or "false" or "False" or "" => false,
            var s => throw new JsonException($"'{s}' is not a boolean."),
        },
        _ => throw new JsonException($"Expected a boolean, found {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteBooleanValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
