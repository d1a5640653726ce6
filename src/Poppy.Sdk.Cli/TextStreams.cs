using System.Text;

namespace Poppy.Sdk.Cli;

/// <summary>
/// A write-only stream over a <see cref="TextWriter"/>: UTF-8 bytes written to it are decoded (a character split across
/// two writes is kept until its last byte arrives) and written as text. Lets a stream-based writer such as
/// <see cref="CatalogTransfer.ExportAsync(IServiceCatalog, Stream, CatalogExportOptions?, CancellationToken)"/> write to
/// the command's standard output.
/// </summary>
internal sealed class TextWriterStream(TextWriter writer) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private char[] _chars = new char[4096];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer) => writer.Write(_chars, 0, Decode(buffer));

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Decode(buffer.Span);
        await writer.WriteAsync(_chars.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => writer.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private int Decode(ReadOnlySpan<byte> bytes)
    {
        var needed = _decoder.GetCharCount(bytes, flush: false);
        if (needed > _chars.Length)
        {
            _chars = new char[needed];
        }

        return _decoder.GetChars(bytes, _chars, flush: false);
    }
}

/// <summary>
/// A read-only stream over a <see cref="TextReader"/>: the text is read in blocks and encoded as UTF-8, so a
/// stream-based reader such as <see cref="CatalogTransfer.ImportAsync"/> can read the command's standard input.
/// </summary>
internal sealed class TextReaderStream(TextReader reader) : Stream
{
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();
    private readonly char[] _chars = new char[4096];
    private readonly byte[] _bytes = new byte[new UTF8Encoding(false).GetMaxByteCount(4096)];
    private int _start;
    private int _end;
    private bool _done;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_start == _end && !_done)
        {
            Encode(reader.Read(_chars, 0, _chars.Length));
        }

        return Take(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_start == _end && !_done)
        {
            Encode(await reader.ReadAsync(_chars.AsMemory(), cancellationToken).ConfigureAwait(false));
        }

        return Take(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Encode(int chars)
    {
        // At the end the encoder is flushed: a lone high surrogate left over becomes a replacement character.
        _done = chars == 0;
        _start = 0;
        _end = _encoder.GetBytes(_chars.AsSpan(0, chars), _bytes, flush: _done);
    }

    private int Take(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _end - _start);
        _bytes.AsSpan(_start, count).CopyTo(buffer);
        _start += count;
        return count;
    }
}
