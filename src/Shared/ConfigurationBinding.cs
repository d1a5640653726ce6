using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Poppy.Sdk.Internal;

/// <summary>
/// Runs a configuration binding and rewrites the binder's errors for the person editing <c>appsettings.json</c>:
/// they name configuration paths (<c>Poppy:Fastly</c>, <c>Poppy:Flavors:global:Mode</c>) and the values allowed,
/// not CLR types. The binding itself stays at the call site, where the configuration binding source generator
/// sees the concrete options type.
/// </summary>
internal static class ConfigurationBinding
{
    private const string UnknownMarker = "were not found on the instance of ";
    private const string ConvertPrefix = "Failed to convert configuration value ";

    /// <summary>Runs <paramref name="bind"/>; a binder error becomes an <see cref="InvalidOperationException"/> in Poppy's words.</summary>
    /// <param name="section">The section being bound.</param>
    /// <param name="bind">The binding (with unknown keys as errors).</param>
    /// <param name="allowedValues">For enum-typed settings: the CLR type's full name → the values allowed, in words.</param>
    /// <param name="unknownKeyHint">Said after an unknown key, for example where vendor options belong.</param>
    public static void Run(IConfiguration section, Action bind, IReadOnlyDictionary<string, string>? allowedValues = null, string? unknownKeyHint = null)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException ex) when (Describe(section, ex, allowedValues, unknownKeyHint) is { } message)
        {
            throw new InvalidOperationException(message, ex);
        }
    }

    /// <summary>The binder's error in configuration terms; null when it is not one this recognises.</summary>
    internal static string? Describe(IConfiguration section, InvalidOperationException ex, IReadOnlyDictionary<string, string>? allowedValues, string? unknownKeyHint)
    {
        var message = ex.Message;
        var unknown = message.IndexOf(UnknownMarker, StringComparison.Ordinal);
        if (unknown >= 0)
        {
            var names = message[(message.IndexOf(':', unknown) + 1)..]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => n.Trim('\'', '.', ' '))
                .Where(n => n.Length > 0)
                .ToList();
            var paths = names.SelectMany(n => PathsOf(section, n)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            var where = paths.Count > 0 ? string.Join(", ", paths) : string.Join(", ", names.Select(n => Join(section, n)));
            var plural = paths.Count > 1 || (paths.Count == 0 && names.Count > 1);
            return $"Unknown configuration key{(plural ? "s" : "")} {where}: not a setting of section '{PathOf(section)}'. Check the spelling.{(unknownKeyHint is null ? "" : " " + unknownKeyHint)}";
        }

        // "Failed to convert configuration value at '{path}' to type '{type}'." (reflection binder), or with
        // "value '{value}' at" (source-generated binder).
        if (message.StartsWith(ConvertPrefix, StringComparison.Ordinal))
        {
            var typeMarker = message.LastIndexOf("' to type '", StringComparison.Ordinal);
            var pathMarker = typeMarker < 0 ? -1 : message.LastIndexOf(" at '", typeMarker, StringComparison.Ordinal);
            if (pathMarker < 0)
            {
                return null;
            }

            var path = message[(pathMarker + " at '".Length)..typeMarker];
            var typeName = message[(typeMarker + "' to type '".Length)..].TrimEnd('.', '\'');
            var value = ValueAt(section, path);
            var expected = allowedValues is not null && allowedValues.TryGetValue(typeName, out var allowed) ? allowed : Expected(typeName);
            return value is null
                ? $"Configuration value {path} is not valid: {expected}."
                : $"Configuration value {path} = '{value}' is not valid: {expected}.";
        }

        return null;
    }

    private static string Expected(string typeName) => typeName switch
    {
        "System.TimeSpan" => "write a duration as hh:mm:ss, for example \"00:01:40\" for 100 seconds (a bare number is read as days)",
        "System.Int32" or "System.Int64" => "write a whole number",
        "System.Double" or "System.Decimal" or "System.Single" => "write a number, with '.' as the decimal separator",
        "System.Boolean" => "write true or false",
        "System.Uri" => "write a URI such as https://api.example.com/",
        _ => "the value has the wrong form for this setting",
    };

    private static string PathOf(IConfiguration section) => section is IConfigurationSection s ? s.Path : "(root)";

    private static string Join(IConfiguration section, string key) => section is IConfigurationSection s && s.Path.Length > 0 ? s.Path + ":" + key : key;

    /// <summary>The full paths, under <paramref name="section"/>, of keys named <paramref name="name"/> (an unknown key may sit at any depth).</summary>
    private static IEnumerable<string> PathsOf(IConfiguration section, string name)
    {
        var root = section is IConfigurationSection s ? s.Path : "";
        foreach (var (key, _) in section.AsEnumerable())
        {
            var relative = root.Length == 0 ? key : key.Length > root.Length ? key[(root.Length + 1)..] : "";
            var parts = relative.Split(':');
            for (var i = 0; i < parts.Length; i++)
            {
                if (string.Equals(parts[i], name, StringComparison.OrdinalIgnoreCase))
                {
                    var inner = string.Join(':', parts.Take(i + 1));
                    yield return root.Length == 0 ? inner : root + ":" + inner;
                    break;
                }
            }
        }
    }

    private static string? ValueAt(IConfiguration section, string path)
    {
        foreach (var (key, value) in section.AsEnumerable())
        {
            if (string.Equals(key, path, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The values of an enum, in words, for <see cref="Run"/>'s allowed values.</summary>
    /// <typeparam name="TEnum">The enum.</typeparam>
    /// <returns>The type's full name and "use A or B".</returns>
    public static KeyValuePair<string, string> Allowed<TEnum>()
        where TEnum : struct, Enum
    {
        var names = Enum.GetNames<TEnum>();
        var words = names.Length switch
        {
            1 => names[0],
            _ => string.Join(", ", names[..^1]) + " or " + names[^1],
        };
        return new(typeof(TEnum).FullName!, string.Create(CultureInfo.InvariantCulture, $"use {words}"));
    }
}
