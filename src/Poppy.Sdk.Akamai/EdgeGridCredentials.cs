using System.Globalization;

namespace Poppy.Sdk.Akamai;

/// <summary>
/// One Akamai API client's EdgeGrid credentials, as an <c>.edgerc</c> section holds them: the API host, the client token,
/// the client secret and the access token, plus how much of a POST body is hashed (<c>max_body</c>) and which headers
/// are signed (<c>headers_to_sign</c>). <see cref="ToString"/> never shows the secret or the tokens.
/// </summary>
/// <param name="Host">The API host (<c>akab-….luna.akamaiapis.net</c>); the base address is <c>https://{host}/</c>. Null when the base address is configured directly.</param>
/// <param name="ClientToken">The client token.</param>
/// <param name="ClientSecret">The client secret (used as its text, not base64-decoded).</param>
/// <param name="AccessToken">The access token.</param>
public sealed record EdgeGridCredentials(string? Host, string ClientToken, string ClientSecret, string AccessToken)
{
    private static readonly string[] RequiredKeys = ["host", "client_token", "client_secret", "access_token"];

    /// <summary>The default <see cref="MaxBody"/>: 131,072 bytes, as Akamai's clients use.</summary>
    public const int DefaultMaxBody = 131_072;

    /// <summary>How many bytes of a POST body are hashed into the signature (<c>max_body</c>).</summary>
    public int MaxBody { get; init; } = DefaultMaxBody;

    /// <summary>The request headers signed when present, in this order (<c>headers_to_sign</c>); none by default.</summary>
    public IReadOnlyList<string> HeadersToSign { get; init; } = [];

    /// <summary>
    /// Reads a section of an <c>.edgerc</c> file (INI: <c>[section]</c>, then <c>key = value</c>; dashes in keys read as
    /// underscores; quotes around values removed; <c>#</c> and <c>;</c> start comment lines).
    /// </summary>
    /// <param name="path">The file (<c>~</c> at the start means the user's home directory).</param>
    /// <param name="section">The section; <c>default</c> when null.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="FormatException">The section is missing, lacks a value, or holds a value that cannot be read; the message never quotes a secret.</exception>
    public static EdgeGridCredentials FromEdgeRc(string path, string? section = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = path.StartsWith('~') ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..] : path;
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The .edgerc file '{path}' does not exist.", path);
        }

        return ParseEdgeRc(File.ReadAllText(full), section, path);
    }

    /// <summary>Reads a section of <c>.edgerc</c> text (see <see cref="FromEdgeRc"/>).</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="section">The section; <c>default</c> when null.</param>
    /// <param name="source">Where the text comes from, for messages.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="FormatException">The section is missing or incomplete, or a value cannot be read.</exception>
    public static EdgeGridCredentials ParseEdgeRc(string text, string? section = null, string source = ".edgerc")
    {
        ArgumentNullException.ThrowIfNull(text);
        section = string.IsNullOrWhiteSpace(section) ? "default" : section.Trim();
        Dictionary<string, string>? values = null;
        string? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                current = line[1..^1].Trim();
                if (current == section)
                {
                    // A repeated section continues the first one, as INI readers do.
                    values ??= new Dictionary<string, string>(StringComparer.Ordinal);
                }

                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (current != section || eq <= 0 || values is null)
            {
                continue;
            }

            var key = line[..eq].Trim().Replace('-', '_').ToLowerInvariant();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            values[key] = value;
        }

        if (values is null)
        {
            throw new FormatException($"{source} has no section [{section}].");
        }

        var missing = RequiredKeys.Where(k => !values.TryGetValue(k, out var v) || v.Length == 0).ToList();
        if (missing.Count > 0)
        {
            throw new FormatException($"{source} section [{section}] lacks {string.Join(", ", missing)}.");
        }

        var maxBody = DefaultMaxBody;
        if (values.TryGetValue("max_body", out var max) && !(int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxBody) && maxBody > 0))
        {
            throw new FormatException($"{source} section [{section}]: max_body must be a positive whole number of bytes.");
        }

        var headers = values.TryGetValue("headers_to_sign", out var h)
            ? h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        return new EdgeGridCredentials(NormalizeHost(values["host"]), values["client_token"], values["client_secret"], values["access_token"])
        {
            MaxBody = maxBody,
            HeadersToSign = headers,
        };
    }

    /// <summary>A host as <c>.edgerc</c> files write it, without a scheme or trailing slash.</summary>
    /// <param name="host">The host value.</param>
    /// <returns>The bare host (with a port when one is given).</returns>
    public static string NormalizeHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var h = host.Trim();
        var scheme = h.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            h = h[(scheme + 3)..];
        }

        return h.TrimEnd('/');
    }

    /// <summary>Describes the credentials without the secret or the tokens.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"EdgeGridCredentials {{ Host = {Host}, ClientToken = {Hidden(ClientToken)}, ClientSecret = {Hidden(ClientSecret)}, AccessToken = {Hidden(AccessToken)}, MaxBody = {MaxBody}, HeadersToSign = [{string.Join(", ", HeadersToSign)}] }}");

    private static string Hidden(string value) => string.IsNullOrEmpty(value) ? "(not set)" : "(set, hidden)";
}
