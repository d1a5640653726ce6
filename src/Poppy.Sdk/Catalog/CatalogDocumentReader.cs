using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Poppy.Sdk.Models;
using Poppy.Sdk.Serialization;

namespace Poppy.Sdk.Catalog;

/// <summary>
/// Reads a catalog export document as a stream: it holds one buffer (one entry at most, bounded by
/// <see cref="CatalogImportOptions.MaxEntryBytes"/>), never the whole document, and yields each service entry as soon as
/// it is complete. Whatever makes the document unreadable (wrong format or version, malformed or truncated JSON) throws
/// a <see cref="CatalogTransferException"/> naming the JSON path; what is wrong inside one entry (a missing id, a field
/// of the wrong type) is returned with the entry, so the other services can still be imported.
/// </summary>
internal sealed class CatalogDocumentReader : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    // As lenient as the Poppy serializer context (comments skipped, trailing commas allowed), so any document it reads reads here.
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly Stream _stream;
    private readonly int _maxEntryBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _offset;
    private bool _final;
    private JsonReaderState _state = new(ReaderOptions);

    public CatalogDocumentReader(Stream stream, int maxEntryBytes)
    {
        _stream = stream;
        _maxEntryBytes = maxEntryBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferBytes, maxEntryBytes));
    }

    private delegate bool Step<T>(ref Utf8JsonReader reader, out T result);

    /// <summary>The export time the document states (as written), once read.</summary>
    public string? ExportedAt { get; private set; }

    /// <summary>Reads the document, yielding each service entry in order; validates the header and the trailer.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries.</returns>
    public async IAsyncEnumerable<CatalogEntry> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var root = await NextAsync<Token>(ReadToken, "$", cancellationToken).ConfigureAwait(false);
        if (root.Type != JsonTokenType.StartObject)
        {
            throw Error("$", $"The document is a JSON {Describe(root.Type)}, not a Poppy catalog export (an object starting with \"{CatalogDocument.Format}\": \"{CatalogDocument.FormatMarker}\").");
        }

        string? format = null;
        long? version = null;
        long? declaredCount = null;
        var servicesRead = false;
        var count = 0;
        while (true)
        {
            var token = await NextAsync<Token>(ReadToken, "$", cancellationToken).ConfigureAwait(false);
            if (token.Type == JsonTokenType.EndObject)
            {
                break;
            }

            var name = token.Text!;
            var path = "$." + name;
            switch (name)
            {
                case CatalogDocument.Format:
                    var marker = await NextAsync<Token>(ReadValue, path, cancellationToken).ConfigureAwait(false);
                    if (marker.Type != JsonTokenType.String || marker.Text != CatalogDocument.FormatMarker)
                    {
                        throw Error(path, $"{path} is {Quote(marker)}, expected \"{CatalogDocument.FormatMarker}\": this is not a Poppy catalog export.");
                    }

                    format = marker.Text;
                    break;

                case CatalogDocument.FormatVersion:
                    var number = await NextAsync<Token>(ReadValue, path, cancellationToken).ConfigureAwait(false);
                    if (number.Number is not { } v)
                    {
                        throw Error(path, $"{path} is {Quote(number)}, expected an integer format version.");
                    }

                    if (v != CatalogDocument.Version)
                    {
                        throw Error(path, string.Create(CultureInfo.InvariantCulture, $"{path} is {v}: this SDK reads Poppy catalog exports of version {CatalogDocument.Version} only (export the catalog again with this SDK's version, or upgrade it)."));
                    }

                    version = v;
                    break;

                case CatalogDocument.ExportedAt:
                    var at = await NextAsync<Token>(ReadValue, path, cancellationToken).ConfigureAwait(false);
                    ExportedAt = at.Type == JsonTokenType.String ? at.Text : throw Error(path, $"{path} is {Quote(at)}, expected a date and time (text).");
                    break;

                case CatalogDocument.ServiceCount:
                    var declared = await NextAsync<Token>(ReadValue, path, cancellationToken).ConfigureAwait(false);
                    declaredCount = declared.Number is { } c and >= 0 ? c : throw Error(path, $"{path} is {Quote(declared)}, expected the number of services.");
                    break;

                case CatalogDocument.Services:
                    if (format is null || version is null)
                    {
                        throw Error(path, $"{path} comes before \"{(format is null ? CatalogDocument.Format : CatalogDocument.FormatVersion)}\": a Poppy catalog export starts with \"{CatalogDocument.Format}\": \"{CatalogDocument.FormatMarker}\" and \"{CatalogDocument.FormatVersion}\": {CatalogDocument.Version}, so a reader knows what it reads before the services.");
                    }

                    if (servicesRead)
                    {
                        throw Error(path, $"{path} appears twice.");
                    }

                    var open = await NextAsync<Token>(ReadToken, path, cancellationToken).ConfigureAwait(false);
                    if (open.Type != JsonTokenType.StartArray)
                    {
                        throw Error(path, $"{path} is a JSON {Describe(open.Type)}, expected an array of services.");
                    }

                    while (true)
                    {
                        var index = count;
                        var entry = await NextAsync<CatalogEntry?>((ref Utf8JsonReader r, out CatalogEntry? e) => ReadEntry(ref r, index, out e), ServicePath(index), cancellationToken).ConfigureAwait(false);
                        if (entry is null)
                        {
                            break;
                        }

                        count++;
                        yield return entry;
                    }

                    servicesRead = true;
                    break;

                default:
                    // A member a later version may add: skipped, as unknown members are everywhere in Poppy documents.
                    await NextAsync<Token>(ReadValue, path, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        if (format is null)
        {
            throw Error("$." + CatalogDocument.Format, $"The document has no \"{CatalogDocument.Format}\" member: it is not a Poppy catalog export (expected \"{CatalogDocument.Format}\": \"{CatalogDocument.FormatMarker}\").");
        }

        if (version is null)
        {
            throw Error("$." + CatalogDocument.FormatVersion, $"The document has no \"{CatalogDocument.FormatVersion}\" member (expected {CatalogDocument.Version}).");
        }

        if (!servicesRead)
        {
            throw Error("$." + CatalogDocument.Services, $"The document has no \"{CatalogDocument.Services}\" array.");
        }

        if (declaredCount is { } expected && expected != count)
        {
            throw Error("$." + CatalogDocument.ServiceCount, string.Create(CultureInfo.InvariantCulture, $"$.{CatalogDocument.ServiceCount} is {expected} but the document holds {count} services: it was cut or edited."));
        }

        await ExpectEndAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static string ServicePath(int index) => string.Create(CultureInfo.InvariantCulture, $"$.{CatalogDocument.Services}[{index}]");

    /// <summary>Runs <paramref name="step"/> on the buffered bytes, reading more until it completes: a step either consumes a whole token or value or nothing.</summary>
    private async ValueTask<T> NextAsync<T>(Step<T> step, string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryStep(step, path, out var result))
            {
                return result;
            }

            if (_final)
            {
                throw Truncated(path);
            }

            await FillAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryStep<T>(Step<T> step, string path, out T result)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        try
        {
            if (!step(ref reader, out result))
            {
                return false;
            }
        }
        catch (JsonException ex)
        {
            // The reader found bad JSON. At the end of the data, bytes that would be fine if more followed mean a cut document.
            if (_final && IsValidPrefix(step))
            {
                throw Truncated(path);
            }

            var at = _offset + _start + reader.BytesConsumed;
            throw Error(path, string.Create(CultureInfo.InvariantCulture, $"{path}: the document is not valid JSON near byte {at}: {WithoutPosition(ex.Message)}"), ex);
        }

        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        return true;
    }

    private bool IsValidPrefix<T>(Step<T> step)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), isFinalBlock: false, _state);
        try
        {
            return !step(ref reader, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async ValueTask FillAsync(string path, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _offset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxEntryBytes)
            {
                throw Error(path, string.Create(CultureInfo.InvariantCulture, $"{path} is larger than {_maxEntryBytes} bytes (CatalogImportOptions.MaxEntryBytes); raise the limit to read it."));
            }

            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxEntryBytes));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _final = true;
        }
        else
        {
            _end += read;
        }
    }

    private async ValueTask ExpectEndAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            bool more;
            try
            {
                more = reader.Read();
            }
            catch (JsonException ex)
            {
                throw Error("$", $"The document continues after its closing brace: {WithoutPosition(ex.Message)}", ex);
            }

            if (more)
            {
                throw Error("$", "The document continues after its closing brace.");
            }

            if (_final)
            {
                return;
            }

            _start += (int)reader.BytesConsumed;
            _state = reader.CurrentState;
            await FillAsync("$", cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool ReadToken(ref Utf8JsonReader reader, out Token token)
    {
        if (!reader.Read())
        {
            token = default;
            return false;
        }

        token = Token.Of(ref reader);
        return true;
    }

    /// <summary>Reads a whole value: a scalar, or an object or array skipped to its end (only when it is all buffered).</summary>
    private static bool ReadValue(ref Utf8JsonReader reader, out Token token)
    {
        if (!reader.Read())
        {
            token = default;
            return false;
        }

        token = Token.Of(ref reader);
        return reader.TrySkip();
    }

    /// <summary>Reads one element of <c>services</c> (null at the end of the array), once all its bytes are buffered.</summary>
    private static bool ReadEntry(ref Utf8JsonReader reader, int index, out CatalogEntry? entry)
    {
        entry = null;
        if (!reader.Read())
        {
            return false;
        }

        if (reader.TokenType == JsonTokenType.EndArray)
        {
            return true;
        }

        var whole = reader;
        if (!whole.TrySkip())
        {
            return false;
        }

        var path = ServicePath(index);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var type = reader.TokenType;
            reader = whole;
            entry = new CatalogEntry(index, null, null, [new CatalogImportProblem(index, null, path, $"is a JSON {Describe(type)}, expected a service object.")]);
            return true;
        }

        string? id = null;
        long version = 0;
        ServiceSpec? spec = null;
        var providers = new List<ProviderServiceDetails>();
        var pending = new List<string>();
        var problems = new List<(string Path, string Message)>();
        var idProblem = false;
        var specPresent = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            var at = path + "." + name;
            reader.Read();
            switch (name)
            {
                case CatalogDocument.ServiceId:
                    if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } value)
                    {
                        id = value;
                    }
                    else
                    {
                        idProblem = true;
                        problems.Add((at, $"is {Describe(reader.TokenType)}, expected the service id (non-empty text)."));
                        reader.TrySkip();
                    }

                    break;

                case CatalogDocument.ServiceVersion:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out version) || version < 0)
                    {
                        problems.Add((at, "expected the service's catalog version (a whole number, 0 or more)."));
                        reader.TrySkip();
                    }

                    break;

                case CatalogDocument.Spec:
                    specPresent = true;
                    spec = Deserialize(ref reader, PoppyJsonContext.Default.ServiceSpec, at, problems);
                    break;

                case CatalogDocument.Providers:
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        problems.Add((at, $"is {Describe(reader.TokenType)}, expected an array of provider details."));
                        reader.TrySkip();
                        break;
                    }

                    for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
                    {
                        if (Deserialize(ref reader, PoppyJsonContext.Default.ProviderServiceDetails, string.Create(CultureInfo.InvariantCulture, $"{at}[{i}]"), problems) is { } details)
                        {
                            providers.Add(details);
                        }
                    }

                    break;

                case CatalogDocument.PendingCleanup:
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        problems.Add((at, $"is {Describe(reader.TokenType)}, expected an array of provider names."));
                        reader.TrySkip();
                        break;
                    }

                    for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
                    {
                        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 } provider)
                        {
                            pending.Add(provider);
                        }
                        else
                        {
                            problems.Add((string.Create(CultureInfo.InvariantCulture, $"{at}[{i}]"), $"is {Describe(reader.TokenType)}, expected a provider name."));
                            reader.TrySkip();
                        }
                    }

                    break;

                default:
                    reader.TrySkip();
                    break;
            }
        }

        if (id is null && !idProblem)
        {
            problems.Add((path + "." + CatalogDocument.ServiceId, "is missing: every service needs its id."));
        }

        if (!specPresent)
        {
            problems.Add((path + "." + CatalogDocument.Spec, "is missing: every service needs its Poppy service document."));
        }

        for (var i = 0; i < providers.Count; i++)
        {
            if (id is not null && providers[i].ServiceId != id)
            {
                problems.Add((string.Create(CultureInfo.InvariantCulture, $"{path}.{CatalogDocument.Providers}[{i}].service_id"), $"is '{providers[i].ServiceId}', not the service's id '{id}'."));
            }
        }

        entry = problems.Count > 0 || id is null || spec is null
            ? new CatalogEntry(index, id, null, problems.Select(p => new CatalogImportProblem(index, id, p.Path, p.Message)).ToList())
            : new CatalogEntry(index, id, new CdnService { ServiceId = id, Spec = spec, Providers = providers, PendingCleanup = pending, Version = version }, []);
        return true;
    }

    /// <summary>Deserializes the (complete) value at the reader, leaving the reader at its end whatever happens; a bad value becomes a problem.</summary>
    private static T? Deserialize<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> typeInfo, string path, List<(string, string)> problems)
        where T : class
    {
        var value = reader;
        reader.TrySkip();
        try
        {
            var result = JsonSerializer.Deserialize(ref value, typeInfo);
            if (result is null)
            {
                problems.Add((path, "is null, expected an object."));
            }

            return result;
        }
        catch (JsonException ex)
        {
            var inner = ex.Path is { Length: > 1 } p && p.StartsWith('$') ? p[1..] : "";
            problems.Add((path + inner, WithoutPosition(ex.Message)));
            return null;
        }
    }

    private static string WithoutPosition(string message)
    {
        // System.Text.Json appends "Path: $.x | LineNumber: 0 | BytePositionInLine: 12." relative to the chunk it read: the path is given separately.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return cut < 0 ? message : message[..cut];
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static string Quote(Token token) => token.Type switch
    {
        JsonTokenType.String => $"\"{token.Text}\"",
        JsonTokenType.Number when token.Number is { } n => n.ToString(CultureInfo.InvariantCulture),
        _ => "a JSON " + Describe(token.Type),
    };

    private CatalogTransferException Truncated(string path) => _offset + _end == 0
        ? Error(path, "The document is empty: a Poppy catalog export is a JSON object.")
        : Error(path, string.Create(CultureInfo.InvariantCulture, $"The document ends at byte {_offset + _end} inside {path}: it is truncated (the export did not finish, or the file was cut)."));

    private static CatalogTransferException Error(string path, string message, Exception? inner = null) =>
        new(message, path, ServiceIndexOf(path), partialReport: null, inner);

    private static int? ServiceIndexOf(string path)
    {
        var prefix = "$." + CatalogDocument.Services + "[";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var close = path.IndexOf(']', prefix.Length);
        return close > 0 && int.TryParse(path.AsSpan(prefix.Length, close - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    private readonly record struct Token(JsonTokenType Type, string? Text, long? Number)
    {
        public static Token Of(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.PropertyName or JsonTokenType.String => new Token(reader.TokenType, reader.GetString(), null),
            JsonTokenType.Number => new Token(reader.TokenType, null, reader.TryGetInt64(out var n) ? n : null),
            _ => new Token(reader.TokenType, null, null),
        };
    }
}
