using System.Diagnostics.CodeAnalysis;

namespace Poppy.Sdk;

/// <summary>
/// The one codec of operation ids: <c>provider:kind:payload</c>, where <c>provider</c> is the registered
/// provider name (the composite client uses <c>poppy</c>), <c>kind</c> an <see cref="OperationKind"/> in lower
/// case, and <c>payload</c> whatever the provider needs to resume the operation (it may contain colons).
/// Provider names never contain a colon, so parsing is unambiguous.
/// </summary>
/// <param name="Provider">The provider's registered name.</param>
/// <param name="Kind">What the operation does.</param>
/// <param name="Payload">The provider's resume data (not empty).</param>
public readonly record struct OperationId(string Provider, OperationKind Kind, string Payload)
{
    /// <summary>Formats the id.</summary>
    /// <returns><c>provider:kind:payload</c>.</returns>
    public override string ToString() => Provider + ":" + KindText(Kind) + ":" + Payload;

    /// <summary>Parses an id made by <see cref="ToString"/>.</summary>
    /// <param name="value">The text.</param>
    /// <param name="id">The parsed id.</param>
    /// <returns>Whether the text is a well-formed id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out OperationId id)
    {
        id = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var first = value.IndexOf(':', StringComparison.Ordinal);
        if (first <= 0)
        {
            return false;
        }

        var second = value.IndexOf(':', first + 1);
        if (second < 0 || second == value.Length - 1)
        {
            return false;
        }

        var kind = value.AsSpan(first + 1, second - first - 1);
        OperationKind parsed;
        if (kind.SequenceEqual("create"))
        {
            parsed = OperationKind.Create;
        }
        else if (kind.SequenceEqual("update"))
        {
            parsed = OperationKind.Update;
        }
        else if (kind.SequenceEqual("delete"))
        {
            parsed = OperationKind.Delete;
        }
        else if (kind.SequenceEqual("purge"))
        {
            parsed = OperationKind.Purge;
        }
        else
        {
            return false;
        }

        id = new OperationId(value[..first], parsed, value[(second + 1)..]);
        return true;
    }

    /// <summary>Parses an id that must belong to <paramref name="provider"/>.</summary>
    /// <param name="value">The text.</param>
    /// <param name="provider">The provider expected to have made it.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The text is not an id of this provider.</exception>
    public static OperationId Parse(string value, string provider)
    {
        if (!TryParse(value, out var id) || !string.Equals(id.Provider, provider, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{value}' is not an operation id of provider '{provider}' (expected '{provider}:<create|update|delete|purge>:<payload>').", nameof(value));
        }

        return id;
    }

    /// <summary>The lower-case text of a kind, as it appears in ids and telemetry.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><c>create</c>, <c>update</c>, <c>delete</c> or <c>purge</c>.</returns>
    public static string KindText(OperationKind kind) => kind switch
    {
        OperationKind.Create => "create",
        OperationKind.Update => "update",
        OperationKind.Delete => "delete",
        OperationKind.Purge => "purge",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
